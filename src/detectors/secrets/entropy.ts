// Cheap statistics over candidate secret values. Everything here is O(length of the value) and
// allocation-light, because it runs once per regex candidate, never over the whole text.

const counts = new Int32Array(65536);

/** Shannon entropy in bits per character. */
export function shannonEntropy(s: string): number {
  const n = s.length;
  if (n === 0) return 0;
  let h = 0;
  for (let i = 0; i < n; i++) counts[s.charCodeAt(i)]!++;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    const k = counts[c]!;
    if (k === 0) continue;
    const p = k / n;
    h -= p * Math.log2(p);
    counts[c] = 0;
  }
  return h;
}

export interface CharClasses {
  lower: number;
  upper: number;
  digit: number;
  other: number;
}

export function charClasses(s: string): CharClasses {
  const r: CharClasses = { lower: 0, upper: 0, digit: 0, other: 0 };
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 97 && c <= 122) r.lower++;
    else if (c >= 65 && c <= 90) r.upper++;
    else if (c >= 48 && c <= 57) r.digit++;
    else r.other++;
  }
  return r;
}

// Words that only appear in documentation and templates, never inside a random credential.
// Matched case-insensitively as substrings of the value.
const PLACEHOLDER_WORDS = [
  'example',
  'placeholder',
  'your_',
  'your-',
  'yourkey',
  'your_key',
  'yourtoken',
  'yoursecret',
  'yourpassword',
  'insert',
  'replace',
  'changeme',
  'change_me',
  'change-me',
  'redacted',
  'dummy',
  'sample',
  'notreal',
  'not_real',
  'not-a-real',
  'xxxx',
  'todo',
  'fixme',
];

// Values that are, in their entirety, a stand-in rather than a credential.
const PLACEHOLDER_EXACT = new Set([
  'password',
  'passwd',
  'pass',
  'pwd',
  'secret',
  'token',
  'apikey',
  'api_key',
  'api-key',
  'key',
  'null',
  'none',
  'nil',
  'undefined',
  'true',
  'false',
  'empty',
  'test',
  'testing',
  'admin',
  'root',
  'user',
  'username',
  'mypassword',
  'mysecret',
  'secret123',
  'password123',
  'password1',
  'letmein',
  'qwerty',
  'hunter2',
  'foobar',
  'foo',
  'bar',
  'baz',
  'string',
  'value',
  'secretkey',
  'secret_key',
  'my_secret',
  'supersecret',
  'default',
  'required',
  'optional',
]);

/**
 * True when a value is a template, an environment reference or an obvious stand-in ("changeme",
 * "xxxx…", "<your-key>", "${VAR}", "****"). Every rule applies the markers, so a documented
 * `ghp_xxxxxxxx…` never counts. `strict` also rejects values made of one or two distinct characters;
 * fixed-prefix rules skip that part because the prefix alone already makes a real credential likely and
 * low-variety test tokens are still worth redacting.
 */
export function isPlaceholder(value: string, strict: boolean): boolean {
  const v = value.toLowerCase();
  if (PLACEHOLDER_EXACT.has(v)) return true;
  // Template and reference syntaxes: ${X}, {{x}}, <x>, %s, %(x)s, $(cmd), #{x}, $VAR, process.env.X.
  if (/\$\{|\{\{|\}\}|<|%s|%\(|\$\(|#\{|^\$[a-z_]|process\.env|os\.environ|getenv|env\[|\benv\./i.test(value)) return true;
  if (/[*#•]{3}|\.{3}|…|x{4}|^\{[^{}]{0,60}\}$|^\[[^[\]]{0,60}\]$/i.test(value)) return true;
  for (const w of PLACEHOLDER_WORDS) if (v.includes(w)) return true;
  if (!strict) return false;
  return distinctChars(v, 3) < 3 && v.length >= 4;
}

/** Number of distinct characters in s, counting stops at `cap`. */
export function distinctChars(s: string, cap: number): number {
  const seen = new Set<number>();
  for (let i = 0; i < s.length && seen.size < cap; i++) seen.add(s.charCodeAt(i));
  return seen.size;
}

/** Base64 / base64url text decoded to a latin1 string; undefined when it is not valid base64. */
export function decodeBase64(s: string): string | undefined {
  const t = s.replace(/-/g, '+').replace(/_/g, '/');
  if (!/^[A-Za-z0-9+/]{2,}={0,2}$/.test(t) || t.length % 4 === 1) return undefined;
  return Buffer.from(t, 'base64').toString('latin1');
}
