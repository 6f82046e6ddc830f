// Measures the secrets and PII detectors against the development data (see ../shared/data/SOURCES.md):
//   secrets recall   — `secret` rows of gitleaks and secretlint (a row counts if anything is found)
//   PII recall       — presidio_synth spans (a span counts if a finding overlaps it), per entity type
//   false positives  — `benign` rows of every other source (a row counts if anything is found)
// Usage: node scripts/measure-secrets-pii.ts [DATA_DIR] [--show-misses | --show-all-misses]
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findPii, QUASI_IDENTIFIER_RULES } from '../src/detectors/pii/index.ts';
import { findSecrets } from '../src/detectors/secrets/index.ts';

interface Row {
  text: string;
  label: string;
  meta: {
    id?: string;
    rule_id?: string;
    rule?: string;
    config_dependent?: boolean;
    spans?: { entity_type?: string; start: number; end: number }[];
  };
}

const args = process.argv.slice(2);
const showMisses = args.includes('--show-misses') || args.includes('--show-all-misses');
const showAllMisses = args.includes('--show-all-misses');
const here = dirname(fileURLToPath(import.meta.url));
const dataDir = resolve(args.find((a) => !a.startsWith('--')) ?? process.env.PARAPET_DATA ?? join(here, '..', '..', 'shared', 'data'));

if (!existsSync(dataDir)) {
  console.log(`No development data at ${dataDir}; nothing to measure (pass a directory or set PARAPET_DATA).`);
  process.exit(0);
}

function load(source: string): Row[] {
  const file = join(dataDir, source, 'dev.jsonl');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim().length > 0)
    .map((l) => JSON.parse(l) as Row);
}

const pct = (a: number, b: number): string => (b === 0 ? 'n/a' : `${((100 * a) / b).toFixed(1)}%`);
const sources = readdirSync(dataDir, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

// ---- secrets -----------------------------------------------------------------------------------
const SECRET_SOURCES = ['gitleaks', 'secretlint'];
let secretRows = 0;
let secretFound = 0;
let hardNeg = 0;
let hardNegHit = 0;
let skippedConfig = 0;
const secretMisses: string[] = [];
for (const src of SECRET_SOURCES) {
  for (const r of load(src)) {
    // secretlint fixtures that only fire with non-default rule options ("allows" lists, opt-in
    // rules) say nothing about default behaviour.
    if (r.meta.config_dependent) {
      skippedConfig++;
      continue;
    }
    const found = findSecrets(r.text).length > 0;
    if (r.label === 'secret') {
      secretRows++;
      if (found) secretFound++;
      else secretMisses.push(`${src}:${r.meta.rule_id ?? r.meta.rule ?? '?'} ${JSON.stringify(r.text.slice(0, 80))}`);
    } else if (r.label === 'benign') {
      hardNeg++;
      if (found) hardNegHit++;
    }
  }
}

// ---- benign rows of all other sources ---------------------------------------------------------
let benign = 0;
let benignSecret = 0;
let benignPii = 0;
let benignHard = 0;
let benignHardPii = 0;
let benignHardSecret = 0;
// Direct identifiers are what the default policy redacts in output; quasi-identifiers (places,
// organisations, dates, ages, lone name words …) are only reported.
let benignPiiDirect = 0;
let benignPiiQuasi = 0;
let benignHardPiiDirect = 0;
const isQuasi = (id: string): boolean => QUASI_IDENTIFIER_RULES.has(id);
const piiFpByRule = new Map<string, number>();
const secretFpByRule = new Map<string, number>();
for (const src of sources) {
  if (SECRET_SOURCES.includes(src) || src === 'presidio_synth') continue;
  for (const r of load(src)) {
    if (r.label !== 'benign') continue;
    benign++;
    const hard = (r.meta as { hard_negative?: boolean }).hard_negative === true;
    if (hard) benignHard++;
    const s = findSecrets(r.text);
    if (s.length > 0) {
      benignSecret++;
      if (hard) benignHardSecret++;
      for (const m of new Set(s.map((x) => x.rule.id))) secretFpByRule.set(m, (secretFpByRule.get(m) ?? 0) + 1);
    }
    const p = findPii(r.text);
    if (p.some((x) => !isQuasi(x.rule.id))) {
      benignPiiDirect++;
      if (hard) benignHardPiiDirect++;
    }
    if (p.some((x) => isQuasi(x.rule.id))) benignPiiQuasi++;
    if (p.length > 0) {
      benignPii++;
      if (hard) benignHardPii++;
      for (const m of new Set(p.map((x) => x.rule.id))) piiFpByRule.set(m, (piiFpByRule.get(m) ?? 0) + 1);
    }
  }
}

// ---- PII recall ----------------------------------------------------------------------------------
// Entity types the PII detector targets with format rules. PERSON and STREET_ADDRESS (gazetteers,
// cues, address shapes) are reported on their own; GPE, ORGANIZATION, NRP, TITLE, DATE_TIME, AGE and
// ZIP_CODE are found as quasi-identifiers (reported, not redacted by default), and so is DOMAIN_NAME
// (URL hosts written with capitals).
const TARGETED = new Set(['EMAIL_ADDRESS', 'PHONE_NUMBER', 'CREDIT_CARD', 'US_SSN', 'IBAN_CODE', 'IP_ADDRESS', 'US_DRIVER_LICENSE']);
const PARTIAL = new Set(['PERSON', 'STREET_ADDRESS']);
const QUASI = new Set(['GPE', 'ORGANIZATION', 'NRP', 'TITLE', 'DATE_TIME', 'AGE', 'ZIP_CODE', 'DOMAIN_NAME']);
const perType = new Map<string, { found: number; total: number }>();
const piiMisses: string[] = [];
let piiRowsBenign = 0;
let piiRowsBenignHit = 0;
for (const r of load('presidio_synth')) {
  const found = findPii(r.text);
  if (r.label === 'benign') {
    piiRowsBenign++;
    if (found.length > 0) piiRowsBenignHit++;
  }
  for (const s of r.meta.spans ?? []) {
    const type = s.entity_type ?? '?';
    const t = perType.get(type) ?? { found: 0, total: 0 };
    t.total++;
    const hit = found.some((f) => f.start < s.end && f.end > s.start);
    if (hit) t.found++;
    else if (TARGETED.has(type) || showAllMisses) piiMisses.push(`${type} ${JSON.stringify(r.text.slice(Math.max(0, s.start - 30), s.end + 10))}`);
    perType.set(type, t);
  }
}
const sum = (pred: (t: string) => boolean): [number, number] => {
  let a = 0;
  let b = 0;
  for (const [k, v] of perType) if (pred(k)) [a, b] = [a + v.found, b + v.total];
  return [a, b];
};

// ---- report --------------------------------------------------------------------------------------
console.log(`data: ${dataDir}\n`);
console.log('SECRETS');
console.log(`  recall on secret rows (gitleaks + secretlint): ${secretFound}/${secretRows} = ${pct(secretFound, secretRows)}`);
console.log(`  (skipped ${skippedConfig} secretlint rows whose expectation depends on non-default rule options)`);
console.log(`  hard negatives flagged (gitleaks fps / secretlint ok fixtures): ${hardNegHit}/${hardNeg} = ${pct(hardNegHit, hardNeg)}`);
console.log(`  benign rows of other sources flagged: ${benignSecret}/${benign} = ${pct(benignSecret, benign)}` + ` (hard_negative subset: ${benignHardSecret}/${benignHard})`);
if (secretFpByRule.size > 0) console.log(`    by rule: ${[...secretFpByRule].map(([k, v]) => `${k}=${v}`).join(', ')}`);
console.log('\nPII');
const [ta, tb] = sum((t) => TARGETED.has(t));
const [pa, pb] = sum((t) => TARGETED.has(t) || PARTIAL.has(t));
const [aa, ab] = sum(() => true);
console.log(`  span recall, targeted types (${[...TARGETED].filter((t) => perType.has(t)).join(', ')}): ${ta}/${tb} = ${pct(ta, tb)}`);
console.log(`  span recall, targeted + PERSON + STREET_ADDRESS: ${pa}/${pb} = ${pct(pa, pb)}`);
console.log(`  span recall, all entity types: ${aa}/${ab} = ${pct(aa, ab)}`);
for (const [k, v] of [...perType].sort((x, y) => y[1].total - x[1].total)) {
  const tag = TARGETED.has(k) ? 'targeted' : PARTIAL.has(k) ? 'partial' : QUASI.has(k) ? 'quasi-identifier' : 'not targeted';
  console.log(`    ${k.padEnd(18)} ${String(v.found).padStart(4)}/${String(v.total).padEnd(4)} ${pct(v.found, v.total).padStart(6)}  ${tag}`);
}
console.log(`  presidio rows labelled benign with a finding: ${piiRowsBenignHit}/${piiRowsBenign}`);
console.log(`  benign rows of other sources with a PII finding: ${benignPii}/${benign} = ${pct(benignPii, benign)}` + ` (hard_negative subset: ${benignHardPii}/${benignHard})`);
console.log(`    with a direct identifier (redacted by default): ${benignPiiDirect}/${benign} = ${pct(benignPiiDirect, benign)} (hard_negative subset: ${benignHardPiiDirect}/${benignHard})`);
console.log(`    with a quasi-identifier (reported only): ${benignPiiQuasi}/${benign} = ${pct(benignPiiQuasi, benign)}`);
if (piiFpByRule.size > 0) console.log(`    by rule: ${[...piiFpByRule].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k}=${v}`).join(', ')}`);
if (showMisses) {
  console.log('\nsecret misses:\n  ' + secretMisses.join('\n  '));
  console.log(`\nPII misses (${showAllMisses ? 'all' : 'targeted'} types):\n  ` + piiMisses.join('\n  '));
}
