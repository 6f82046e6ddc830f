import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_PLACEHOLDER_LENGTH, Vault, createRestoreStream, mergeSpans, redactText } from '../../src/redact/index.ts';
import { findPii } from '../../src/detectors/pii/index.ts';
import { findSecrets } from '../../src/detectors/secrets/index.ts';

const TEXT = 'Mail ann@corp.io, then ann@corp.io again, or call +1 415 555 0132.';
const spanOf = (text: string, value: string, label: string, from = 0) => {
  const start = text.indexOf(value, from);
  return { start, end: start + value.length, label };
};
const SPANS = [spanOf(TEXT, 'ann@corp.io', 'email'), spanOf(TEXT, 'ann@corp.io', 'email', 10), spanOf(TEXT, '+1 415 555 0132', 'phone')];

describe('redactText', () => {
  it('mask replaces each span with [REDACTED:label]', () => {
    expect(redactText(TEXT, SPANS, 'mask')).toBe('Mail [REDACTED:email], then [REDACTED:email] again, or call [REDACTED:phone].');
  });

  it('hash tags are stable across calls, differ per value and depend on the salt', () => {
    const a = redactText(TEXT, SPANS, 'hash', undefined, { salt: 'deployment-1' });
    const b = redactText(TEXT, SPANS, 'hash', undefined, { salt: 'deployment-1' });
    const c = redactText(TEXT, SPANS, 'hash', undefined, { salt: 'deployment-2' });
    expect(a).toBe(b);
    expect(a).not.toBe(c);
    const tags = a.match(/\[(\w+):([0-9a-f]{8})\]/g)!;
    expect(tags).toHaveLength(3);
    expect(tags[0]).toBe(tags[1]);
    expect(tags[2]).toMatch(/^\[phone:/);
    expect(a).not.toContain('ann@corp.io');
  });

  it('placeholder mode: same value → same placeholder, numbered in reading order, restorable', () => {
    const vault = new Vault();
    const out = redactText(TEXT, SPANS, 'placeholder', vault);
    expect(out).toBe('Mail <<PII_EMAIL_1>>, then <<PII_EMAIL_1>> again, or call <<PII_PHONE_1>>.');
    expect(vault.size).toBe(2);
    expect(vault.restore(out)).toBe(TEXT);
    // The model answers with the placeholder; the user sees the real value.
    expect(vault.restore('I will write to <<PII_EMAIL_1>> today.')).toBe('I will write to ann@corp.io today.');
    // Placeholders the vault never issued are left alone.
    expect(vault.restore('see <<PII_EMAIL_7>>')).toBe('see <<PII_EMAIL_7>>');
  });

  it('one vault across messages of a request keeps numbering consistent', () => {
    const vault = new Vault();
    const a = redactText('from bob@x.io', [{ start: 5, end: 13, label: 'email' }], 'placeholder', vault);
    const b = redactText('cc eve@y.io and bob@x.io', [{ start: 3, end: 11, label: 'email' }, { start: 16, end: 24, label: 'email' }], 'placeholder', vault);
    expect(a).toBe('from <<PII_EMAIL_1>>');
    expect(b).toBe('cc <<PII_EMAIL_2>> and <<PII_EMAIL_1>>');
  });

  it('merges overlapping spans, keeping the longest span’s label, and ignores invalid spans', () => {
    const text = 'key=sk_live_abcdefghijklmnopqrstuvwx end';
    const spans = [
      { start: 4, end: 36, label: 'stripe-secret-key' },
      { start: 0, end: 10, label: 'generic' },
      { start: 50, end: 60, label: 'beyond' },
      { start: 7, end: 7, label: 'empty' },
    ];
    expect(redactText(text, spans, 'mask')).toBe('[REDACTED:stripe-secret-key] end');
    expect(mergeSpans(spans, text.length)).toEqual([{ start: 0, end: 36, label: 'stripe-secret-key' }]);
  });

  it('keeps adjacent (touching) spans separate', () => {
    expect(redactText('abcdef', [{ start: 0, end: 3, label: 'a' }, { start: 3, end: 6, label: 'b' }], 'mask')).toBe('[REDACTED:a][REDACTED:b]');
  });

  it('placeholder mode without a vault is an error, not a silent leak', () => {
    expect(() => redactText(TEXT, SPANS, 'placeholder')).toThrow(/Vault/);
  });

  it('placeholders are bounded by MAX_PLACEHOLDER_LENGTH even for long labels', () => {
    const vault = new Vault();
    const ph = vault.placeholderFor('a-very-long-detector-rule-identifier-that-keeps-going', 'x');
    expect(ph).toBeDefined();
    expect(ph!.length).toBeLessThanOrEqual(MAX_PLACEHOLDER_LENGTH);
    expect(MAX_PLACEHOLDER_LENGTH).toBe(39);
  });

  it('property: merged spans are disjoint and cover every input span; mask keeps all other text; restore inverts', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 80 }),
        fc.array(fc.tuple(fc.nat(80), fc.nat(20), fc.constantFrom('email', 'phone', 'secret')), { maxLength: 6 }),
        (text, raw) => {
          const spans = raw.map(([s, len, label]) => ({ start: Math.min(s, text.length), end: Math.min(s + len, text.length), label }));
          const merged = mergeSpans(spans, text.length);
          for (let i = 1; i < merged.length; i++) expect(merged[i]!.start).toBeGreaterThanOrEqual(merged[i - 1]!.end);
          for (const s of spans) {
            if (s.end > s.start) expect(merged.some((m) => m.start <= s.start && m.end >= s.end)).toBe(true);
          }
          let expected = '';
          let pos = 0;
          for (const m of merged) {
            expected += `${text.slice(pos, m.start)}[REDACTED:${m.label}]`;
            pos = m.end;
          }
          expect(redactText(text, spans, 'mask')).toBe(expected + text.slice(pos));
          const vault = new Vault();
          expect(vault.restore(redactText(text, spans, 'placeholder', vault))).toBe(text);
        },
      ),
    );
  });
});

describe('restoring streamed output', () => {
  it('restores placeholders split across chunks at every possible cut', () => {
    const vault = new Vault();
    const redacted = redactText(TEXT, SPANS, 'placeholder', vault);
    for (let cut = 0; cut <= redacted.length; cut++) {
      const s = createRestoreStream(vault);
      const out = s.push(redacted.slice(0, cut)) + s.push(redacted.slice(cut)) + s.flush();
      expect(out).toBe(TEXT);
    }
    const s = createRestoreStream(vault);
    let out = '';
    for (const ch of redacted) out += s.push(ch);
    expect(out + s.flush()).toBe(TEXT);
  });

  it('holds back only what could still become a placeholder', () => {
    const vault = new Vault();
    vault.placeholderFor('email', 'a@b.io');
    const s = createRestoreStream(vault);
    expect(s.push('a < b and x << y ')).toBe('a < b and x << y ');
    expect(s.push('see <<PII_EM')).toBe('see ');
    expect(s.push('AIL_1>> ok')).toBe('a@b.io ok');
    expect(s.flush()).toBe('');
  });
});

describe('end to end with the detectors', () => {
  it('redacts what the secrets and PII detectors found', () => {
    const key = `sk_live_${'Ab3'.repeat(9)}`;
    const text = `My email is zoe@studio.dev and our key is ${key}.`;
    const spans = [
      ...findSecrets(text).map((m) => ({ start: m.start, end: m.end, label: m.rule.id })),
      ...findPii(text).map((m) => ({ start: m.start, end: m.end, label: m.rule.id })),
    ];
    const vault = new Vault();
    const out = redactText(text, spans, 'placeholder', vault);
    expect(out).toBe('My email is <<PII_EMAIL_1>> and our key is <<PII_STRIPE_SECRET_KEY_1>>.');
    expect(vault.restore(out)).toBe(text);
  });
});
