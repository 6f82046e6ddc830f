// Phone numbers. libphonenumber-js (with its full metadata, so validity checks the digits and not
// only the length) decides what a number is; a cheap linear regex finds the candidates first,
// because the library's own text search is far slower on long inputs. Plain digit runs are a
// minefield (dates, prices, versions, ids), so a candidate needs one of: an international prefix,
// the North American (xxx) xxx-xxxx shape, or a phone cue word next to it.
import { Metadata, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { CountryCode } from 'libphonenumber-js/max';
import { luhn } from './checksums.ts';
import { rule } from './rule.ts';
import type { Candidate, PiiRule, Verdict } from './rule.ts';

/** Digits with the separators people write in phone numbers; no newlines (they separate numbers). */
// Starts at "+", "(" or a digit only (a leading optional blank would make every space a start).
const CANDIDATE = /(?<![\w+@./-])(?:(?:\+|\b00|\b011)[ \t]?)?\(?\d[\d \t()./-]{5,22}\d(?:[ \t]?(?:x|ext\.?|extension)[ \t]?\d{1,6})?(?![\w@])(?![./-]\d)/dg;

const CUE_BEFORE = /(?:\b(?:phone|tel|telephone|mobile|cell|cellphone|fax|call|calling|ring|answer|answering|voicemail|text|sms|whatsapp|signal|contact|reach|dial|desk|office|home|work|landline|hotline|helpline|mob|ph|number|no|nr|tlf|telefon|téléphone|teléfono|telefone|handy)\b[^\n\d]{0,20}|☎|📞)$/i;
const CUE_AFTER = /^[ \t]{0,3}\(?(?:office|mobile|cell|fax|home|work|landline|phone|tel)\b/i;
const NANP = /^(?:\+?1[ .-]?)?\(?[2-9]\d{2}\)?[ .-]?[2-9]\d{2}[ .-]\d{4}(?:[ \t]?(?:x|ext\.?|extension)[ \t]?\d{1,6})?$/i;
const DATE = /^(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4})$/;
const DATE_PREFIX = /^(?:\d{4}-\d{2}-\d{2}|\d{1,2}\/\d{1,2}\/\d{2,4})[ \t]/;
const DOTTED_QUAD = /^\d{1,3}(?:\.\d{1,3}){3}$/;

/** Regions tried for a cued national number that is not valid in the default region. */
const FALLBACK_REGIONS: CountryCode[] = ['GB', 'DE', 'FR', 'IT', 'ES', 'NL', 'SE', 'NO', 'DK', 'FI', 'CH', 'AU', 'IN', 'BR'];

export interface PhoneOptions {
  /** Region for numbers written without a country code. Default "US". */
  defaultCountry?: CountryCode;
}

/** Digit counts a national number of `region` can have, written bare or with a one-digit trunk prefix. */
function plausibleLengths(region: CountryCode): Set<number> {
  const m = new Metadata();
  m.selectNumberingPlan(region);
  const out = new Set<number>();
  for (const n of m.numberingPlan?.possibleLengths() ?? []) {
    out.add(n);
    out.add(n + 1);
  }
  return out;
}

function verifyPhone(c: Candidate, defaultCountry: CountryCode, lengths: Set<number>): Verdict {
  const raw = c.value;
  const start = c.start;
  const main = raw.replace(/[ \t]?(?:x|ext\.?|extension)[ \t]?\d{1,6}$/i, '');
  const digits = main.replace(/\D/g, '');
  if (digits.length < 7 || digits.length > 15) return false;
  if (DATE.test(main) || DATE_PREFIX.test(main) || DOTTED_QUAD.test(main) || /^(\d)\1+$/.test(digits) || '01234567890123456789'.includes(digits)) return false;
  // People write one separator between groups; table columns and aligned numbers have runs.
  if (/[ \t]{2,}|[./-]{2,}/.test(main)) return false;
  // Parentheses only around a leading area code, or as the "(0)" of an international number.
  if (/[()]/.test(main.replace(/^(?:\+\d{1,3}[ \t]?\(0\)|\(\d{1,5}\))/, ''))) return false;
  // Money and measurements: "$ 120 000 000", "1 500 000 km".
  const before = c.text.slice(Math.max(0, start - 3), start);
  if (/[$€£¥₹]\s?$/.test(before)) return false;
  // A Luhn-valid 13–19 digit run is a card number first; the card rule reports it.
  if (digits.length >= 13 && luhn(digits)) return false;

  const international = /^(?:\+|00|011)/.test(raw);
  const cued = CUE_BEFORE.test(c.text.slice(Math.max(0, start - 32), start)) || CUE_AFTER.test(c.text.slice(c.end, c.end + 16));
  const separated = /[\s().-]/.test(main);
  // Cheapest decisions first: the metadata lookups below cost tens of microseconds each.
  if (!international && !cued && !separated) return false;

  if (international) {
    const p = parsePhoneNumberFromString(raw.replace(/^(?:00|011)/, '+'));
    if (!p) return false;
    if (p.isValid()) return { start, end: c.end, score: 0.9 };
    return p.isPossible() && (cued || separated) ? { start, end: c.end, score: 0.7 } : false;
  }
  if (NANP.test(raw)) return { start, end: c.end, score: cued ? 0.85 : 0.75 };
  // Parsing is the expensive step (tens of microseconds); skip it when the length cannot fit.
  const valid = lengths.has(digits.length) && parsePhoneNumberFromString(main, defaultCountry)?.isValid() === true;
  if (valid) return { start, end: c.end, score: cued ? 0.85 : 0.7 };
  if (!cued) return false;
  // A cued national number from elsewhere: valid in a common region, or at least phone-shaped.
  for (const region of FALLBACK_REGIONS) {
    if (parsePhoneNumberFromString(main, region)?.isValid()) return { start, end: c.end, score: 0.7 };
  }
  return separated || digits.length <= 11 ? { start, end: c.end, score: 0.55 } : false;
}

export function phoneRule(opts: PhoneOptions = {}): PiiRule {
  const region = opts.defaultCountry ?? 'US';
  const lengths = plausibleLengths(region);
  return rule('phone', 'Phone number', new RegExp(CANDIDATE.source, 'dg'), {
    score: 0.8,
    severity: 'medium',
    // verifyPhone wants seven digits or more.
    needs: { digits: 7 },
    verify: (c) => verifyPhone(c, region, lengths),
  });
}
