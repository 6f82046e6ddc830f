// Names, places, organisations and the other entities that have no fixed format. A cheap gate
// (worthScanning), then one tokenising pass over the text, one Map lookup per capitalised word in the
// gazetteers (data/gazetteers.txt, built by scripts/build-gazetteers.ts from public lists) and checks
// of the neighbouring words. No per-token regex.
//
// A full name next to contact details, or after a cue the pattern rules know, is a direct identifier
// (redacted in output by default); a name in ordinary prose is a `person-mention`, because prose is
// full of public figures and a gazetteer cannot tell them apart. Places, organisations,
// nationality/religious/political groups, dates, ages and postcodes are quasi-identifiers: harmless
// alone, identifying in combination (HIPAA Safe Harbor removes most of them). They carry
// QUASI_SCORE, below the default output redaction threshold, so the default policy reports them and
// a strict policy (`pii: redact`) removes them too.
import { readFileSync } from 'node:fs';
import type { Severity } from '../../exchange/types.ts';
import { factsOf, type TextFacts } from '../normalize/facts.ts';
import { AsciiWordTable } from './word-table.ts';

export interface EntityRule {
  readonly id: string;
  readonly title: string;
  readonly severity: Severity;
}

export interface EntityMatch {
  rule: EntityRule;
  start: number;
  end: number;
  score: number;
  title: string;
}

/** Score of every quasi-identifier finding; the default output policy redacts from 0.35 up. */
export const QUASI_SCORE = 0.3;

const PERSON: EntityRule = { id: 'person-name', title: 'Person name', severity: 'medium' };
// A lone first name or surname, or a known first name before an unknown word: on its own it names no
// one (and public figures fill ordinary prose), so it is reported like the other quasi-identifiers.
const PERSON_PART: EntityRule = { id: 'person-mention', title: 'Possible person name (quasi-identifier)', severity: 'low' };
const LOCATION: EntityRule = { id: 'location', title: 'Place name (quasi-identifier)', severity: 'low' };
const ORGANIZATION: EntityRule = { id: 'organization', title: 'Organisation name (quasi-identifier)', severity: 'low' };
const NRP: EntityRule = { id: 'nrp', title: 'Nationality, religious or political group (quasi-identifier)', severity: 'low' };
const DATE: EntityRule = { id: 'date', title: 'Date (quasi-identifier)', severity: 'low' };
const AGE: EntityRule = { id: 'age', title: 'Age (quasi-identifier)', severity: 'low' };
const ZIP: EntityRule = { id: 'postal-code', title: 'Postal code (quasi-identifier)', severity: 'low' };
const DOMAIN: EntityRule = { id: 'domain-name', title: 'Domain name (quasi-identifier)', severity: 'low' };

export const ENTITY_RULES: readonly EntityRule[] = [PERSON, PERSON_PART, LOCATION, ORGANIZATION, NRP, DATE, AGE, ZIP, DOMAIN];
/** Rule ids of quasi-identifiers: reported by the default policy, redacted only under a strict one. */
export const QUASI_IDENTIFIER_RULES: ReadonlySet<string> = new Set([PERSON_PART.id, LOCATION.id, ORGANIZATION.id, NRP.id, DATE.id, AGE.id, ZIP.id, DOMAIN.id]);

// ---- gazetteers -----------------------------------------------------------------------------------

interface Gazetteers {
  /** Every single word of every list, with the G_* bits of the lists that hold it. */
  words: ReadonlyMap<string, number>;
  /**
   * The everyday words among them (the `common` list, a few thousand), with the same bits: most
   * capitalised words of a text are sentence openers from this list, and a lookup in a table this
   * small stays in the processor's cache, where one in the full table (100,000 words) mostly does not.
   */
  hot: ReadonlyMap<string, number>;
  /** The same words, looked up straight from a span of text (see word-table.ts). */
  hotTable: AsciiWordTable;
  /** Place names of two to four words ("united states", "villafranca del cid"). */
  phrases: ReadonlySet<string>;
}

// Which lists hold a word: one Map lookup answers them all.
const G_COMMON = 1;
const G_VOCAB = 2;
const G_FIRST = 4;
const G_LAST = 8;
const G_PLACE = 16;
const G_NRP = 32;
const G_ORG = 64;
const G_COUNTRY = 128;
/** The first word of a place name of several words. */
const G_HEAD = 256;
const SECTION_BITS: Record<string, number> = {
  common: G_COMMON,
  vocab: G_VOCAB,
  first: G_FIRST,
  last: G_LAST,
  place: G_PLACE,
  nrp: G_NRP,
  org: G_ORG,
  country: G_COUNTRY,
};

let loaded: Gazetteers | undefined;

/** The word lists, read once on first use (about 1 MB, tens of milliseconds). */
export function gazetteers(): Gazetteers {
  if (loaded) return loaded;
  const words = new Map<string, number>();
  const phrases = new Set<string>();
  let bit = 0;
  for (const line of readFileSync(new URL('./data/gazetteers.txt', import.meta.url), 'utf8').split('\n')) {
    if (line.startsWith('#')) bit = SECTION_BITS[line.slice(1)] ?? 0;
    else if (bit !== 0 && line.length > 0) {
      const space = line.indexOf(' ');
      if (space < 0) words.set(line, (words.get(line) ?? 0) | bit);
      else if (bit === G_PLACE || bit === G_COUNTRY) {
        phrases.add(line);
        const head = line.slice(0, space);
        words.set(head, (words.get(head) ?? 0) | G_HEAD);
      }
    }
  }
  const hot = new Map<string, number>();
  for (const [w, b] of words) if (b & G_COMMON) hot.set(w, b);
  loaded = { words, hot, hotTable: new AsciiWordTable(hot), phrases };
  return loaded;
}

function wordBits(g: Gazetteers, w: string): number {
  return g.hot.get(w) ?? g.words.get(w) ?? 0;
}

// ---- tokens ---------------------------------------------------------------------------------------

// Token shapes: all lower case (or caseless), Capitalised, UPPER CASE, digits.
const Shape = { Lower: 0, Cap: 1, Upper: 2, Digits: 3 } as const;
type Shape = (typeof Shape)[keyof typeof Shape];

interface Token {
  start: number;
  end: number;
  lower: string;
  shape: Shape;
  /** Gazetteer memberships (the G_* bits), looked up on first use; -1 until then. */
  bits: number;
}

function bitsOf(t: Token, g: Gazetteers): number {
  if (t.bits < 0) t.bits = wordBits(g, t.lower);
  return t.bits;
}

// Words (letters, marks, inner apostrophes and hyphens, at most 41 characters) and digit runs (at
// most 12), found by a hand-written scan: ASCII is classified by character code, other characters by
// one small regex each, so mostly-ASCII text pays no Unicode regex at all.
const NON_ASCII_LETTER = /[\p{L}\p{M}]/u;

function letterAt(text: string, i: number, c: number): boolean {
  if (c < 128) return (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
  return NON_ASCII_LETTER.test(text[i]!);
}

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  const len = text.length;
  let i = 0;
  while (i < len) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      let j = i + 1;
      while (j < len && j - i < 12 && text.charCodeAt(j) >= 48 && text.charCodeAt(j) <= 57) j++;
      out.push({ start: i, end: j, lower: text.slice(i, j), shape: Shape.Digits, bits: 0 });
      i = j;
      continue;
    }
    if (c < 65 || (c > 90 && c < 97) || (c > 122 && c < 128) || !letterAt(text, i, c)) {
      i++;
      continue;
    }
    let j = i + 1;
    let ascii = c < 128;
    let lowerRest = false;
    while (j < len && j - i < 41) {
      const d = text.charCodeAt(j);
      if (d === 39 || d === 45 || d === 0x2019) {
        j++;
        continue;
      }
      if (d >= 97 && d <= 122) lowerRest = true;
      else if (d >= 65 && d <= 90) {
        // upper case: nothing to note
      } else if (d >= 128 && letterAt(text, j, d)) {
        ascii = false;
        const ch = text[j]!;
        if (ch !== ch.toUpperCase()) lowerRest = true;
      } else break;
      j++;
    }
    // "Yefremova's" is the name Yefremova.
    let end = j;
    if (end - i > 3 && text[end - 2] !== undefined && (text.charCodeAt(end - 2) === 39 || text.charCodeAt(end - 2) === 0x2019) && text[end - 1] === 's') end -= 2;
    const first = text[i]!;
    const upperFirst = c < 128 ? c <= 90 : first !== first.toLowerCase();
    const shape = !upperFirst ? Shape.Lower : end - i > 1 && !lowerRest ? Shape.Upper : Shape.Cap;
    const w = text.slice(i, end);
    out.push({ start: i, end, lower: shape === Shape.Lower && ascii ? w : w.toLowerCase(), shape, bits: -1 });
    i = j;
  }
  return out;
}

// ---- vocabulary written for this detector (not data-derived) ------------------------------------

const set = (s: string): ReadonlySet<string> => new Set(s.split(' '));
/** Lower-case words inside names ("Willemine ten Pas", "Ludwig van Beethoven"). */
const PARTICLES = set('van von der den ten ter de del della di da do dos das du la le al el bin ibn mac af av zu');
const SUFFIXES = set('ii iii iv jr sr');
const HONORIFICS = set('mr mrs ms mx dr prof');
/** The word before a lone first name or surname that says a person follows. */
const PERSON_CUES = set(
  'by with called named kid son daughter wife husband partner friend brother sister mother father mom mum dad boss colleague ' +
    'uncle aunt cousin grandson granddaughter nephew niece says said asks asked tell told ask meet met thank thanks cc ' +
    'fiancé fiancée girlfriend boyfriend neighbour neighbor tenant patient client coworker roommate producer director singer ' +
    'author writer actor actress player coach founder ceo name',
);
/** Cues strong enough for a word no gazetteer knows. */
const STRONG_CUES = set('says said asks asked told named called producer director singer author writer kid son daughter');
/** Words after a name that say it is a person's ("Tilly Nicholson lives at …"). */
const PERSON_VERBS = set('lives lived said says explained wrote writes told spent married died talks talking speaks asked replied');
/** Words before "in/to/from/at" that make the next capitalised words a place. */
const PLACE_VERBS = set(
  'flew fly flying moved move moving lives live living lived up born based located visiting visit visited travel traveling ' +
    'travelling travelled traveled trip am was were stay staying stayed originally city town village home here relocated relocating ' +
    'arrived arriving landed headquartered resident returned return coming going go went come came welcome street year',
);
const PLACE_PREPS = set('in to from at of near');
/** Words right before a place's name ("the city Assen", "home town Kiel"). */
const PLACE_NOUNS = set('city town village capital hometown');
/** The last word of a street's name ("shows on Marina Fort Street"). */
const STREET_WORDS = set('street avenue road boulevard lane drive terrace crescent parkway highway');
/** Words before an organisation's name. */
const ORG_CUES = set('joined joining became acquired acquire employer startup firm company');
/** Words after an organisation's name ("the Acme website"). */
const ORG_AFTER = set('website websites headquarters hq ceo cfo cto employees staff shareholders subsidiary subsidiaries');
/** What an organisation "is a …". */
const ORG_NOUNS = set(
  'company agency firm startup corporation multinational nonprofit charity organization organisation brand manufacturer retailer ' +
    'bank insurer provider consultancy publisher platform',
);
/** Words before "at/for/by" that make the next capitalised words an employer. */
const EMPLOYMENT = set('work works worked working year years intern interned internship employed job position role career engineer manager');
/** Lower-case words allowed inside place names ("Villafranca del Cid", "Stratford upon Avon"). */
const PLACE_JOINERS = set('de del la las los le les do da dos das di du of upon on sur am an im en y i');
const SELF_CUES = set('am are proud is was were');
/** Words after "named"/"called" that come before the name ("she named him Luís"). */
const NAMED_OBJECTS = set('him her them me it');
/** Words after a line-opening "Name," that show it is a vocative ("Leif, can I …"). */
const VOCATIVE_NEXT = set('can could would will do did are is have has please i you we thanks thank let');
/** Family-name endings of many languages (Nordic patronymics, Slavic, Baltic, Finnish, Greek,
 * Romanian, Armenian, Georgian, Turkish): a capitalised word no list knows that ends so is a surname. */
const SURNAME_ENDINGS = [
  'sson', 'dóttir', 'dottir', 'sen', 'ski', 'ska', 'sky', 'skiy', 'skyi', 'cki', 'cka', 'ov', 'ova', 'ev', 'eva', 'yev', 'yeva', 'enko',
  'chuk', 'czuk', 'vić', 'son', 'vic', 'ić', 'ová', 'ská', 'inen', 'nen', 'oğlu', 'oglu', 'escu', 'poulos', 'opoulos', 'idis', 'akis',
  'yan', 'shvili', 'dze', 'ienė', 'aitė', 'ytė', 'auskas', 'evičius', 'ovich', 'evich', 'ovna', 'evna',
];
const SURNAME_ENDING_SET: ReadonlySet<string> = new Set(SURNAME_ENDINGS);
const SURNAME_ENDING_MAX = Math.max(...SURNAME_ENDINGS.map((e) => e.length));
function surnameShaped(w: string): boolean {
  if (w.length < 5) return false;
  for (let k = 2; k <= SURNAME_ENDING_MAX && k < w.length; k++) if (SURNAME_ENDING_SET.has(w.slice(-k))) return true;
  return false;
}
/** Whether a URL host names a site of its own rather than a well-known service: written with capitals. */
function namedHost(host: string): boolean {
  return host !== host.toLowerCase();
}
const WEEKDAYS = set('monday tuesday wednesday thursday friday saturday sunday');
const MONTHS = set(
  'january february march april may june july august september october november december jan feb mar apr jun jul aug sep sept oct nov dec',
);
const YEAR_CUES = set('in since by until till from of year circa founded around before after during early late mid');
/** Words after which a nationality adjective names a language ("in French"), not a group. */
const LANGUAGE_CUES = set('in into to from speak speaks speaking spoke translate translated translation learn learning write written');
const US_STATES = set(
  'AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX ' +
    'UT VT VA WA WV WI WY DC PR GU VI AS MP AA AE AP',
);

// ---- the pass -------------------------------------------------------------------------------------

function gap(text: string, a: Token, b: Token): string {
  return text.slice(a.end, b.start);
}

/** Tokens a and b are neighbours inside one name: one blank, or "J. " after an initial. */
function joined(text: string, a: Token, b: Token): boolean {
  const g = b.start - a.end;
  if (g === 1) return text.charCodeAt(a.end) === 32;
  return g === 2 && a.end - a.start === 1 && text[a.end] === '.' && text[a.end + 1] === ' ';
}

function capitalised(t: Token): boolean {
  return t.shape === Shape.Cap;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** "we" in any letter case at `i`. */
function isWe(text: string, i: number): boolean {
  return (text.charCodeAt(i) | 32) === 119 && (text.charCodeAt(i + 1) | 32) === 101;
}

function lowerAscii(text: string, at: number, word: string): boolean {
  return text.startsWith(word, at);
}

/**
 * Whether the text can hold an entity at all, decided in one character pass: a capitalised word that
 * is not everyday vocabulary, or some gazetteer's entry, or a number with a date, age or postcode
 * shape or cue next to it. Most prompts and answers have neither, and skip the token pass: its cost
 * is then one look at each character and one Set lookup per capitalised word.
 */
// Where the gate looks: capitals, digits and anything beyond ASCII; the regex engine skips the
// lower-case bulk of a text far faster than a loop over its characters.
const CANDIDATE = /[A-Z0-9\u0080-\uffff]/g;
/** Longest all-lower-case text the token pass still reads. */
const LOWER_CASE_TEXT_MAX = 600;

export function worthScanning(text: string, g: Gazetteers, facts: TextFacts = factsOf(text)): boolean {
  let capitals = false;
  // The shared character pass noted where capitals begin words and where digit runs begin: for
  // ASCII text that is every place the search below would stop, so the text is not read again.
  const starts = facts.nonAscii || facts.wordStartsOverflowed ? undefined : (facts.wordStarts ?? []);
  if (starts) {
    capitals = facts.maxUpperRun > 0;
    let from = 0;
    for (const i of starts) {
      if (i < from) continue;
      const next = gateAt(text, i, g);
      if (next < 0) return true;
      from = next;
    }
  } else {
    CANDIDATE.lastIndex = 0;
    while (CANDIDATE.test(text)) {
      const i = CANDIDATE.lastIndex - 1;
      const c = text.charCodeAt(i);
      if (c >= 65 && c <= 90) capitals = true;
      const next = gateAt(text, i, g);
      if (next < 0) return true;
      CANDIDATE.lastIndex = next;
    }
  }
  // A short message typed all in lower case ("follow up with eva kleist") says nothing through
  // capitals: the token pass looks at its known names and places instead.
  return !capitals && text.length <= LOWER_CASE_TEXT_MAX && text.length >= 8;
}

/**
 * The gate's look at a capital, digit or non-ASCII character at `i`: -1 when it shows the text may
 * hold an entity, otherwise where to look next.
 */
function gateAt(text: string, i: number, g: Gazetteers): number {
  const len = text.length;
  const c = text.charCodeAt(i);
  if (isDigit(c)) {
    let j = i + 1;
    while (j < len && isDigit(text.charCodeAt(j))) j++;
    const run = j - i;
    const next = text.charCodeAt(j);
    // A date (12/31, 2020-12-31), a year, or a number with an age or postcode cue around it.
    if ((next === 47 || next === 45 || next === 46) && isDigit(text.charCodeAt(j + 1))) {
      let k = j + 1;
      while (k < len && k - j <= 4 && isDigit(text.charCodeAt(k))) k++;
      if (text.charCodeAt(k) === next && isDigit(text.charCodeAt(k + 1))) return -1;
    }
    if (run === 4 && (c === 49 || c === 50)) return -1;
    if (run <= 6 && run >= 3) {
      const before = text.slice(Math.max(0, i - 14), i).toLowerCase();
      const cap = (k: number): boolean => text.charCodeAt(k) >= 65 && text.charCodeAt(k) <= 90;
      if (before.includes('zip') || before.includes('code') || (i >= 3 && text[i - 1] === ' ' && cap(i - 2) && cap(i - 3))) return -1;
    }
    if (run <= 3) {
      const after = text.slice(j, j + 10);
      if (after.includes('year') || after.includes('y/o') || after.includes('yo') || text.slice(Math.max(0, i - 12), i).includes('age')) return -1;
    }
    return j;
  }
  // Capitalised words: ASCII A–Z or a non-ASCII upper-case letter at the start of a word.
  const upper = c >= 65 && c <= 90 ? true : c >= 128 && letterAt(text, i, c) && text[i] !== text[i]!.toLowerCase();
  if (!upper || (i > 0 && letterAt(text, i - 1, text.charCodeAt(i - 1)))) return i + 1;
  let j = i + 1;
  let camel = false;
  while (j < len && j - i < 41) {
    const d = text.charCodeAt(j);
    if (d >= 65 && d <= 90) {
      if (j > i + 1 && text.charCodeAt(j - 1) >= 97) camel = true;
      j++;
    } else if (d === 39 || d === 45 || d === 0x2019 || (d < 128 ? d >= 97 && d <= 122 : letterAt(text, j, d))) j++;
    else break;
  }
  // camelCase and base64 runs ("JavaScript", "IGFsbCBw") are not names, nor is one letter alone.
  if (camel || j === i + 1) return j;
  const hot = g.hotTable.lookup(text, i, j);
  // Not an everyday word (or not ASCII): the full list, without asking the everyday ones again.
  const b = hot >= 0 ? hot : (g.words.get(text.slice(i, j).toLowerCase()) ?? 0);
  // Short all-capital words are acronyms ("API", "Q3"), not names.
  const acronym = j - i <= 4 && j - i > 1 && text.charCodeAt(i + 1) >= 65 && text.charCodeAt(i + 1) <= 90 && (b & G_COUNTRY) === 0;
  if (!acronym && (b & G_COMMON) === 0) {
    if ((b & G_VOCAB) === 0) return -1;
    // An everyday word capitalised inside a sentence is part of a proper noun ("United States",
    // "Mill Village"); at a sentence or heading start it is just a word.
    let k = i - 1;
    while (k >= 0 && (text[k] === ' ' || text[k] === '\t' || text[k] === '#' || text[k] === '*' || text[k] === '-' || text[k] === '>')) k--;
    const sentenceStart = k < 0 || text[k] === '.' || text[k] === '\n' || text[k] === '!' || text[k] === '?' || text[k] === ':';
    const known = (b & (G_FIRST | G_LAST | G_PLACE | G_NRP | G_ORG | G_HEAD)) !== 0;
    const next = text.charCodeAt(j + 1);
    const run = text[j] === ' ' && next >= 65 && next <= 90;
    if (!sentenceStart && (known || run) && text.charCodeAt(i + 1) > 90) return -1;
  }
  // "I am cambodian": a lower-case group name after a word that says who someone is.
  if ((j === i + 1 && (c | 32) === 105 && lowerAscii(text, j, ' am ')) || (j === i + 2 && isWe(text, i) && lowerAscii(text, j, ' are '))) return -1;
  return j;
}

/** Token marks of scanEntities (only its first n entries are used, cleared on entry). */
let usedScratch = new Uint8Array(256);

/** How far (characters) a direct identifier makes a full name next to it personal data. */
const ANCHOR_WINDOW = 300;

/**
 * Appends the entities of `text` to `out`. `out` already holds the pattern rules' matches: a full
 * name within ANCHOR_WINDOW of one of them (an e-mail address, a phone number, a street address…)
 * is someone's contact details and counts as a direct identifier; elsewhere it is reported as a
 * mention, because prose is full of public figures.
 */
export function scanEntities(text: string, out: EntityMatch[], off: ReadonlySet<string>): void {
  const anchors = out.filter((m) => !QUASI_IDENTIFIER_RULES.has(m.rule.id)).map((m) => [m.start, m.end] as const);
  const anchored = (start: number, end: number): boolean => anchors.some(([a, b]) => a - end < ANCHOR_WINDOW && start - b < ANCHOR_WINDOW);
  const g = gazetteers();
  if (!off.has(DOMAIN.id)) scanHosts(text, out);
  if (anchors.length === 0 && !worthScanning(text, g)) return;
  const has = (t: Token, bit: number): boolean => (bitsOf(t, g) & bit) !== 0;
  const toks = tokenize(text);
  const n = toks.length;
  if (n === 0) return;
  // One scratch array for every scan: a typed array of more than 64 bytes is allocated outside the
  // JavaScript heap, which cost more than the rest of the set-up for a short text.
  if (usedScratch.length < n) usedScratch = new Uint8Array(Math.max(n, 2 * usedScratch.length));
  const used = usedScratch;
  used.fill(0, 0, n);
  // Typed all in lower case (a lone "i" aside): names and places have no capitals to show them, so
  // the lower-case families below look up lower-case words too.
  let lowerCaseText = true;
  for (let k = 0; k < n && lowerCaseText; k++) {
    const sh = toks[k]!.shape;
    if ((sh === Shape.Cap || sh === Shape.Upper) && toks[k]!.end - toks[k]!.start > 1) lowerCaseText = false;
  }
  const placeEnds = new Set<number>();
  // Words inside what a pattern rule already found (an address block, a cued name) are taken.
  if (anchors.length > 0) {
    let a = 0;
    const spans = [...anchors].sort((x, y) => x[0] - y[0]);
    for (let k = 0; k < n; k++) {
      const t = toks[k]!;
      while (a < spans.length && spans[a]![1] <= t.start) a++;
      if (a < spans.length && spans[a]![0] < t.end) used[k] = 1;
    }
  }
  const push = (rule: EntityRule, a: number, b: number, score: number, startAt?: number, endAt?: number): void => {
    if (off.has(rule.id)) return;
    const start = startAt ?? toks[a]!.start;
    let end = endAt ?? toks[b]!.end;
    // Keep the full stop of an abbreviation ("Inc.", "Jr.") with the name.
    if (endAt === undefined && text[end] === '.' && toks[b]!.end - toks[b]!.start <= 4 && rule === ORGANIZATION) end++;
    out.push({ rule, start, end, score, title: rule.title });
    if (rule === LOCATION) placeEnds.add(end);
    for (let k = a; k <= b; k++) used[k] = 1;
  };
  const word = (i: number): string => (i >= 0 && i < n ? toks[i]!.lower : '');
  const isInitial = (t: Token): boolean => t.end - t.start === 1 && t.shape !== Shape.Lower && t.shape !== Shape.Digits;
  const nameish = (t: Token): boolean => capitalised(t) && !has(t, G_COMMON);
  const known = (t: Token): boolean => has(t, G_FIRST) || has(t, G_LAST);
  // A capitalised word that could be a name: a known one, or one that is no everyday English word.
  const nameword = (t: Token): boolean => nameish(t) && (known(t) || !has(t, G_VOCAB));

  // Person names: 2–4 capitalised words that begin with a known first name, or end in a known
  // surname after a known first name.
  const nameTokens = new Set<string>();
  const fullNameTokens = new Set<string>();
  for (let i = 0; i < n; i++) {
    const t = toks[i]!;
    if (used[i] || !capitalised(t) || !has(t, G_FIRST) || has(t, G_COMMON)) continue;
    let j = i;
    let lastName = -1;
    while (j + 1 < n && j - i < 4 && !used[j + 1] && joined(text, toks[j]!, toks[j + 1]!)) {
      const nx = toks[j + 1]!;
      // A surname that is also a word ("Zoe Young", "Ivan King") counts after a known first name.
      if (isInitial(nx) || (capitalised(nx) && nx.end - nx.start > 1 && (!has(nx, G_COMMON) || has(nx, G_LAST)))) j++;
      else if (nx.shape === Shape.Lower && PARTICLES.has(nx.lower) && j + 2 < n && joined(text, nx, toks[j + 2]!) && nameish(toks[j + 2]!)) j += 2;
      else break;
      if (!isInitial(toks[j]!)) lastName = j;
    }
    if (lastName < 0) continue;
    // "Victoria Park", "Jordan Valley": both ends places, more likely a place.
    const endTok = toks[lastName]!;
    if (has(endTok, G_PLACE) && !has(endTok, G_LAST) && has(t, G_PLACE)) continue;
    let b = lastName;
    if (b + 1 < n && joined(text, toks[b]!, toks[b + 1]!) && SUFFIXES.has(toks[b + 1]!.lower)) b++;
    const known = has(endTok, G_LAST) || has(endTok, G_FIRST);
    if (known && anchored(t.start, toks[b]!.end)) {
      push(PERSON, i, b, 0.7);
      // Only known name words are taken as the same person again later ("early Yefremova").
      for (let k = i; k <= lastName; k++) if (has(toks[k]!, G_FIRST) || has(toks[k]!, G_LAST)) nameTokens.add(toks[k]!.lower);
    } else {
      push(PERSON_PART, i, b, QUASI_SCORE);
      for (let k = i; k <= lastName; k++) if (!isInitial(toks[k]!) && toks[k]!.shape !== Shape.Lower) fullNameTokens.add(toks[k]!.lower);
    }
    i = b;
  }

  // An unknown given name before a known surname ("Szabina J Gelencsér"), and a line that holds
  // nothing but two or three capitalised words next to contact details (the name line of an
  // address block).
  for (let i = 0; i + 1 < n; i++) {
    const t = toks[i]!;
    if (used[i] || !nameword(t) || has(t, G_PLACE)) continue;
    let j = i;
    while (j + 1 < n && j - i < 3 && !used[j + 1] && joined(text, toks[j]!, toks[j + 1]!) && (isInitial(toks[j + 1]!) || nameword(toks[j + 1]!))) j++;
    if (j === i || isInitial(toks[j]!)) continue;
    const endTok = toks[j]!;
    let ls = t.start;
    while (ls > 0 && (text[ls - 1] === ' ' || text[ls - 1] === '\t' || text[ls - 1] === '>' || text[ls - 1] === '?')) ls--;
    const lineStart = ls === 0 || text[ls - 1] === '\n';
    // "Faina D. Yefremova": a middle initial between two capitalised words is a name's shape.
    const initialled = j === i + 2 && isInitial(toks[i + 1]!) && text[toks[i + 1]!.end] === '.';
    const alone = lineStart && (endTok.end === text.length || text[endTok.end] === '\n') && anchored(t.start, endTok.end);
    // Two or three unknown capitalised words that do what people do ("… lives at", "says …").
    const acts = j + 1 < n && PERSON_VERBS.has(word(j + 1)) && joined(text, endTok, toks[j + 1]!);
    const cued = i > 0 && PERSON_CUES.has(word(i - 1)) && gap(text, toks[i - 1]!, t) === ' ';
    const surname = (has(endTok, G_LAST) || (!has(endTok, G_VOCAB) && surnameShaped(endTok.lower))) && !has(endTok, G_PLACE);
    if (surname || alone || ((acts || cued || initialled) && !has(endTok, G_PLACE))) {
      push(alone ? PERSON : PERSON_PART, i, j, alone ? 0.6 : QUASI_SCORE);
      i = j;
    }
  }

  // Lists of three or more single capitalised words ("Kónya, Becker and Vasquez") most of which are
  // known names: every member is a person.
  // In lower-case text the members must all be known given names ("silvana, adam, chad and caleb").
  const lowerFirst = (t: Token): boolean => t.shape === Shape.Lower && has(t, G_FIRST) && !has(t, G_COMMON);
  for (let i = 0; i < n; i++) {
    const lower = toks[i]!.shape === Shape.Lower;
    if (lower && !lowerCaseText) continue;
    const member = lower ? lowerFirst : (t: Token): boolean => nameish(t) || (capitalised(t) && has(t, G_LAST));
    // The member after "and" may be a surname that is also a word ("Šušulić, Bowman and White").
    const last = lower ? lowerFirst : capitalised;
    if (used[i] || !member(toks[i]!)) continue;
    const members = [i];
    let j = i;
    while (j + 1 < n) {
      const sep = gap(text, toks[j]!, toks[j + 1]!);
      if (sep === ', ' && member(toks[j + 1]!)) j++;
      else if ((sep === ' ' || sep === ', ') && (toks[j + 1]!.lower === 'and' || toks[j + 1]!.lower === '&') && j + 2 < n && last(toks[j + 2]!) && gap(text, toks[j + 1]!, toks[j + 2]!) === ' ') {
        j += 2;
        members.push(j);
        break;
      } else break;
      members.push(j);
    }
    if (members.length < 3) continue;
    const known = members.filter((k) => has(toks[k]!, G_FIRST) || has(toks[k]!, G_LAST) || (!has(toks[k]!, G_VOCAB) && surnameShaped(toks[k]!.lower))).length;
    const places = members.filter((k) => has(toks[k]!, G_PLACE)).length;
    const words = members.filter((k) => has(toks[k]!, G_VOCAB)).length;
    if (known > places && places * 2 < members.length && (!lower || words <= 1)) {
      for (const k of members) push(PERSON_PART, k, k, QUASI_SCORE);
    }
    i = j;
  }

  // Lower-case text: a known given name, perhaps an initial, and a word that is no everyday English
  // word ("follow up with eva kleist", "benjamin a seiler").
  for (let i = 0; lowerCaseText && i + 1 < n; i++) {
    const t = toks[i]!;
    // "mr. elliott": a lower-case honorific and a word that is no everyday English word.
    if (!used[i] && t.shape === Shape.Lower && HONORIFICS.has(t.lower) && text[t.end] === '.' && text[t.end + 1] === ' ') {
      const s = toks[i + 1]!;
      if (s.start === t.end + 2 && s.shape === Shape.Lower && s.end - s.start >= 3 && !has(s, G_COMMON | G_VOCAB)) {
        push(PERSON_PART, i, i + 1, QUASI_SCORE);
        i++;
        continue;
      }
    }
    if (used[i] || !lowerFirst(t)) continue;
    let j = i + 1;
    if (j + 1 < n && toks[j]!.end - toks[j]!.start === 1 && toks[j]!.shape === Shape.Lower && joined(text, t, toks[j]!)) j++;
    const s = toks[j]!;
    if (used[j] || s.shape !== Shape.Lower || !joined(text, toks[j - 1]!, s) || s.end - s.start < 3 || has(s, G_COMMON) || has(s, G_VOCAB)) continue;
    if (has(s, G_PLACE) && !has(s, G_LAST)) continue;
    // A given name that is also a word ("maria", "rose") needs a known surname after it.
    if (has(t, G_VOCAB) && !has(s, G_LAST)) continue;
    push(PERSON_PART, i, j, QUASI_SCORE);
    i = j;
  }

  // A lone known first name or surname after a word that announces a person ("my kid Lukas",
  // "a song by Kastner"), or as the vocative that opens a line ("Leif, can I …").
  for (let i = 0; i < n; i++) {
    const t = toks[i]!;
    if (used[i] || !nameish(t) || has(t, G_PLACE)) continue;
    const known = has(t, G_FIRST) || has(t, G_LAST);
    // An unknown word qualifies only after a speech or role cue ("says Hartvigsson", "by Ogasahara").
    const plain = has(t, G_VOCAB);
    const sep0 = i > 0 ? gap(text, toks[i - 1]!, t) : '';
    const single = i + 1 >= n || !capitalised(toks[i + 1]!) || !joined(text, t, toks[i + 1]!);
    // "says Hartvigsson", "she named him Luís", "last name? Arcuri".
    const strongCue =
      (STRONG_CUES.has(word(i - 1)) && sep0 === ' ') ||
      (NAMED_OBJECTS.has(word(i - 1)) && sep0 === ' ' && (word(i - 2) === 'named' || word(i - 2) === 'called')) ||
      (word(i - 1) === 'name' && (sep0 === ': ' || sep0 === '? '));
    const strong = (!plain || NAMED_OBJECTS.has(word(i - 1))) && i > 0 && strongCue && single;
    // "Nikolaj spent a year …": a lone capitalised word that does what people do, at a sentence start.
    const sentenceStart = i === 0 || text[toks[i - 1]!.end] === '.' || text[t.start - 1] === '\n';
    const acts = !plain && sentenceStart && i + 1 < n && PERSON_VERBS.has(word(i + 1)) && joined(text, t, toks[i + 1]!);
    // A lone word with a family name's ending inside a sentence ("than early Yefremova").
    const shaped = !plain && !known && !sentenceStart && single && surnameShaped(t.lower) && (i === 0 || !capitalised(toks[i - 1]!) || !joined(text, toks[i - 1]!, t));
    // "Warrane, can I …": an unknown word opening a line as the one addressed.
    const addressed = !plain && !known && (t.start === 0 || text[t.start - 1] === '\n') && text[t.end] === ',' && VOCATIVE_NEXT.has(word(i + 1));
    if (!known && !strong && !acts && !addressed && !shaped && !nameTokens.has(t.lower) && !fullNameTokens.has(t.lower)) continue;
    const sep = i > 0 ? gap(text, toks[i - 1]!, t) : '';
    const cued = i > 0 && (sep === ' ' || sep === ': ' || sep === '? ') && (PERSON_CUES.has(word(i - 1)) || (word(i - 1) === 'name' && sep !== ' '));
    const lineStart = t.start === 0 || text[t.start - 1] === '\n';
    // "Leif, can I …" at the start of a line, "Don't go to town, Roy!" at the end of a sentence.
    const after = text[t.end];
    const vocative = has(t, G_FIRST) && ((lineStart && after === ',') || (sep === ', ' && (after === '!' || after === '?')));
    // A surname or first name already seen in a full name is the same person again ("early Yefremova").
    if (nameTokens.has(t.lower)) push(PERSON, i, i, 0.6);
    else if (fullNameTokens.has(t.lower)) push(PERSON_PART, i, i, QUASI_SCORE);
    else if (cued || vocative || strong || acts || addressed || shaped) push(PERSON_PART, i, i, QUASI_SCORE);
  }

  const personEnds = new Set<number>();
  const personLines = new Set<number>();
  for (const m of out) {
    if (m.rule.id !== PERSON.id && m.rule.id !== PERSON_PART.id) continue;
    personEnds.add(m.end);
    // A name alone on its line: the line after it in a contact block is usually the employer.
    if (text[m.end] === '\n') personLines.add(m.end + 1);
  }

  // Organisations: capitalised words ending in a company designator ("Healthpocket Inc",
  // "Loveland Technologies", "Allstate Insurance Group"), and "Surname-Surname" firms.
  for (let i = 0; i < n; i++) {
    const t = toks[i]!;
    if (used[i] || t.shape === Shape.Lower || t.shape === Shape.Digits) continue;
    if (t.shape === Shape.Cap && t.lower.includes('-')) {
      const parts = t.lower.split('-');
      if (parts.length === 2 && parts.every((p) => (wordBits(g, p) & (G_LAST | G_COMMON)) === G_LAST)) {
        push(ORGANIZATION, i, i, QUASI_SCORE);
        continue;
      }
    }
    let j = i;
    let hit = -1;
    while (j + 1 < n && j - i < 4 && joined(text, toks[j]!, toks[j + 1]!)) {
      const nx = toks[j + 1]!;
      if (nx.shape === Shape.Lower) {
        // "and Sons"
        if (nx.lower === 'and' && j + 2 < n && toks[j + 2]!.lower === 'sons' && joined(text, nx, toks[j + 2]!)) hit = j + 2;
        break;
      }
      if (nx.shape === Shape.Digits) break;
      j++;
      if (has(nx, G_ORG) || (wordBits(g, `${nx.lower}.`) & G_ORG) !== 0) hit = j;
    }
    // Without a designator, an employer cue ("worked at X", "joined X", "Jane Roe of X") names the firm.
    if (hit < 0 && t.shape === Shape.Cap && !has(t, G_COMMON) && !has(t, G_VOCAB) && !has(t, G_PLACE) && !has(t, G_FIRST)) {
      const p1 = word(i - 1);
      const afterPerson = (p1 === 'from' || p1 === 'of') && i >= 2 && personEnds.has(toks[i - 2]!.end);
      let end = i;
      for (let k = i + 1; k <= j && toks[k]!.shape === Shape.Cap && !has(toks[k]!, G_COMMON); k++) end = k;
      // "… the Roadify website", "Telenav is a design agency", "Acme's CEO".
      const nx1 = word(end + 1);
      const art = word(end + 2);
      const isA = (nx1 === 'is' || nx1 === 'was') && (art === 'a' || art === 'an' || art === 'the');
      // "… is a 501(c)(3)": the US tax status of a nonprofit.
      const described = isA && (ORG_NOUNS.has(word(end + 3)) || ORG_NOUNS.has(word(end + 4)) || (art === 'a' && word(end + 3) === '501'));
      const before = i > 0 && gap(text, toks[i - 1]!, t) === ' ' && (afterPerson || ORG_CUES.has(p1) || ((p1 === 'at' || p1 === 'for' || p1 === 'by') && EMPLOYMENT.has(word(i - 2))));
      if (before || described || ORG_AFTER.has(nx1)) hit = end;
    }
    if (hit < 0 && t.shape === Shape.Cap && personLines.size > 0 && !has(t, G_PLACE)) {
      let ls = t.start;
      while (ls > 0 && (text[ls - 1] === ' ' || text[ls - 1] === '\t' || text[ls - 1] === '>' || text[ls - 1] === '?')) ls--;
      const lineEnd = toks[j]!.end;
      if (personLines.has(ls) && (lineEnd === text.length || text[lineEnd] === '\n')) hit = j;
    }
    if (hit < 0 || has(t, G_ORG) || WEEKDAYS.has(t.lower) || (has(t, G_COMMON) && hit === i + 1 && t.lower.length < 4)) continue;
    push(ORGANIZATION, i, hit, QUASI_SCORE);
    i = hit;
  }

  // Places: known place names of up to four words, and capitalised words after "flew to", "grew up
  // in", "originally from" … whatever the gazetteer says.
  for (let i = 0; i < n; i++) {
    const t = toks[i]!;
    if (used[i]) continue;
    if (t.shape === Shape.Lower) {
      // Lower-case text: a known place after a place cue ("originally from switzerland").
      if (lowerCaseText && i >= 2 && PLACE_PREPS.has(word(i - 1)) && PLACE_VERBS.has(word(i - 2)) && has(t, G_PLACE | G_COUNTRY) && !has(t, G_COMMON | G_VOCAB)) push(LOCATION, i, i, QUASI_SCORE);
      continue;
    }
    if (t.shape !== Shape.Cap && t.shape !== Shape.Upper) continue;
    // "… flew to X", "the city X", "the corner of X and Y".
    const cue = (i >= 2 && PLACE_PREPS.has(word(i - 1)) && (PLACE_VERBS.has(word(i - 2)) || word(i - 2) === 'corner')) || (i >= 1 && PLACE_NOUNS.has(word(i - 1)));
    let best = -1;
    // Longer names are looked up only after a word that starts one.
    const head = has(t, G_HEAD);
    let phrase = t.lower;
    let j = i;
    if (has(t, G_PLACE) && !has(t, G_COMMON)) best = i;
    while (j + 1 < n && j - i < 4 && joined(text, toks[j]!, toks[j + 1]!)) {
      const nx = toks[j + 1]!;
      if (nx.shape === Shape.Digits || used[j + 1]) break;
      if (nx.shape === Shape.Lower && !PLACE_JOINERS.has(nx.lower)) break;
      j++;
      if (head) {
        phrase += ` ${nx.lower}`;
        if (nx.shape !== Shape.Lower && g.phrases.has(phrase)) best = j;
      }
    }
    // "in Quinta de São Tiago 3610-114": capitalised words and a postcode after "in".
    const coded =
      word(i - 1) === 'in' && j + 1 < n && toks[j + 1]!.shape === Shape.Digits && toks[j + 1]!.start - toks[j]!.end === 1 && text[toks[j]!.end] === ' ' && postcodeShaped(text, toks, j + 1);
    if (coded && best >= 0 && !has(t, G_COMMON) && !has(t, G_VOCAB)) best = j;
    else if (best < 0 && (cue || coded) && !has(t, G_COMMON) && !has(t, G_VOCAB)) {
      best = i;
      // Take the rest of a capitalised run after a place cue ("flew to Villafranca del Cid").
      for (let k = i + 1; k <= j; k++) if (toks[k]!.shape !== Shape.Lower && !has(toks[k]!, G_COMMON)) best = k;
    }
    // A street named without its number is a place too ("on Marina Fort Street").
    if (t.shape === Shape.Cap) {
      for (let k = Math.max(i + 1, best + 1); k <= j; k++) if (toks[k]!.shape === Shape.Cap && STREET_WORDS.has(toks[k]!.lower)) best = k;
    }
    if (best < 0) continue;
    // A lone word that is also a first name is a place only with a cue or in capitals ("LONDON").
    if (best === i && !cue && t.shape === Shape.Cap && has(t, G_FIRST) && !has(t, G_COUNTRY) && text[t.end] !== ',') continue;
    push(LOCATION, i, best, QUASI_SCORE);
    i = best;
  }

  for (let i = 0; i < n; i++) {
    const t = toks[i]!;
    if (used[i]) continue;
    if (t.shape === Shape.Digits) {
      const afterPlace = i > 0 && placeEnds.has(toks[i - 1]!.end) && /^[ \t]{1,6}$/.test(gap(text, toks[i - 1]!, t));
      digitEntity(text, toks, i, push, afterPlace);
      continue;
    }
    // Lower case only where the sentence says who someone is ("I am cambodian", "we are proud saudis").
    if (t.shape !== Shape.Cap && !(t.shape === Shape.Lower && SELF_CUES.has(word(i - 1)))) continue;
    // Nationalities, religions and political groups, singular or plural ("Icelandic", "Saudis").
    const sing = t.lower.endsWith('s') ? t.lower.slice(0, -1) : t.lower;
    // "Greenlanders", "Londoner": the people of a place named in -er.
    const stem = sing.endsWith('er') && t.shape === Shape.Cap && !has(t, G_VOCAB | G_FIRST | G_LAST | G_COMMON) ? sing.slice(0, -2) : '';
    const demonym = stem.length >= 4 && (wordBits(g, stem) & (G_PLACE | G_COUNTRY)) !== 0 && (wordBits(g, stem) & G_COMMON) === 0;
    if (demonym || has(t, G_NRP) || (wordBits(g, sing) & G_NRP) !== 0 || (t.lower.endsWith('es') && (wordBits(g, t.lower.slice(0, -2)) & G_NRP) !== 0)) {
      if (!LANGUAGE_CUES.has(word(i - 1))) push(NRP, i, i, QUASI_SCORE);
      continue;
    }
    if (WEEKDAYS.has(t.lower)) {
      push(DATE, i, i, QUASI_SCORE);
      continue;
    }
    if (MONTHS.has(t.lower)) {
      // "March 3, 2021", "3 March 2021", "March 2021": the month needs a number next to it.
      const prevNum = i > 0 && toks[i - 1]!.shape === Shape.Digits && t.start - toks[i - 1]!.end <= 3 && Number(toks[i - 1]!.lower) <= 31;
      let b = i;
      if (i + 1 < n && toks[i + 1]!.shape === Shape.Digits && toks[i + 1]!.start - t.end <= 3) {
        b = i + 1;
        if (b + 1 < n && toks[b + 1]!.shape === Shape.Digits && toks[b + 1]!.lower.length === 4 && toks[b + 1]!.start - toks[b]!.end <= 3) b++;
      }
      if (prevNum || b > i) push(DATE, prevNum ? i - 1 : i, b, QUASI_SCORE);
    }
  }
}

/** Hosts of URLs written with capitals ("https://www.AcmeTravel.de/"): a site's own name. */
function scanHosts(text: string, out: EntityMatch[]): void {
  for (let at = text.indexOf('://'); at >= 0; at = text.indexOf('://', at + 3)) {
    let s = at + 3;
    let e = s;
    while (e < text.length && e - s < 253) {
      const c = text.charCodeAt(e);
      if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 45 || c === 46) e++;
      else break;
    }
    while (e > s && text[e - 1] === '.') e--;
    if (text.startsWith('www.', s) || text.startsWith('WWW.', s)) s += 4;
    const host = text.slice(s, e);
    const dot = host.lastIndexOf('.');
    if (dot <= 0 || dot > host.length - 3 || !namedHost(host)) continue;
    out.push({ rule: DOMAIN, start: s, end: e, score: QUASI_SCORE, title: DOMAIN.title });
  }
}

/** A number of three to five digits, not a year, optionally with a second group ("840 24", "3610-114"). */
function postcodeShaped(text: string, toks: readonly Token[], i: number): boolean {
  const v = toks[i]!.lower;
  if (v.length < 3 || v.length > 5) return false;
  if (v.length === 4 && (v.startsWith('19') || v.startsWith('20'))) return false;
  const after = text.charCodeAt(toks[i]!.end);
  // Not a number inside a longer one ("1,000", "3.5").
  return !((after === 44 || after === 46) && isDigit(text.charCodeAt(toks[i]!.end + 1)));
}

type Push = (rule: EntityRule, a: number, b: number, score: number, startAt?: number, endAt?: number) => void;

function digitEntity(text: string, toks: readonly Token[], i: number, push: Push, afterPlace: boolean): void {
  const t = toks[i]!;
  const n = toks.length;
  const v = t.lower;
  const num = Number(v);
  const next = (k: number): string => toks[i + k]?.lower ?? '';
  const prev = (k: number): string => toks[i - k]?.lower ?? '';
  const after = text.slice(t.end, t.end + 4);
  // Ages: "42 years old", "42-year-old", "31 y/o", "aged 42", "at the age of 61", "age: 42".
  if (v.length <= 3 && num > 0 && num <= 120) {
    const yearsOld = (next(1) === 'year' || next(1) === 'years' || next(1) === 'yrs' || next(1) === 'year-old' || next(1) === 'years-old') && (next(2) === 'old' || next(1).endsWith('-old'));
    const yo = after.startsWith(' y/o') || after.startsWith('y/o') || after.startsWith(' yo ') || after.startsWith(' yo,') || after.startsWith(' yo.');
    const aged = prev(1) === 'aged' || (prev(1) === 'of' && prev(2) === 'age') || (prev(1) === 'age' && /^[ :]{1,3}$/.test(text.slice(toks[i - 1]!.end, t.start)));
    if (yearsOld || yo || aged) {
      push(AGE, i, i, QUASI_SCORE);
      return;
    }
  }
  // Numeric dates: 12/31/2020, 31.12.2020, 2020-12-31.
  if (i + 2 < n && v.length <= 4) {
    const a = toks[i + 1]!;
    const b = toks[i + 2]!;
    const s1 = text.slice(t.end, a.start);
    if (a.shape === Shape.Digits && b.shape === Shape.Digits && (s1 === '/' || s1 === '-' || s1 === '.') && text.slice(a.end, b.start) === s1) {
      const parts = [v, a.lower, b.lower];
      const yearFirst = v.length === 4;
      const mid = Number(a.lower);
      const okLen = yearFirst ? a.lower.length <= 2 && b.lower.length <= 2 : v.length <= 2 && a.lower.length <= 2 && (b.lower.length === 2 || b.lower.length === 4);
      if (okLen && mid >= 1 && mid <= 31 && parts.every((p) => Number(p) > 0)) {
        push(DATE, i, i + 2, QUASI_SCORE);
        return;
      }
    }
  }
  // Years in context: "founded in 1977", "since 2002".
  if (v.length === 4 && num >= 1900 && num <= 2099 && YEAR_CUES.has(prev(1)) && !/^[.,]\d/.test(after)) {
    push(DATE, i, i, QUASI_SCORE);
    return;
  }
  // Postcodes after a cue ("ZIP: 3520", "postal code 7412 SL") and US "City, ST 12345(-6789)".
  const cue = prev(1) === 'zip' || prev(1) === 'zipcode' || prev(1) === 'postcode' || (prev(1) === 'code' && (prev(2) === 'zip' || prev(2) === 'postal' || prev(2) === 'post'));
  const state = i > 0 && toks[i - 1]!.shape === Shape.Upper && US_STATES.has(text.slice(toks[i - 1]!.start, toks[i - 1]!.end)) && text.slice(toks[i - 1]!.end, t.start) === ' ' && v.length === 5;
  // A number right after a town or country is its postcode ("Hungary 06554", "ARENDAL 4844").
  const placed = afterPlace && v.length >= 3 && v.length <= 6;
  if ((cue && v.length >= 3 && v.length <= 6) || state || placed) {
    let b = i;
    if (i + 1 < n && toks[i + 1]!.start - t.end === 1 && (text[t.end] === '-' || text[t.end] === ' ') && toks[i + 1]!.end - toks[i + 1]!.start <= 4 && toks[i + 1]!.shape !== Shape.Lower) b = i + 1;
    push(ZIP, i, b, QUASI_SCORE);
  }
}
