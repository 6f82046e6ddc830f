// Where the markdown in a model's answer is code. A renderer shows code as text, so HTML or an
// image link inside a code block is not live; the rules use this to lower their scores there.

/** Sorted, non-overlapping [start, end) ranges of fenced blocks and inline code spans. */
export function codeRanges(text: string): [number, number][] {
  const out: [number, number][] = [];
  if (!text.includes('`') && !text.includes('~~~')) return out;
  let pos = 0;
  const n = text.length;
  while (pos < n) {
    const lineEnd = nextLineEnd(text, pos);
    const fence = fenceAt(text, pos, lineEnd);
    if (fence) {
      // A fence closes on a line of the same character at least as long; an unclosed one (a
      // stream cut mid-block) runs to the end.
      let close = lineEnd + 1;
      let end = n;
      while (close < n) {
        const le = nextLineEnd(text, close);
        const f = fenceAt(text, close, le);
        if (f && f.char === fence.char && f.length >= fence.length && f.infoEmpty) {
          end = le;
          break;
        }
        close = le + 1;
      }
      out.push([pos, end]);
      pos = end + 1;
      continue;
    }
    inlineSpans(text, pos, lineEnd, out);
    pos = lineEnd + 1;
  }
  return out;
}

function nextLineEnd(text: string, from: number): number {
  const i = text.indexOf('\n', from);
  return i === -1 ? text.length : i;
}

function fenceAt(text: string, start: number, end: number): { char: string; length: number; infoEmpty: boolean } | undefined {
  let i = start;
  while (i < end && i - start < 3 && text.charCodeAt(i) === 32) i++;
  const c = text[i];
  if (c !== '`' && c !== '~') return undefined;
  let j = i;
  while (j < end && text[j] === c) j++;
  if (j - i < 3) return undefined;
  const info = text.slice(j, end);
  if (c === '`' && info.includes('`')) return undefined;
  return { char: c, length: j - i, infoEmpty: info.trim().length === 0 };
}

// Inline code: a run of N backticks closed by the next run of exactly N on the same line. Searching
// only to the line end keeps the scan linear even on a line of unmatched backtick runs.
function inlineSpans(text: string, start: number, end: number, out: [number, number][]): void {
  let i = text.indexOf('`', start);
  while (i !== -1 && i < end) {
    let j = i;
    while (j < end && text[j] === '`') j++;
    const len = j - i;
    let k = text.indexOf('`', j);
    let closed = -1;
    while (k !== -1 && k < end) {
      let e = k;
      while (e < end && text[e] === '`') e++;
      if (e - k === len) {
        closed = e;
        break;
      }
      k = text.indexOf('`', e);
    }
    if (closed === -1) {
      // An unmatched run can never be closed later on this line by a shorter search, so skip it.
      i = text.indexOf('`', j);
      continue;
    }
    out.push([i, closed]);
    i = text.indexOf('`', closed);
  }
}

/** Whether offset `pos` lies inside one of the ranges (binary search). */
export function inRanges(ranges: readonly [number, number][], pos: number): boolean {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const r = ranges[mid];
    if (!r) return false;
    if (pos < r[0]) hi = mid - 1;
    else if (pos >= r[1]) lo = mid + 1;
    else return true;
  }
  return false;
}
