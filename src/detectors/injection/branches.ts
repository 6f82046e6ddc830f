// Splits a signature rule's regex into branches keyed by literals, so a rule whose triggers are
// everyday words ("quarter", "fire", "threat") runs only the alternatives that can match, not fifty
// of them at every word boundary of a long document.
//
// A rule `\b(?:A|B|C)\b` is taken apart at its top-level alternation. For each alternative we
// collect the literal text every one of its matches must contain (characters outside groups,
// classes and optional quantifiers): no match of the alternative exists unless that text occurs, so
// it is a sound precondition. The key is one of the rule's triggers found in that text, else a piece
// of the text itself (registered with the shared character pass like any trigger); alternatives
// with the same key share a branch, and those without a usable key run whenever the rule runs, as
// before. The shared pass folds ASCII case and sees the raw text, so a key is found wherever the
// lower-cased text holds it (but for the rare characters whose lower case is ASCII, such as the
// Kelvin sign, which the normaliser's NFKC view folds anyway). Tested against the whole regexes in
// test/detectors/branches.test.ts.

import { classEnd, groupEnd } from '../regex-source.ts';

/** One group of alternatives and the literal that must occur before it can match (undefined: always run). */
export interface Branch {
  readonly literal: string | undefined;
  readonly re: RegExp;
}

/** Top-level `|` split of a pattern. */
export function topLevelAlternatives(src: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') i++;
    else if (c === '[') i = classEnd(src, i);
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) {
      out.push(src.slice(from, i));
      from = i + 1;
    }
  }
  out.push(src.slice(from));
  return out;
}

const QUANTIFIER = /^(?:[?*+]|\{(\d+)(?:,\d*)?\})\??/;
// Escapes that stand for one literal character.
const LITERAL_ESCAPE = /^[.\\/'"\-[\](){}|?*+^$ ]$/;

/**
 * Literal fragments every match of `alt` contains (lower-cased pattern text outside groups, classes
 * and escapes; a character made optional by a quantifier is dropped and ends the fragment).
 */
export function mandatoryFragments(alt: string): string[] {
  const out: string[] = [];
  let cur = '';
  const flush = (): void => {
    if (cur.length > 0) out.push(cur);
    cur = '';
  };
  let i = 0;
  while (i < alt.length) {
    const c = alt[i] as string;
    let atom: string | undefined;
    let end: number;
    if (c === '\\') {
      const next = alt[i + 1] ?? '';
      atom = LITERAL_ESCAPE.test(next) ? next : undefined;
      end = i + 2;
      // \p{…} and \u{…} take their braces with them; other escapes (\s, \uXXXX, \cX …) are not
      // analysed and end the fragment.
      if (/[pPu]/.test(next) && alt[i + 2] === '{') end = Math.max(end, alt.indexOf('}', i) + 1);
      else if (next === 'u') end = i + 6;
      else if (next === 'x') end = i + 4;
      else if (next === 'c') end = i + 3;
    } else if (c === '[') {
      end = classEnd(alt, i) + 1;
    } else if (c === '(') {
      const close = groupEnd(alt, i);
      if (close < 0) return [];
      end = close + 1;
    } else if (c === '.' || c === '^' || c === '$' || c === '|' || c === ')') {
      end = i + 1;
    } else {
      atom = c;
      end = i + 1;
    }
    const q = QUANTIFIER.exec(alt.slice(end));
    if (q) {
      const min = q[0][0] === '+' ? 1 : q[0][0] === '{' ? Number(q[1]) : 0;
      // A repeated character still occurs once when the minimum is at least one, but what follows is
      // no longer adjacent to it.
      if (atom !== undefined && min >= 1) cur += atom;
      flush();
      i = end + q[0].length;
      continue;
    }
    if (atom === undefined) flush();
    else cur += atom;
    i = end;
  }
  flush();
  return out;
}

/** Splits `source` (wrapper + one alternation, e.g. `\b(?:A|B)\b`) into prefix, alternatives and suffix. */
function unwrap(source: string): { prefix: string; alts: string[]; suffix: string } | undefined {
  const top = topLevelAlternatives(source);
  if (top.length > 1) return { prefix: '', alts: top, suffix: '' };
  const open = source.indexOf('(?:');
  if (open < 0) return undefined;
  const close = groupEnd(source, open);
  if (close < 0) return undefined;
  const prefix = source.slice(0, open);
  const suffix = source.slice(close + 1);
  // The wrapper must be simple: no groups of its own, and the group not quantified.
  if (/[()|]/.test(prefix) || /[()|]/.test(suffix) || QUANTIFIER.test(suffix)) return undefined;
  const alts = topLevelAlternatives(source.slice(open + 3, close));
  return alts.length > 1 ? { prefix, alts, suffix } : undefined;
}

/**
 * Shortest piece of mandatory text worth a literal of its own (letters, not counting spaces): a
 * shorter one is an everyday word ("that", "with", "make") found in most texts, which narrows
 * nothing and costs the shared pass a match in nearly every text.
 */
const MIN_KEY = 6;
// Characters a key may hold: what the shared pass reads as one ASCII literal.
const KEY_CHARS = /^[a-z0-9 '-]+$/;

/**
 * Branches of a rule's regex keyed by literals (`triggers`, cut to `maxLiteral` characters, are
 * preferred; otherwise up to `maxLiteral` characters of the alternative's longest mandatory text),
 * or undefined when the regex cannot be split safely (no top-level alternation, capture groups or
 * back-references, sticky flag) or splitting would not narrow anything.
 */
export function splitRule(re: RegExp, triggers: readonly string[], maxLiteral: number): Branch[] | undefined {
  const src = re.source;
  if (re.sticky || /\\[1-9]|\\k<|\(\?<[^=!]|\((?!\?)/.test(src)) return undefined;
  const parts = unwrap(src);
  if (!parts) return undefined;
  const byKey = new Map<string | undefined, string[]>();
  for (const alt of parts.alts) {
    const frags = mandatoryFragments(alt).map((f) => f.toLowerCase());
    // The longest trigger found: the rarest, as a rule.
    let key: string | undefined;
    for (const t of triggers) if (t.length > 0 && frags.some((f) => f.includes(t)) && (key === undefined || t.length > key.length)) key = t;
    if (key === undefined) {
      let longest = '';
      for (const f of frags) {
        const piece = f.trim().slice(0, maxLiteral).trim();
        if (piece.length > longest.length && KEY_CHARS.test(piece)) longest = piece;
      }
      if (longest.replace(/ /g, '').length >= MIN_KEY) key = longest;
    }
    const list = byKey.get(key) ?? [];
    list.push(alt);
    byKey.set(key, list);
  }
  // Every alternative unkeyed: nothing to narrow.
  if (byKey.size === 1 && byKey.has(undefined)) return undefined;
  return [...byKey].map(([literal, alts]) => ({ literal, re: new RegExp(`${parts.prefix}(?:${alts.join('|')})${parts.suffix}`, re.flags) }));
}
