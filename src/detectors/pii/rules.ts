// Structured personal data: contact details, payment and bank numbers, government identifiers,
// network and wallet addresses. Formats and check digits follow each scheme's published rules.
import { isIP } from 'node:net';
import {
  base58Check,
  bech32Check,
  bsnCheck,
  chineseIdCheck,
  codiceFiscaleCheck,
  cpfCheck,
  germanTaxIdCheck,
  ibanMod97,
  luhn,
  nirCheck,
  spanishIdCheck,
  verhoeff,
} from './checksums.ts';
import { IBAN_LENGTHS } from './iban.ts';
import { cueBefore, rule } from './rule.ts';
import type { Candidate, PiiRule, Verdict } from './rule.ts';

const digits = (s: string): string => s.replace(/\D/g, '');

// ---- email -----------------------------------------------------------------------------------

const LOCAL_CHAR = /[A-Za-z0-9._%+-]/;
// RFC 2606 / RFC 6761 names reserved for documentation and testing: never a real person's mailbox.
const RESERVED_DOMAIN = /(?:^|\.)(?:example\.(?:com|org|net)|example|test|invalid|localhost|local)$/i;
// Role mailboxes (RFC 2142 and common practice) name a function of an organisation, not a person.
const ROLE_MAILBOX = /^(?:info|support|sales|abuse|noc|security|postmaster|hostmaster|webmaster|no-?reply|do-?not-?reply|billing|hello|contact|admin|help|helpdesk|feedback|team|marketing|press|media|jobs|careers|privacy|legal|notifications?|news|newsletter|service|office|enquiries|inquiries|orders|accounts|invoices?|mailer-daemon)$/i;

function email(c: Candidate): Verdict {
  const { text } = c;
  let start = c.start;
  while (start > 0 && c.start - start < 64 && LOCAL_CHAR.test(text[start - 1]!)) start--;
  while (start < c.start && text[start] === '.') start++;
  if (start === c.start) return false;
  const domain = text.slice(c.start + 1, c.end);
  if (RESERVED_DOMAIN.test(domain)) return false;
  for (const label of domain.split('.')) if (label.startsWith('-') || label.endsWith('-')) return false;
  const local = text.slice(start, c.start);
  // An SSH remote ("git@github.com:org/repo") names a service account, not a person.
  if (local === 'git' && text[c.end] === ':') return false;
  if (ROLE_MAILBOX.test(local)) return false;
  // "https://user@host/…" or "postgres://user:pw@host" is URL userinfo (the secrets detector owns
  // credentials in URLs); "foo@1.2.rb" is a versioned file name.
  if (/:\/\/[^\s/@]{0,200}$/.test(text.slice(Math.max(0, start - 210), start))) return false;
  const labels = domain.split('.');
  if (!/[A-Za-z]/.test(labels[labels.length - 2] ?? '')) return false;
  return { start, end: c.end };
}

// ---- payment cards ---------------------------------------------------------------------------

/** Issuer (IIN) ranges and lengths of the major card schemes. */
function cardScheme(d: string): string | undefined {
  const n = d.length;
  const p2 = Number(d.slice(0, 2));
  const p3 = Number(d.slice(0, 3));
  const p4 = Number(d.slice(0, 4));
  const p6 = Number(d.slice(0, 6));
  if (d[0] === '4' && (n === 13 || n === 16 || n === 19)) return 'Visa';
  if (((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) && n === 16) return 'Mastercard';
  if ((p2 === 34 || p2 === 37) && n === 15) return 'American Express';
  if ((p4 === 6011 || (p3 >= 644 && p3 <= 649) || p2 === 65 || (p6 >= 622126 && p6 <= 622925)) && n >= 16 && n <= 19) return 'Discover';
  if (((p3 >= 300 && p3 <= 305) || p4 === 3095 || p2 === 36 || p2 === 38 || p2 === 39) && n >= 14 && n <= 19) return 'Diners Club';
  if (p4 >= 3528 && p4 <= 3589 && n >= 16 && n <= 19) return 'JCB';
  if ((p4 === 1800 || p4 === 2131) && n === 15) return 'JCB';
  if (p4 >= 2200 && p4 <= 2204 && n >= 16 && n <= 19) return 'Mir';
  if (p2 === 62 && n >= 16 && n <= 19) return 'UnionPay';
  if ([5018, 5020, 5038, 5893, 6304, 6759, 6761, 6762, 6763].includes(p4) && n >= 12 && n <= 19) return 'Maestro';
  if ((p2 === 60 || p2 === 81 || p2 === 82 || p3 === 508) && n === 16) return 'RuPay';
  if (p4 === 9792 && n === 16) return 'Troy';
  return undefined;
}

const CARD_CUE = /\b(?:card|cc|credit|debit|visa|mastercard|amex|maestro|jcb|discover|pan)\b[^\n\d]{0,24}$/i;

function creditCard(c: Candidate): Verdict {
  const d = digits(c.value);
  if (d.length < 12 || d.length > 19 || !luhn(d)) return false;
  if (/^(\d)\1+$/.test(d)) return false;
  const scheme = cardScheme(d);
  if (scheme === undefined) {
    // Issuer ranges change and test generators use their own; with the word "card" in front a
    // Luhn-valid number is a card number whatever its prefix.
    return d.length >= 12 && cueBefore(c.text, c.start, CARD_CUE) ? 0.85 : false;
  }
  // Groups of four (or Amex 4-6-5) are how cards are written; odd groupings are more likely
  // other numbers that happen to pass Luhn.
  const groups = c.value.split(/[ -]/).map((g) => g.length);
  const tidy = groups.length === 1 || groups.slice(0, -1).every((g) => g === 4) || groups.join() === '4,6,5' || groups.join() === '4,6,4';
  return { start: c.start, end: c.end, score: tidy ? 0.95 : 0.75, title: `Payment card number (${scheme})` };
}

// ---- IBAN ------------------------------------------------------------------------------------

function iban(c: Candidate): Verdict {
  const want = IBAN_LENGTHS[c.value.slice(0, 2)];
  if (want === undefined) return false;
  // Take exactly `want` alphanumerics; the span ends there and must end at a word boundary.
  let n = 0;
  let i = c.start;
  let compact = '';
  while (i < c.end && n < want) {
    const ch = c.text[i]!;
    if (ch !== ' ') {
      compact += ch;
      n++;
    }
    i++;
  }
  if (n !== want) return false;
  if (/[A-Za-z0-9]/.test(c.text[i] ?? '')) return false;
  if (!ibanMod97(compact)) return false;
  return { start: c.start, end: i };
}

// ---- US SSN / ITIN ---------------------------------------------------------------------------

// SSA: area 000, 666 and 900–999, group 00 and serial 0000 are never issued; 078-05-1120 and
// 219-09-9999 were published in advertising and are void.
function ssnValid(d: string): boolean {
  const area = Number(d.slice(0, 3));
  const group = Number(d.slice(3, 5));
  const serial = Number(d.slice(5));
  if (area === 0 || area === 666 || area >= 900 || group === 0 || serial === 0) return false;
  return d !== '078051120' && d !== '219099999';
}

const SSN_CUE = /\b(?:ssn|social security|soc\.? sec\.?)\b[^\n\d]{0,16}$/i;

// IRS: ITINs are 9XX-XX-XXXX with the middle group in 50–65, 70–88, 90–92 or 94–99.
function itinValid(d: string): boolean {
  const g = Number(d.slice(3, 5));
  return d[0] === '9' && ((g >= 50 && g <= 65) || (g >= 70 && g <= 88) || (g >= 90 && g <= 92) || g >= 94);
}

// ---- network and wallets ---------------------------------------------------------------------

/**
 * IPv4 addresses that identify no one are skipped: unspecified, loopback, link-local, broadcast,
 * netmasks, multicast, and the RFC 5737 documentation ranges. Private (RFC 1918) addresses are
 * kept at a lower score: internal topology, not a person.
 */
function ipv4(c: Candidate): Verdict {
  const o = c.value.split('.').map(Number);
  const [a, b, x] = [o[0]!, o[1]!, o[2]!];
  if (a === 0 || a === 127 || a >= 224 || (a === 169 && b === 254) || a === 255) return false;
  if ((a === 192 && b === 0 && x === 2) || (a === 198 && b === 51 && x === 100) || (a === 203 && b === 0 && x === 113)) return false;
  const before = c.text.slice(Math.max(0, c.start - 10), c.start);
  if (/(?:\bv|version\s?|ver\.?\s?)$/i.test(before)) return false;
  const isPrivate = a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127);
  return isPrivate ? { start: c.start, end: c.end, score: 0.4, title: 'Private IPv4 address' } : true;
}

function ipv6(c: Candidate): Verdict {
  const v = c.value;
  if (isIP(v) !== 6) return false;
  if ((v.match(/:/g)?.length ?? 0) < 2 || !/\d/.test(v) || (v.match(/[0-9a-f]/gi)?.length ?? 0) < 4) return false;
  const lower = v.toLowerCase();
  if (lower === '::1' || lower.startsWith('fe80:') || lower.startsWith('ff') || lower.startsWith('2001:db8:') || lower.startsWith('::ffff:127.')) return false;
  return true;
}

const PII_RULES_LIST: PiiRule[] = [
  rule('email', 'Email address', /(?<=[A-Za-z0-9._%+-])@(?:[A-Za-z0-9-]{1,63}\.){1,8}[A-Za-z]{2,24}(?![A-Za-z0-9-])/dg, {
    score: 0.9,
    needs: 'at',
    verify: email,
  }),
  rule('credit-card', 'Payment card number', /(?<![\d-])\d(?:[ -]?\d){11,18}(?![\d])(?!-\d)/dg, { score: 0.95, severity: 'high', needs: { digits: 12, digitRun: 3 }, verify: creditCard }),
  rule('iban', 'IBAN bank account number', /(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,32}/dg, { score: 0.95, severity: 'high', needs: { digits: 2, digitRun: 3, upperRun: 2 }, verify: iban }),
  rule('us-ssn', 'US Social Security number', /(?<![\d-])\d{3}([- ])\d{2}\1\d{4}(?![\d-])/dg, {
    score: 0.9,
    severity: 'high',
    needs: { digits: 9, digitRun: 4 },
    verify: (c) => {
      const d = digits(c.value);
      if (!ssnValid(d)) return false;
      // Space-separated 3-2-4 groups are ordinary numbers far more often than SSNs.
      if (c.value[3] === ' ') return cueBefore(c.text, c.start, SSN_CUE) ? 0.9 : false;
      return true;
    },
  }),
  rule('us-ssn', 'US Social Security number', /(?<!\d)\d{9}(?!\d)/dg, {
    score: 0.85,
    severity: 'high',
    needs: { digitRun: 9 },
    verify: (c) => ssnValid(c.value) && cueBefore(c.text, c.start, SSN_CUE),
  }),
  rule('us-itin', 'US Individual Taxpayer Identification Number', /(?<![\d-])9\d{2}-\d{2}-\d{4}(?![\d-])/dg, {
    score: 0.85,
    severity: 'high',
    needs: { digits: 9, digitRun: 4 },
    verify: (c) => itinValid(digits(c.value)),
  }),
  rule('ip-address', 'IPv4 address', /(?<![\d.])(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}(?!\d|\.\d)/dg, {
    score: 0.7,
    severity: 'low',
    needs: { digits: 4 },
    verify: ipv4,
  }),
  rule('ip-address', 'IPv6 address', /(?<![A-Za-z0-9:.])(?:[0-9A-Fa-f]{1,4}|:)(?::[0-9A-Fa-f]{0,4}){2,7}(?:\.\d{1,3}){0,3}(?![A-Za-z0-9:])/dg, {
    score: 0.7,
    severity: 'low',
    // The pattern can start at any hex letter; two colons near a digit are rare outside addresses
    // ("std::vector" has no digit).
    needs: { digits: 1, re: /\d[0-9A-Fa-f]{0,3}:[0-9A-Fa-f]{0,4}:|:[0-9A-Fa-f]{0,4}:[0-9A-Fa-f]{0,3}\d/ },
    verify: ipv6,
  }),
  rule('btc-address', 'Bitcoin address', /(?<![A-Za-z0-9])[13][1-9A-HJ-NP-Za-km-z]{25,34}(?![A-Za-z0-9])/dg, {
    score: 0.9,
    needs: { digits: 1, mixedRun: 26 },
    verify: (c) => base58Check(c.value),
  }),
  rule('btc-address', 'Bitcoin address', /(?<![A-Za-z0-9])(?:bc1|BC1)[02-9AC-HJ-NP-Zac-hj-np-z]{11,71}(?![A-Za-z0-9])/dg, {
    score: 0.9,
    needs: { digits: 1, mixedRun: 14 },
    verify: (c) => bech32Check(c.value),
  }),
  rule('eth-address', 'Ethereum address', /(?<![A-Za-z0-9])0x[a-fA-F0-9]{40}(?![A-Za-z0-9])/dg, {
    score: 0.75,
    needs: { hexRun: 40 },
    verify: (c) => !/^0x0{40}$/i.test(c.value),
  }),

  // National identifiers. Where the format is weak (plain digits) a checksum and, for the weakest,
  // a nearby cue word are required.
  rule('uk-nino', 'UK National Insurance number', /(?<![A-Za-z0-9])(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D](?![A-Za-z0-9])/dg, {
    score: 0.75,
    severity: 'high',
    needs: { digits: 6, upperRun: 2 },
  }),
  rule('ca-sin', 'Canadian Social Insurance Number', /(?<![\d-])\d{3}([- ])\d{3}\1\d{3}(?![\d-])/dg, {
    score: 0.6,
    severity: 'high',
    needs: { digits: 9, digitRun: 3 },
    verify: (c) => {
      const d = digits(c.value);
      if (d[0] === '0' || d[0] === '8' || !luhn(d)) return false;
      return cueBefore(c.text, c.start, /\b(?:sin|social insurance|nas)\b[^\n\d]{0,16}$/i) ? 0.9 : true;
    },
  }),
  rule('in-aadhaar', 'Indian Aadhaar number', /(?<![\d-])[2-9]\d{3}([- ]?)\d{4}\1\d{4}(?![\d-])/dg, {
    score: 0.75,
    severity: 'high',
    needs: { digits: 12, digitRun: 4 },
    verify: (c) => {
      if (!verhoeff(c.value)) return false;
      const cued = cueBefore(c.text, c.start, /\b(?:aadhaar|aadhar|uidai|uid)\b[^\n\d]{0,16}$/i);
      if (c.value.length === 12) return cued ? 0.9 : false;
      return cued ? 0.9 : true;
    },
  }),
  rule('in-pan', 'Indian PAN', /(?<![A-Za-z0-9])[A-Z]{3}[ABCFGHLJPT][A-Z]\d{4}[A-Z](?![A-Za-z0-9])/dg, { score: 0.7, severity: 'high', needs: { digitRun: 4, upperRun: 5 } }),
  rule('es-dni', 'Spanish DNI', /(?<![A-Za-z0-9])\d{8}-?[A-HJ-NP-TV-Z](?![A-Za-z0-9])/dg, { score: 0.8, severity: 'high', needs: { digitRun: 8 }, verify: (c) => spanishIdCheck(c.value) }),
  rule('es-nie', 'Spanish NIE', /(?<![A-Za-z0-9])[XYZ]-?\d{7}-?[A-HJ-NP-TV-Z](?![A-Za-z0-9])/dg, { score: 0.85, severity: 'high', needs: { digitRun: 7 }, verify: (c) => spanishIdCheck(c.value) }),
  rule(
    'it-codice-fiscale',
    'Italian codice fiscale',
    /(?<![A-Za-z0-9])[A-Z]{6}[0-9LMNPQRSTUV]{2}[ABCDEHLMPRST][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z](?![A-Za-z0-9])/dg,
    { score: 0.9, severity: 'high', needs: { upperRun: 6 }, verify: (c) => codiceFiscaleCheck(c.value) },
  ),
  rule('fr-nir', 'French social security number (NIR)', /(?<![\d])[1-478] ?\d{2} ?\d{2} ?(?:\d{2}|2[AB]) ?\d{3} ?\d{3} ?\d{2}(?!\d)/dg, {
    score: 0.85,
    severity: 'high',
    needs: { digits: 14, digitRun: 3 },
    verify: (c) => {
      const s = c.value.replace(/\s/g, '');
      const month = Number(s.slice(3, 5));
      if (!((month >= 1 && month <= 12) || (month >= 20 && month <= 42) || month >= 50)) return false;
      return nirCheck(s);
    },
  }),
  rule('de-tax-id', 'German tax identification number', /(?<![\d])[1-9]\d(?: ?\d{3}){3}(?!\d)/dg, {
    score: 0.85,
    severity: 'high',
    needs: { digits: 11, digitRun: 3 },
    verify: (c) => germanTaxIdCheck(c.value) && cueBefore(c.text, c.start, /\b(?:steuer[- ]?id(?:entifikationsnummer)?|steuerliche identifikationsnummer|idnr|tax id(?:entification number)?|tin)\b[^\n\d]{0,16}$/i),
  }),
  rule('br-cpf', 'Brazilian CPF', /(?<![\d.])\d{3}\.\d{3}\.\d{3}-\d{2}(?!\d)/dg, { score: 0.9, severity: 'high', needs: { digits: 11, digitRun: 3 }, verify: (c) => cpfCheck(c.value) }),
  rule('br-cpf', 'Brazilian CPF', /(?<![\d.])\d{11}(?!\d)/dg, {
    score: 0.85,
    severity: 'high',
    needs: { digitRun: 11 },
    verify: (c) => cpfCheck(c.value) && cueBefore(c.text, c.start, /\bcpf\b[^\n\d]{0,16}$/i),
  }),
  rule(
    'cn-resident-id',
    'Chinese resident identity card number',
    /(?<![0-9A-Za-z])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9A-Za-z])/dg,
    { score: 0.9, severity: 'high', needs: { digitRun: 17 }, verify: (c) => chineseIdCheck(c.value) },
  ),
  rule('nl-bsn', 'Dutch citizen service number (BSN)', /(?<![\d.])\d{4}\.?\d{2}\.?\d{3}(?![\d.])/dg, {
    score: 0.85,
    severity: 'high',
    needs: { digits: 9, digitRun: 3 },
    verify: (c) => bsnCheck(c.value) && cueBefore(c.text, c.start, /\b(?:bsn|burgerservicenummer|sofinummer|sofi-nummer)\b[^\n\d]{0,16}$/i),
  }),
  rule('driver-license', "Driver's license number", /(?i:driver'?s?|driving)\s(?i:licen[cs]e)(?:\s(?i:number|no\.?|#))?(?:\s(?:is|was)|\s?:)?\s{1,3}([A-Z0-9][A-Z0-9-]{4,19})(?![A-Za-z0-9])/dg, {
    score: 0.7,
    severity: 'high',
    needs: { digits: 4, cues: [{ literals: ['licen'] }] },
    valueGroup: 1,
    verify: (c) => (c.value.match(/\d/g)?.length ?? 0) >= 4,
  }),
  rule('passport-number', 'Passport number', /(?i:passport)(?:\s(?i:number|no\.?|#))?(?:\s(?:is|was)|\s?:)?\s{1,3}([A-Z0-9]{6,9})(?![A-Za-z0-9])/dg, {
    score: 0.7,
    severity: 'high',
    needs: { digits: 5, cues: [{ literals: ['passport'] }] },
    valueGroup: 1,
    verify: (c) => (c.value.match(/\d/g)?.length ?? 0) >= 5,
  }),
  rule(
    'date-of-birth',
    'Date of birth',
    /(?i:date of birth|birth ?date|d\.?o\.?b\.?|born on|born)\s?[:-]?\s{1,3}(\d{1,4}[./-]\d{1,2}[./-]\d{1,4}|\d{1,2}(?:st|nd|rd|th)?\s(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]{0,6}\.?,?\s\d{4}|(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]{0,6}\.?\s\d{1,2}(?:st|nd|rd|th)?,?\s\d{4})(?![\d])/dg,
    { score: 0.75, severity: 'medium', needs: { digits: 3, cues: [{ literals: ['birth', 'born', 'dob', 'd.ob', 'do.b', 'd.o.b'] }] }, valueGroup: 1 },
  ),
];

export const PII_RULES: readonly PiiRule[] = PII_RULES_LIST;
