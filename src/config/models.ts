// Model allow-lists are globs where `*` matches any run of characters (including none) and `?` exactly
// one. Matching is case-sensitive: providers treat model ids that way, and a miss denies, never allows.

type Matcher = (model: string) => boolean;

const matchAll: Matcher = () => true;
const matchNone: Matcher = () => false;

// Keyed by the array itself: configuration arrays live as long as the config they belong to, so a hot
// reload drops the old matchers with the old config instead of growing a cache forever.
const compiled = new WeakMap<readonly string[], Matcher>();

function compile(patterns: readonly string[]): Matcher {
  if (patterns.includes('*')) return matchAll;
  if (patterns.length === 0) return matchNone;
  const exact = new Set<string>();
  const wild: string[] = [];
  for (const p of patterns) {
    if (p.includes('*') || p.includes('?')) wild.push(p);
    else exact.add(p);
  }
  if (wild.length === 0) return (model) => exact.has(model);
  return (model) => exact.has(model) || wild.some((p) => globMatch(p, model));
}

/**
 * Glob match with one backtrack point: O(pattern × text) at worst. Not a RegExp on purpose: the
 * model name comes from the client, and `a*b*c` as a backtracking regex is polynomial in its length.
 */
export function globMatch(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let mark = 0;
  while (t < text.length) {
    const c = pattern.charCodeAt(p);
    if (p < pattern.length && c !== 0x2a && (c === 0x3f || c === text.charCodeAt(t))) {
      p++;
      t++;
    } else if (p < pattern.length && c === 0x2a) {
      star = p++;
      mark = t;
    } else if (star !== -1) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern.charCodeAt(p) === 0x2a) p++;
  return p === pattern.length;
}

/**
 * Whether `model` matches any of the glob `patterns`. The compiled matcher is cached per array, so pass
 * the same (unmodified) array on every call, as configuration does.
 */
export function matchesModel(patterns: readonly string[], model: string): boolean {
  let matcher = compiled.get(patterns);
  if (matcher === undefined) {
    matcher = compile(patterns);
    compiled.set(patterns, matcher);
  }
  return matcher(model);
}

/** Why a model pattern is unusable, or undefined when it is fine. */
export function modelPatternProblem(pattern: string): string | undefined {
  if (pattern.length === 0) return 'model pattern must not be empty';
  // eslint-disable-next-line no-control-regex
  if (/[\s\x00-\x1f\x7f]/.test(pattern)) return 'model pattern must not contain whitespace or control characters';
  const unsupported = /[[\]{}!]/.exec(pattern);
  if (unsupported) return `unsupported glob syntax '${unsupported[0]}': only * and ? are wildcards`;
  return undefined;
}
