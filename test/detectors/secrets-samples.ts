// Builds fake credentials from a rule's own regex: a tiny generator for the regex subset the secret
// rules use (literals, escapes, classes, groups, alternation, bounded quantifiers, lookarounds).
// Generated strings are random, so they are fake by construction and never copied from a dataset.

/** Deterministic PRNG (mulberry32) so a failing sample can be reproduced from its seed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A random string of `n` characters drawn from `alphabet`. */
export function randomFrom(alphabet: string, n: number, rand: () => number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[Math.floor(rand() * alphabet.length)];
  return s;
}

type Node =
  | { kind: 'lit'; ch: string }
  | { kind: 'set'; chars: string }
  | { kind: 'group'; alts: Node[][]; emit: boolean }
  | { kind: 'rep'; node: Node; min: number; max: number };

function classChars(body: string, negated: boolean): string {
  const members = new Set<string>();
  const add = (c: string): void => void members.add(c);
  let i = 0;
  const next = (): string[] => {
    const c = body[i++]!;
    if (c !== '\\') return [c];
    const e = body[i++]!;
    if (e === 'd') return [...'0123456789'];
    if (e === 's') return [' ', '\t', '\n'];
    if (e === 'w') return [...ALNUM, '_'];
    if (e === 'x') {
      const h = body.slice(i, i + 2);
      i += 2;
      return [String.fromCharCode(parseInt(h, 16))];
    }
    if (e === 't') return ['\t'];
    if (e === 'r') return ['\r'];
    if (e === 'n') return ['\n'];
    return [e];
  };
  while (i < body.length) {
    const from = next();
    if (from.length === 1 && body[i] === '-' && i + 1 < body.length) {
      i++;
      const to = next()[0]!;
      for (let c = from[0]!.charCodeAt(0); c <= to.charCodeAt(0); c++) add(String.fromCharCode(c));
    } else from.forEach(add);
  }
  if (!negated) return [...members].join('');
  return [...ALNUM].filter((c) => !members.has(c)).join('');
}

function parse(src: string): Node[][] {
  let i = 0;
  const parseAlts = (): Node[][] => {
    const alts: Node[][] = [[]];
    while (i < src.length && src[i] !== ')') {
      const c = src[i]!;
      if (c === '|') {
        i++;
        alts.push([]);
        continue;
      }
      let node: Node;
      if (c === '(') {
        i++;
        let emit = true;
        if (src.startsWith('?:', i)) i += 2;
        else if (src.startsWith('?i:', i)) i += 3;
        else if (src.startsWith('?<=', i)) i += 3;
        else if (src.startsWith('?=', i) || src.startsWith('?!', i)) {
          i += 2;
          emit = false;
        } else if (src.startsWith('?<!', i)) {
          i += 3;
          emit = false;
        }
        const inner = parseAlts();
        i++; // ')'
        node = { kind: 'group', alts: inner, emit };
      } else if (c === '[') {
        i++;
        const negated = src[i] === '^';
        if (negated) i++;
        let body = '';
        while (src[i] !== ']') {
          if (src[i] === '\\') body += src[i++];
          body += src[i++];
        }
        i++;
        node = { kind: 'set', chars: classChars(body, negated) };
      } else if (c === '\\') {
        const e = src[i + 1]!;
        i += 2;
        if (e === 'd') node = { kind: 'set', chars: '0123456789' };
        else if (e === 's') node = { kind: 'set', chars: ' ' };
        else if (e === 'w') node = { kind: 'set', chars: ALNUM };
        else if (e === 'x') {
          node = { kind: 'lit', ch: String.fromCharCode(parseInt(src.slice(i, i + 2), 16)) };
          i += 2;
        } else node = { kind: 'lit', ch: e };
      } else if (c === '.') {
        i++;
        node = { kind: 'set', chars: ALNUM };
      } else {
        i++;
        node = { kind: 'lit', ch: c };
      }
      const q = src[i];
      if (q === '?') {
        i++;
        node = { kind: 'rep', node, min: 0, max: 1 };
      } else if (q === '{') {
        const close = src.indexOf('}', i);
        const [a, b] = src.slice(i + 1, close).split(',');
        i = close + 1;
        node = { kind: 'rep', node, min: Number(a), max: b === undefined ? Number(a) : Number(b) };
      }
      alts[alts.length - 1]!.push(node);
    }
    return alts;
  };
  return parseAlts();
}

function emit(nodes: Node[], rand: () => number): string {
  let s = '';
  for (const n of nodes) {
    if (n.kind === 'lit') s += n.ch;
    else if (n.kind === 'set') s += n.chars[Math.floor(rand() * n.chars.length)] ?? '';
    else if (n.kind === 'group') {
      if (n.emit) s += emit(n.alts[Math.floor(rand() * n.alts.length)]!, rand);
    } else {
      const count = n.min + Math.floor(rand() * (Math.min(n.max, n.min + 16) - n.min + 1));
      for (let k = 0; k < count; k++) s += emit([n.node], rand);
    }
  }
  return s;
}

/** A random string the regex source describes (lookbehind contents included, negative lookarounds skipped). */
export function sampleFrom(source: string, seed: number): string {
  const rand = rng(seed);
  const alts = parse(source);
  return emit(alts[Math.floor(rand() * alts.length)]!, rand);
}
