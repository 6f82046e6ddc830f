// The upstream origin and request target are cached per configured URL (issue 8: a URL parse per
// request showed in profiles). Cached or not, they must be what the URL parser gives.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { upstreamTarget } from '../../src/forward/upstream.ts';

function reference(url: string, query: string): { origin: string; path: string } {
  const u = new URL(url);
  if (query !== '') u.search = query;
  return { origin: u.origin, path: u.pathname + u.search };
}

describe('upstreamTarget (issue 8)', () => {
  it('gives the URL parser’s origin and path, with and without a client query, twice (property)', () => {
    const base = fc.constantFrom('http://127.0.0.1:8080/v1', 'https://api.example.com/v1/', 'http://h/a b/%7e/../v1', 'https://x.test/base?api-version=1', 'http://[::1]:9/');
    const query = fc.oneof(fc.constant(''), fc.constant('?'), fc.string({ maxLength: 12 }).map((s) => `?${s}`));
    fc.assert(
      fc.property(base, fc.constantFrom('/chat/completions', '/v1/messages'), query, (b, p, q) => {
        const url = `${b.endsWith('/') ? b.slice(0, -1) : b}${p}`;
        expect(upstreamTarget(url, q)).toEqual(reference(url, q));
        expect(upstreamTarget(url, q)).toEqual(reference(url, q));
      }),
      { numRuns: 500 },
    );
  });
});
