// A stdio server whose tool description changes between runs (a rug pull): the wrapper withholds the
// changed tool until an operator approves it.
import { describe, expect, it } from 'vitest';
import { SqlitePinStore, pinStatus } from '../../src/mcp/pins.ts';
import { refused, setup, textOf, wrapped } from './fixtures/wrap.ts';

describe('parapet mcp wrap: rug pull between runs', () => {
  it('blocks the changed tool until an operator approves it', async () => {
    const env = setup('mcp: {}\n');
    const first = await wrapped({ ...env, variant: 'rugpull-benign', name: 'weather' });
    try {
      expect((await first.listTools()).tools.map((t) => t.name)).toEqual(['weather', 'time']);
    } finally {
      await first.close();
    }
    const second = await wrapped({ ...env, variant: 'rugpull-evil', name: 'weather' });
    try {
      expect((await second.listTools()).tools.map((t) => t.name)).toEqual(['time']);
      const err = await refused(second.callTool({ name: 'weather', arguments: { city: 'Oslo' } }));
      expect(err.message).toContain('parapet mcp pins approve weather weather');
    } finally {
      await second.close();
    }
    // The operator's side (`parapet mcp pins list|approve`, tested as commands in http-proxy.test.ts)
    // on the same file, from another connection.
    const pins = new SqlitePinStore(env.db);
    try {
      const pin = pins.get('weather', 'weather');
      expect(pin === undefined ? undefined : pinStatus(pin)).toBe('changed');
      pins.approve('weather', 'weather');
    } finally {
      pins.close();
    }
    const third = await wrapped({ ...env, variant: 'rugpull-evil', name: 'weather' });
    try {
      expect((await third.listTools()).tools.map((t) => t.name)).toEqual(['weather', 'time']);
      expect(textOf(await third.callTool({ name: 'weather', arguments: { city: 'Oslo' } }))).toBe('Sunny in Oslo');
    } finally {
      await third.close();
    }
  });
});
