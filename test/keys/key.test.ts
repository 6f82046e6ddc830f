import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateKey, hashKey, isKeyFormat, KEY_ID_PREFIX, KEY_PREFIX } from '../../src/keys/key.ts';
import { isRevoked, validateNewKey } from '../../src/keys/types.ts';

describe('generateKey', () => {
  it('produces a prefixed base62 key of fixed length and a prefixed 12-character id', () => {
    const { id, key } = generateKey();
    expect(key.startsWith(KEY_PREFIX)).toBe(true);
    expect(key).toMatch(/^ppt_[0-9A-Za-z]{43}$/);
    expect(id.startsWith(KEY_ID_PREFIX)).toBe(true);
    expect(id).toMatch(/^key_[0-9A-Za-z]{12}$/);
    expect(isKeyFormat(key)).toBe(true);
  });

  it('never repeats keys or ids and uses the whole alphabet', () => {
    const keys = new Set<string>();
    const ids = new Set<string>();
    const chars = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const { id, key } = generateKey();
      keys.add(key);
      ids.add(id);
      for (const c of key.slice(KEY_PREFIX.length)) chars.add(c);
    }
    expect(keys.size).toBe(2000);
    expect(ids.size).toBe(2000);
    // 2000 × 43 random base62 digits: missing a character would mean a broken encoder.
    expect(chars.size).toBe(62);
  });

  it('rejects strings that only look similar', () => {
    expect(isKeyFormat('ppt_short')).toBe(false);
    expect(isKeyFormat('sk-' + 'a'.repeat(43))).toBe(false);
    expect(isKeyFormat('ppt_' + 'a'.repeat(42) + '-')).toBe(false);
    expect(isKeyFormat(' ppt_' + 'a'.repeat(43))).toBe(false);
  });
});

describe('hashKey', () => {
  it('is SHA-256 hex of the key', () => {
    expect(hashKey('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    const { key } = generateKey();
    expect(hashKey(key)).toBe(createHash('sha256').update(key).digest('hex'));
    expect(hashKey(key)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('differs for keys that differ in one character', () => {
    const { key } = generateKey();
    const other = key.slice(0, -1) + (key.endsWith('a') ? 'b' : 'a');
    expect(hashKey(key)).not.toBe(hashKey(other));
  });
});

describe('isRevoked', () => {
  it('is true only once revokedAt is set', () => {
    const base = { id: 'key_x', app: 'a', createdAt: '2026-01-01T00:00:00.000Z', hash: 'h' };
    expect(isRevoked(base)).toBe(false);
    expect(isRevoked({ ...base, revokedAt: '2026-01-02T00:00:00.000Z' })).toBe(true);
  });
});

describe('validateNewKey', () => {
  it('accepts a minimal and a full key request', () => {
    expect(() => validateNewKey({ app: 'support' })).not.toThrow();
    expect(() => validateNewKey({ app: 'support', policy: 'strict', user: 'u1', models: ['gpt-4o*'] })).not.toThrow();
  });
  it('rejects an empty app, empty optional fields and empty model lists, naming the field', () => {
    expect(() => validateNewKey({ app: '  ' })).toThrow(/app/);
    expect(() => validateNewKey({ app: 'a', policy: '' })).toThrow(/policy/);
    expect(() => validateNewKey({ app: 'a', user: '' })).toThrow(/user/);
    expect(() => validateNewKey({ app: 'a', models: [] })).toThrow(/models/);
    expect(() => validateNewKey({ app: 'a', models: ['gpt-4o', ' '] })).toThrow(/model pattern/);
  });
});
