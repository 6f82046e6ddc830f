import { describe, expect, it } from 'vitest';
import { checksums, createPiiDetector, findPii, piiDetector, PiiScanner } from '../../src/detectors/pii/index.ts';
import { DEFAULT_DETECTORS } from '../../src/detectors/registry.ts';
import { rng } from './secrets-samples.ts';

const R = rng(99);
const digitsN = (n: number, first = '123456789'): string => {
  let s = first[Math.floor(R() * first.length)]!;
  while (s.length < n) s += String(Math.floor(R() * 10));
  return s;
};

/** Appends the Luhn check digit (computed forward, independently of the validator). */
function withLuhn(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return body + String((10 - (sum % 10)) % 10);
}

function found(text: string): { rule: string; value: string }[] {
  return findPii(text).map((m) => ({ rule: m.rule.id, value: text.slice(m.start, m.end) }));
}

function expectPii(text: string, rule: string, value: string): void {
  expect(found(text), `expected ${rule} ${JSON.stringify(value)} in ${JSON.stringify(text)}`).toContainEqual({ rule, value });
}

function expectNone(text: string, rule?: string): void {
  const f = found(text).filter((x) => rule === undefined || x.rule === rule);
  expect(f, JSON.stringify(text)).toEqual([]);
}

describe('checksums (published test vectors)', () => {
  it('Luhn', () => {
    expect(checksums.luhn('4111111111111111')).toBe(true);
    expect(checksums.luhn('4111111111111112')).toBe(false);
    expect(checksums.luhn('046 454 286')).toBe(true); // Canadian SIN example from Service Canada's format
  });
  it('IBAN mod 97', () => {
    expect(checksums.ibanMod97('GB82WEST12345698765432')).toBe(true);
    expect(checksums.ibanMod97('DE89370400440532013000')).toBe(true);
    expect(checksums.ibanMod97('GB82WEST12345698765431')).toBe(false);
  });
  it('Verhoeff', () => {
    expect(checksums.verhoeff('2363')).toBe(true);
    expect(checksums.verhoeff('2364')).toBe(false);
  });
  it('Chinese resident id (ISO 7064 MOD 11-2)', () => {
    expect(checksums.chineseIdCheck('11010519491231002X')).toBe(true);
    expect(checksums.chineseIdCheck('110105194912310021')).toBe(false);
  });
  it('codice fiscale', () => {
    expect(checksums.codiceFiscaleCheck('RSSMRA85T10A562S')).toBe(true);
    expect(checksums.codiceFiscaleCheck('RSSMRA85T10A562T')).toBe(false);
  });
  it('CPF, DNI/NIE, BSN, German tax id', () => {
    expect(checksums.cpfCheck('529.982.247-25')).toBe(true);
    expect(checksums.cpfCheck('529.982.247-24')).toBe(false);
    expect(checksums.cpfCheck('111.111.111-11')).toBe(false);
    expect(checksums.spanishIdCheck('12345678Z')).toBe(true);
    expect(checksums.spanishIdCheck('12345678A')).toBe(false);
    expect(checksums.spanishIdCheck('X1234567L')).toBe(true);
    expect(checksums.bsnCheck('111222333')).toBe(true);
    expect(checksums.bsnCheck('111222334')).toBe(false);
    expect(checksums.germanTaxIdCheck('86095742719')).toBe(true);
    expect(checksums.germanTaxIdCheck('86095742718')).toBe(false);
  });
  it('French NIR key = 97 − (number mod 97), Corsica 2A/2B as 19/18', () => {
    const key = (n: number): string => String(97 - (n % 97)).padStart(2, '0');
    const body = '1850578006084';
    expect(checksums.nirCheck(body + key(Number(body)))).toBe(true);
    expect(checksums.nirCheck(body + '00')).toBe(false);
    const corsica = '285052A006084';
    expect(checksums.nirCheck(corsica + key(Number(corsica.replace('2A', '19'))))).toBe(true);
  });
  it('Bitcoin Base58Check and Bech32', () => {
    expect(checksums.base58Check('1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa')).toBe(true);
    expect(checksums.base58Check('1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb')).toBe(false);
    // BIP-173 / BIP-350 test vectors.
    expect(checksums.bech32Check('BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4')).toBe(true);
    expect(checksums.bech32Check('bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0')).toBe(true);
    expect(checksums.bech32Check('bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5')).toBe(false);
  });
});

describe('PII rules', () => {
  it('email: exact span, documentation domains and role mailboxes skipped', () => {
    expectPii('Contact jane.doe+news@mail.acme.io today.', 'email', 'jane.doe+news@mail.acme.io');
    expectNone('Send it to someone@example.com', 'email');
    expectNone('Write to support@acme.io', 'email');
    expectNone('git clone git@github.com:org/repo.git', 'email');
    expectNone('pin foo@1.2.3 and bar@^4', 'email');
  });

  it('payment cards: Luhn + issuer range, separators allowed', () => {
    const visa = withLuhn(`4${digitsN(14, '0123456789')}`);
    expectPii(`card ${visa} exp 12/29`, 'credit-card', visa);
    const grouped = visa.replace(/(\d{4})(?=\d)/g, '$1 ');
    expectPii(`pay with ${grouped}.`, 'credit-card', grouped);
    const amex = withLuhn(`37${digitsN(12, '0123456789')}`);
    expectPii(amex, 'credit-card', amex);
    const badLuhn = visa.slice(0, -1) + String((Number(visa.at(-1)) + 1) % 10);
    expectNone(`order ${badLuhn}`, 'credit-card');
    // Luhn-valid but no issuer range and no "card" nearby: an order number.
    expectNone(`order ${withLuhn(`9${digitsN(14, '0123456789')}`)}`, 'credit-card');
  });

  it('IBAN: country length + mod 97, cut at the exact length', () => {
    expectPii('IBAN GB82 WEST 1234 5698 7654 32 please', 'iban', 'GB82 WEST 1234 5698 7654 32');
    expectPii('to DE89370400440532013000.', 'iban', 'DE89370400440532013000');
    expectNone('GB82WEST12345698765431', 'iban');
    expectNone('XX82WEST12345698765432', 'iban');
  });

  it('US SSN: SSA-invalid areas, groups and serials excluded', () => {
    expectPii('SSN 123-45-6789', 'us-ssn', '123-45-6789');
    expectPii('my social security number is 123456789', 'us-ssn', '123456789');
    for (const bad of ['000-12-3456', '666-12-3456', '900-12-3456', '123-00-4567', '123-45-0000', '078-05-1120']) expectNone(bad, 'us-ssn');
    expectNone('order 123456789', 'us-ssn');
    expectNone('call 123 45 6789', 'us-ssn');
  });

  it('IPv4/IPv6: public addresses found; loopback, docs ranges and versions skipped', () => {
    expectPii('login from 81.2.69.160 at noon', 'ip-address', '81.2.69.160');
    expectPii('peer 2a02:1810:4d02:6f00::1f', 'ip-address', '2a02:1810:4d02:6f00::1f');
    for (const t of ['bind 127.0.0.1', 'listen 0.0.0.0', 'mask 255.255.255.0', 'docs 192.0.2.10', 'version 1.2.3.4', 'oid 1.3.6.1.4.1', 'at 12:30:45', 'ip ::1', '2001:db8::1']) {
      expectNone(t, 'ip-address');
    }
    const priv = findPii('gateway 10.0.0.1');
    expect(priv[0]).toMatchObject({ score: 0.4, title: 'Private IPv4 address' });
  });

  it('crypto addresses with their checksums', () => {
    expectPii('send to 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa', 'btc-address', '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa');
    expectPii('bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4', 'btc-address', 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4');
    expectNone('1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb', 'btc-address');
    expectPii('wallet 0x52908400098527886E0F7030069857D2E4169EE7', 'eth-address', '0x52908400098527886E0F7030069857D2E4169EE7');
  });

  it('national identifiers', () => {
    expectPii('NI number AB 12 34 56 C', 'uk-nino', 'AB 12 34 56 C');
    expectNone('GB123456A', 'uk-nino');
    const sin = withLuhn(digitsN(8, '1234567'));
    const sinFmt = `${sin.slice(0, 3)}-${sin.slice(3, 6)}-${sin.slice(6)}`;
    expectPii(`SIN: ${sinFmt}`, 'ca-sin', sinFmt);
    expectPii('Aadhaar 2345 6789 0124', 'in-aadhaar', '2345 6789 0124');
    expectPii('PAN ABCPE1234F', 'in-pan', 'ABCPE1234F');
    expectPii('DNI 12345678Z', 'es-dni', '12345678Z');
    expectNone('ref 12345678A', 'es-dni');
    expectPii('NIE X1234567L', 'es-nie', 'X1234567L');
    expectPii('CF RSSMRA85T10A562S', 'it-codice-fiscale', 'RSSMRA85T10A562S');
    expectPii('CPF 529.982.247-25', 'br-cpf', '529.982.247-25');
    expectNone('id 529.982.247-24', 'br-cpf');
    expectPii('身份证 11010519491231002X', 'cn-resident-id', '11010519491231002X');
    expectPii('BSN: 111222333', 'nl-bsn', '111222333');
    expectNone('invoice 111222333', 'nl-bsn');
    expectPii('Steuer-ID: 86095742719', 'de-tax-id', '86095742719');
    expectNone('86095742719', 'de-tax-id');
  });

  it('Aadhaar: Verhoeff required, plain 12 digits only with a cue', () => {
    expect(checksums.verhoeff('234567890124')).toBe(true);
    expectNone('number 2345 6789 0125', 'in-aadhaar');
    expectNone('234567890124', 'in-aadhaar');
    expectPii('aadhaar no. 234567890124', 'in-aadhaar', '234567890124');
  });

  it('phone numbers: international, North American, and cued national numbers', () => {
    expectPii('call +44 20 7946 0958 now', 'phone', '+44 20 7946 0958');
    expectPii('office: (415) 555-0132', 'phone', '(415) 555-0132');
    expectPii('reach me at 213-373-4253 ext. 12', 'phone', '213-373-4253 ext. 12');
    expectPii('Mobile: 06 12 34 56 78', 'phone', '06 12 34 56 78');
    expectPii('Fax: +41 (0)44 668 18 00', 'phone', '+41 (0)44 668 18 00');
  });

  it('phone numbers: no dates, versions, prices, ids, IPs or table columns', () => {
    for (const t of [
      'Released 2023-10-12 and patched 2024-01-05.',
      'Upgrade to 10.2.3.4 first',
      'It cost $1 234 567 last year',
      'The population is 1234567.',
      'Order #4829301 shipped',
      'server 81.2.69.160',
      'datetime: 2019-01-01 00:00:00',
      '| 3    10    10  1.0 |',
      'score 180.48 (290.454)',
      'pages 100-200 and 300-400',
    ]) {
      expectNone(t, 'phone');
    }
  });

  it('person names only after strong cues', () => {
    expectPii('Hello, my name is Ada Lovelace and I need help', 'person-name', 'Ada Lovelace');
    expectPii('Please ask Dr. Grace Hopper', 'person-name', 'Dr. Grace Hopper');
    expectPii('Dear Alan,\nthanks', 'person-name', 'Alan');
    expectNone('Hello World', 'person-name');
    expectNone('I am Sorry for the delay', 'person-name');
    expectNone('The library is called React', 'person-name');
    expectNone('name: String', 'person-name');
  });

  it('street addresses in common shapes', () => {
    // The town after the street is part of the address.
    expectPii('Ship to 1600 Pennsylvania Avenue, Washington', 'street-address', '1600 Pennsylvania Avenue, Washington');
    expectPii('I live at 221B Baker Street Apt 2 London', 'street-address', '221B Baker Street Apt 2');
    expectPii('Adresse: Musterstraße 12, Berlin', 'street-address', 'Musterstraße 12, Berlin');
    expectPii('in 86036 Rua do Arenque 1634, Goiânia', 'street-address', '86036 Rua do Arenque 1634, Goiânia');
    expectPii('P.O. Box 1234', 'street-address', 'P.O. Box 1234');
    expectNone('In 1990, Apple released 5 products', 'street-address');
    expectNone('a 2 TB M.2 Internal Solid State Hard Drive', 'street-address');
  });

  it('cue-bound identifiers: driver licence, passport, date of birth', () => {
    expectPii("my driver's license number is F1628235", 'driver-license', 'F1628235');
    expectPii('Passport No: X12345678', 'passport-number', 'X12345678');
    expectPii('DOB: 04/07/1986', 'date-of-birth', '04/07/1986');
    expectPii('born on March 3, 1990', 'date-of-birth', 'March 3, 1990');
    expectNone('license number is pending');
  });

  it('resolves overlaps: a card number is not also a phone number', () => {
    const visa = withLuhn(`4${digitsN(14, '0123456789')}`);
    const f = found(`phone or card? ${visa}`);
    expect(f).toEqual([{ rule: 'credit-card', value: visa }]);
  });
});

describe('PII detector', () => {
  it('emits findings with exact spans and explanations that never contain the data', () => {
    const text = 'Reach Jane at jane.roe@corp-mail.net or +1 415 555 0132; SSN 123-45-6789; IBAN DE89370400440532013000.';
    const findings = piiDetector.scan(text, { role: 'user', trust: 'user', direction: 'input' });
    expect(findings.map((f) => f.rule).sort()).toEqual(['email', 'iban', 'phone', 'us-ssn']);
    for (const f of findings) {
      const value = text.slice(f.span!.start, f.span!.end);
      expect(f).toMatchObject({ detector: 'pii', category: 'pii', owasp: ['LLM02'] });
      expect(f.explanation).not.toContain(value);
      expect(f.explanation.length).toBeLessThan(100);
    }
  });

  it('can switch rules off and change the default phone region', () => {
    const noNames = new PiiScanner({ disable: ['person-name'] });
    expect(noNames.scan('My name is Ada Lovelace')).toEqual([]);
    const uk = createPiiDetector({ defaultCountry: 'GB' });
    const f = uk.scan('tel 020 7946 0958', { role: 'user', trust: 'user', direction: 'input' });
    expect(f.map((x) => x.rule)).toEqual(['phone']);
  });

  it('is registered, runs in both directions and scans raw text only', () => {
    expect(DEFAULT_DETECTORS).toContain(piiDetector);
    expect(piiDetector.directions).toEqual(['input', 'output']);
    expect(piiDetector.scansViews).toBe(false);
  });

  it('finds nothing in ordinary prose', () => {
    expect(findPii('Summarise the attached article about climate policy in three bullet points.')).toEqual([]);
    // The release date is a quasi-identifier (reported, never redacted by default); nothing else is found.
    expect(found('Version 2.4.1 was released on 2024-03-01 with 12 fixes and 3 new features.')).toEqual([{ rule: 'date', value: '2024-03-01' }]);
  });
});
