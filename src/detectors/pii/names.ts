// Person names and street addresses. Without a language model these are only caught where the text
// itself says what follows ("my name is", "Dear", "Mr.") or where an address has its usual shape
// (number + name + street type). Precision over recall: a false "name" on every capitalised word
// would make redaction useless.
import { rule } from './rule.ts';
import type { Candidate, PiiRule, Verdict } from './rule.ts';

// A capitalised name word (Unicode letters, apostrophes, hyphens), optionally an initial "J.".
const WORD = String.raw`\p{Lu}[\p{Ll}\p{Lo}'’-]{1,30}`;
const NAME = String.raw`${WORD}(?:[ \t]{1,2}(?:\p{Lu}\.|${WORD})){0,3}`;

// Capitalised words that follow the cues but are not names.
const NOT_NAMES = new Set(
  (
    'I The A An This That These Those It Its Sorry Here There Not Going Looking Trying Interested All Everyone Everybody World Team ' +
    'Guys Folks Sir Madam Friends Friend Good Happy Glad Also Just Still Very So From In On At With To For By About New Using Working ' +
    'Writing Currently Chatgpt Gpt Claude Assistant User Bot Customer Support Admin Human Ai Model System Developer Sure Yes No Okay Ok ' +
    'Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July August September October ' +
    'November December Thanks Thank Please Welcome Hello Hi Hey Dear There Again Back Done Ready Now Today Tomorrow Yesterday Mister ' +
    'Doctor Professor Student Teacher Manager Engineer Programmer Writer Expert Your You My We Our They He She His Her Their What ' +
    'How Why When Where Who Which Can Could Would Should Will Shall Do Does Did Is Are Was Were Be Being Been Have Has Had Not Nothing ' +
    'Something Someone Anyone Sometimes Always Never Dan Developer Mode Jailbreak Free Unrestricted Unfiltered Evil Dude Stan Aim ' +
    'English Spanish French German Italian Chinese Japanese Python Java Javascript Typescript React Linux Windows Google Microsoft Apple ' +
    'String Integer Int Number Boolean Bool Float Double Object Array List Str Text Type Null None Void Any Unknown True False'
  )
    .split(' ')
    .map((w) => w.toLowerCase()),
);

function person(c: Candidate): Verdict {
  const words = c.value.split(/[ \t]+/);
  // Drop trailing words that are clearly not part of the name ("Dear John Thanks").
  while (words.length > 0 && NOT_NAMES.has(words[words.length - 1]!.replace(/[.’']/g, '').toLowerCase())) words.pop();
  if (words.length === 0 || NOT_NAMES.has(words[0]!.toLowerCase()) || /^I['’]/.test(words[0]!)) return false;
  const value = words.join(' ');
  const start = c.start + c.value.indexOf(words[0]!);
  return { start, end: start + value.length };
}

const STREET_TYPES =
  'Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|Terrace|Ter|Parkway|Pkwy|Circle|Cir|Square|Sq|' +
  'Highway|Hwy|Trail|Trl|Crescent|Cres|Close|Plaza|Plz|Alley|Row|Walk|Loop|Pike|Point|Ridge|Heights|Hts|Gardens|Gdns|Mews|Grove|' +
  'Green|Hill|Expressway|Expy|Freeway|Fwy|Causeway|Quay|Wharf|Parade|Esplanade|Crossing|Junction|Jct|Extension|Ext|Squares|Union|Fort|' +
  'Forges|Pass|Estates|Meadows|Springs|Falls|Harbor|Harbour|Island|Isle|Lake|Lakes|Landing|Manor|Mill|Mills|Orchard|Overpass|' +
  'Ranch|Shoal|Shore|Shores|Station|Summit|Valley|Viaduct|View|Villa|Village|Ville|Vista';
const UNIT = String.raw`(?:,?[ \t]{1,2}(?:Apt|Apartment|Suite|Ste|Unit|Floor|Fl|Room|Rm|Flat)\.?[ \t]{0,2}#?[0-9A-Z]{1,6})?`;
const TYPE_FIRST = 'Rue|Avenue|Av\\.|Avenida|Boulevard|Bd|Via|Viale|Piazza|Corso|Calle|Carrer|Rua|Travessa|Praça|Largo|Paseo|Camino|Chemin|Route|Allée|Quai|Impasse|ul\\.|ulica|Strada|Straße|Strasse';
// Street-name suffixes in German, Dutch, Nordic, Finnish and Central European languages, followed by
// a house number ("Musterstraße 12", "Puruntie 82", "Mellemvej 32").
const LOCAL_SUFFIX =
  'straße|strasse|str\\.|weg|gasse|platz|allee|damm|ufer|straat|laan|gracht|plein|singel|kade|vej|gade|gata|gatan|vägen|väg|veien|vei|gate|' +
  'tie|katu|polku|kuja|utca|ulice|stræti|gata';

// What follows a street line in a postal address: a unit, a town (optionally with a state code and a
// postcode), a country, a bare postcode. Each piece is one line, one comma-separated field or one
// wide column ("LAPPEENRANTA     SK     53650"), and must end where its line or field ends, so a
// following sentence ("\nThe next day …") is never taken in. A field left empty in an export ("nan",
// "N/A") is stepped over, and a postcode may be Polish ("53-320"), Swedish ("340 12") or Canadian
// ("B0J 2H0"). Sticky and bounded: tried only at the end of an address already found.
const ADDRESS_TAIL = new RegExp(
  String.raw`(?:,[ \t]{0,2}|[ \t]{2,8}|[ \t]{0,3}\n[ \t>?]{0,8})(?:(?:Apt|Apartment|Suite|Ste|Unit|Floor|Fl|Room|Rm|Flat)\.?[ \t]{0,2}#?[0-9A-Z]{1,6}|\p{Lu}[\p{L}'’.-]{0,30}(?:[ \t]{1,2}(?:\p{Lu}[\p{L}'’.-]{0,30}|d[aeo]s?|de la|del|di|la|le)){0,3}(?:,?[ \t]{1,5}[A-Z]{2})?(?:,?[ \t]{1,5}\d{3,5}(?:[ -]\d{2,4})?)?|\d{3,5}(?:[ -]\d{2,4})?|\d{2}-\d{3}|[A-Z]\d[A-Z][ ]?\d[A-Z]\d|nan|NaN|N\/A|n\/a)(?=[ \t]{0,3}(?:\n|,|$|[?.!)]|[ \t]{2}))`,
  'uy',
);
const MAX_TAIL = 5;
/** For the ReDoS tests: the tail pattern, unanchored. */
export const ADDRESS_TAIL_PATTERN = new RegExp(ADDRESS_TAIL.source, 'gu');

/** The span of an address found by a street rule, extended over its unit, town, country and postcode. */
function withTail(c: Candidate, start = c.start, end = c.end): Verdict {
  // A postcode written before the street ("28919 136 Filadelfeos Str.") belongs to the address.
  const t = c.text;
  const k = start - 1;
  if (t[k] === ' ') {
    let d = k;
    while (d > 0 && k - d < 6 && t.charCodeAt(d - 1) >= 48 && t.charCodeAt(d - 1) <= 57) d--;
    const before = d === 0 ? '\n' : t[d - 1]!;
    if (k - d >= 3 && (before === ' ' || before === '\n' || before === '>' || before === '\t')) start = d;
  }
  let e = end;
  for (let piece = 0; piece < MAX_TAIL; piece++) {
    ADDRESS_TAIL.lastIndex = e;
    const m = ADDRESS_TAIL.exec(c.text);
    if (m === null || m[0].length === 0) break;
    e += m[0].length;
  }
  return e === end && start === c.start && end === c.end ? true : { start, end: e };
}

export const NAME_RULES: readonly PiiRule[] = [
  // Cue words are matched as literals first (so V8 can skip to them); the word boundary before the
  // cue is checked in code rather than by a leading lookbehind, which would be tried at every position.
  rule(
    'person-name',
    'Person name',
    new RegExp(
      String.raw`(?:[Mm]y (?:full |real |legal |first |last )?name(?: is|'s|:)|[Ff]ull [Nn]ame\s?:|[Nn]ame\s?:|[Pp]atient name\s?:|[Cc]ustomer name\s?:|[Cc]ontact name\s?:|Attn\.?:?|(?:Mr|Mrs|Ms|Mx|Miss|Dr|Prof|Sir)\.?)[ \t]{1,2}(${NAME})`,
      'dgu',
    ),
    {
      score: 0.7,
      severity: 'medium',
      needs: {
        cues: [
          { literals: ['name', 'Name'], exactCase: true },
          { literals: ['Mr', 'Mrs', 'Ms', 'Mx', 'Miss', 'Dr', 'Prof', 'Sir', 'Attn'], exactCase: true, word: true },
        ],
        re: /[Nn]ame|\bM(?:rs?|s|x|iss)\b|\b(?:Dr|Prof|Sir|Attn)\b/,
      },
      valueGroup: 1,
      verify: (c) => {
        const before = c.text.slice(Math.max(0, c.match.index - 6), c.match.index);
        if (/\p{L}$/u.test(before) || /Notre $/.test(before)) return false;
        const v = person(c);
        // An honorific is part of the name ("Mrs. Labrie"): it tells the reader who is meant.
        if (typeof v === 'object' && /^(?:Mr|Mrs|Ms|Mx|Miss|Dr|Prof|Sir)\b/.test(c.match[0])) return { ...v, start: c.match.index };
        return v;
      },
    },
  ),
  // Greetings at the start of a line, and the name on the line after a sign-off.
  rule(
    'person-name',
    'Person name',
    new RegExp(
      String.raw`(?:^[ \t]{0,40}(?:Hi|Hello|Hey|Dear)[ \t]{1,3}|(?:Sincerely|Regards|Best regards|Kind regards|Best wishes|Cheers|Signed)[,.]?[ \t]{0,3}\n[ \t]{0,40})(${NAME})`,
      'dgmu',
    ),
    {
      score: 0.7,
      severity: 'medium',
      needs: {
        cues: [
          // The greeting is followed by a blank (see the pattern).
          { literals: ['Hi ', 'Hi\t', 'Hey ', 'Hey\t', 'Dear ', 'Dear\t'], exactCase: true },
          { literals: ['Hello', 'Sincerely', 'Regards', 'regards', 'Cheers', 'Signed', 'Best wishes', 'best wishes'], exactCase: true },
        ],
        re: /\b(?:Hi|Hey|Dear)\b|Hello|Sincerely|[Rr]egards|Cheers|Signed|[Bb]est wishes/,
      },
      valueGroup: 1,
      verify: person,
    },
  ),
  rule(
    'street-address',
    'Street address',
    new RegExp(
      String.raw`(?<![\p{L}\d.])\d{1,6}(?:-\d{1,5})?[A-Za-z]?,?[ \t]{1,2}(?:\d{1,5}[ \t]{1,2})?(?:(?:[NSEW]\.?|North|South|East|West)[ \t]{1,2})?(?:\p{Lu}[\p{L}'.-]{0,25}[ \t]{1,2}){1,4}(?:${STREET_TYPES})\.?(?![\p{L}\d])${UNIT}`,
      'dgu',
    ),
    // The street type follows a blank; a cue with the blank is far rarer in prose than "St" alone.
    {
      score: 0.7,
      severity: 'medium',
      needs: { digits: 1, cues: [{ literals: STREET_TYPES.split('|').flatMap((t) => [` ${t}`, `\t${t}`]), exactCase: true, word: 'end' }] },
      verify: withTail,
    },
  ),
  rule(
    'street-address',
    'Street address',
    new RegExp(
      String.raw`(?<![\p{L}\d])(?:\d{1,6},?[ \t]{1,2})?(?:${TYPE_FIRST})[ \t]{1,2}(?:(?:\p{Lu}[\p{L}'’.-]{0,25}|d[aeiou]s?|de la|del|di|van|von|al|el)[ \t]{1,2}){0,4}\p{Lu}[\p{L}'’.-]{1,25}(?:,?[ \t]{1,2}\d{1,5}[A-Za-z]?(?![\p{L}\d]))?${UNIT}`,
      'dgu',
    ),
    {
      score: 0.65,
      severity: 'medium',
      needs: { digits: 1, cues: [{ literals: TYPE_FIRST.replace(/\\/g, '').split('|'), exactCase: true, word: true }], re: new RegExp(`\\b(?:${TYPE_FIRST})[ \\t]`) },
      // Without a house number on either side "Via Roma" is just a name.
      verify: (c) => /\d/.test(c.value) && withTail(c),
    },
  ),
  rule(
    'street-address',
    'Street address',
    new RegExp(String.raw`(?<![\p{L}\d])(?:\d{1,6}[ \t]{1,2}[\p{Lu}\p{Ll}]|\p{Lu})[\p{L}-]{1,30}(?:${LOCAL_SUFFIX})[ \t]{1,2}\d{1,5}[A-Za-z]?(?![\p{L}\d])${UNIT}`, 'dgu'),
    // Gate: a suffix right before " <number>", found by scanning for the blank-digit pair first.
    {
      score: 0.65,
      severity: 'medium',
      needs: {
        digits: 1,
        cues: [{ literals: LOCAL_SUFFIX.replace(/\\/g, '').split('|').flatMap((x) => [`${x} `, `${x}\t`]), exactCase: true }],
        re: new RegExp(`[ \\t]\\d(?<=(?:${LOCAL_SUFFIX})[ \\t]{1,2}\\d)`),
      },
      verify: withTail,
    },
  ),
  // European order, "<postcode or number> <street> <house number>", only when an
  // apartment/suite designator, a comma or a line break follows: a number-word-number run alone is
  // far more often a count, a date or a title.
  rule(
    'street-address',
    'Street address',
    new RegExp(String.raw`(?<![\p{L}\d])\d{3,6}[ \t]{1,2}(?!(?:January|February|March|April|May|June|July|August|September|October|November|December)\b)\p{Lu}[\p{Ll}'’-]{1,25}(?:[ \t]\p{Lu}[\p{Ll}'’-]{1,25}){0,2}[ \t]{1,2}\d{1,5}[A-Za-z]?(?=,|[ \t]{0,3}\n|[ \t]{1,2}(?:Apt|Apartment|Suite|Ste|Unit|Flat)\b)${UNIT}`, 'dgu'),
    { score: 0.55, severity: 'medium', needs: { digits: 4, digitRun: 3 }, verify: withTail },
  ),
  rule('street-address', 'Post office box', /(?<![\p{L}\d])(?:P\.?[ \t]?O\.?[ \t]?Box|PO Box|PSC|Unit)[ \t]{1,2}\d{1,6}(?:,[ \t]{0,2}Box[ \t]{1,2}\d{1,6})?/dgu, {
    score: 0.7,
    severity: 'medium',
    needs: { digits: 1, cues: [{ literals: ['Box', 'PSC', 'Unit'], exactCase: true }] },
  }),
];
