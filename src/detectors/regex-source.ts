// Reading a regular expression's source text (JavaScript syntax, without the v flag's nested
// classes): where a character class or a group ends. Used by the rule-construction rewrites
// (caseless.ts expands `(?i:…)` groups, injection/branches.ts splits alternations).

/** Index of the `]` closing the class opened at `open` (the end of the string if unclosed). */
export function classEnd(src: string, open: number): number {
  // In JavaScript the first unescaped `]` closes a class, even right after `[` or `[^` (`[]` is the
  // empty class).
  for (let i = open + 1; i < src.length; i++) {
    if (src[i] === '\\') i++;
    else if (src[i] === ']') return i;
  }
  return src.length;
}

/** Index of the `)` closing the group opened at `open`, or -1 when it is not closed. */
export function groupEnd(src: string, open: number): number {
  let depth = 0;
  for (let i = open; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') i++;
    else if (c === '[') i = classEnd(src, i);
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  return -1;
}
