// Rules write their case-insensitive parts as regex modifier groups, `(?i:key|token)`, which read
// well but are new in V8 (12.5). An evaluation run missed two secrets that it found when they were
// scanned alone, only after many earlier scans, and never with `--no-regexp-tier-up`: the pattern
// behaved differently once V8 had compiled it to native code. Both rules used a modifier group. Every
// rule pattern is therefore rewritten at construction into plain classes (`[kK][eE][yY]`), which mean
// the same and which regex engines have run unchanged for decades.
import { classEnd, groupEnd } from './regex-source.ts';

const LETTER = /^[A-Za-z]$/;

function other(c: string): string {
  const l = c.toLowerCase();
  return c === l ? c.toUpperCase() : l;
}

/** A character class with the other case of every ASCII letter and letter range added. */
function caselessClass(src: string, at: number): { text: string; end: number } {
  let i = at + 1;
  let out = '[';
  if (src[i] === '^') throw new Error('caseless: a negated class inside (?i:…) is not supported');
  let extra = '';
  while (i < src.length && src[i] !== ']') {
    const c = src[i] as string;
    if (c === '\\') {
      out += c + (src[i + 1] ?? '');
      i += 2;
      continue;
    }
    const to = src[i + 2];
    if (src[i + 1] === '-' && to !== undefined && to !== ']') {
      out += `${c}-${to}`;
      if (LETTER.test(c) && LETTER.test(to)) extra += `${other(c)}-${other(to)}`;
      i += 3;
      continue;
    }
    out += c;
    if (LETTER.test(c)) extra += other(c);
    i++;
  }
  if (src[i] !== ']') throw new Error('caseless: unterminated class');
  return { text: `${out}${extra}]`, end: i + 1 };
}

/** The body of a `(?i:…)` group as case-insensitive plain syntax. */
function caselessBody(body: string): string {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i] as string;
    if (c === '\\') {
      const next = body[i + 1] ?? '';
      if (/[pPukcx]/.test(next)) throw new Error(`caseless: escape \\${next} inside (?i:…) is not supported`);
      out += c + next;
      i++;
    } else if (c === '[') {
      const cls = caselessClass(body, i);
      out += cls.text;
      i = cls.end - 1;
    } else if (c === '(' && body[i + 1] === '?' && body[i + 2] !== ':') {
      throw new Error('caseless: only (?:…) groups are supported inside (?i:…)');
    } else if (LETTER.test(c)) {
      out += `[${c.toLowerCase()}${c.toUpperCase()}]`;
    } else {
      out += c;
    }
  }
  return out;
}

/** A pattern source with every `(?i:…)` group rewritten as `(?:…)` over two-case classes. */
export function expandCaselessSource(src: string): string {
  let out = '';
  let i = 0;
  while (i < src.length) {
    const c = src[i] as string;
    if (c === '\\') {
      out += c + (src[i + 1] ?? '');
      i += 2;
      continue;
    }
    if (c === '[') {
      // Copy a class untouched (a "(?i:" inside one is literal text).
      const end = classEnd(src, i);
      out += src.slice(i, end + 1);
      i = end + 1;
      continue;
    }
    if (src.startsWith('(?i:', i)) {
      const close = groupEnd(src, i);
      if (close < 0) throw new Error('caseless: unbalanced (?i:…) group');
      out += `(?:${caselessBody(src.slice(i + 4, close))})`;
      i = close + 1;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}

/** The pattern with its `(?i:…)` groups expanded (the same object when it has none). */
export function expandCaseless(re: RegExp): RegExp {
  return re.source.includes('(?i:') ? new RegExp(expandCaselessSource(re.source), re.flags) : re;
}
