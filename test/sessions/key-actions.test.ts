// Rules that act on the whole key, through the gateway with the official OpenAI client: a burst of
// requests with detections throttles the key (429 with retry-after, in the client's error shape);
// systematically varied prompts (model extraction) are caught as near-duplicates.
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { auditOf, startSessionStack } from './stack.ts';
import type { SessionStack } from './stack.ts';

let stack: SessionStack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

// A fixed clock: every request falls in the same minute, whatever the machine's speed.
const NOW = Date.UTC(2030, 0, 1, 12, 0, 10);

describe('key-wide actions', () => {
  it('throttles a key whose burst comes with detections, and only that key', async () => {
    stack = await startSessionStack({
      clock: () => NOW,
      script: [{ reply: 'Noted.' }],
      yaml: `
policies:
  default:
    sessions:
      throttle: { requests_per_minute: 2, for: 10m }
      rules:
        anomaly: { action: throttle, min_requests: 5, min_tokens: 1000000, detections: 2 }
`,
    });
    const client = stack.openai();
    const ask = (content: string) => client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content }] }).withResponse();
    for (const q of ['What is 2+2?', 'Name a colour.', 'Name a fruit.', 'Call me at +358 40 1234567 please.']) await ask(q);
    // The fifth request of the minute, the second with a finding: the key is throttled from now on.
    const fifth = await ask('My number is +358 40 7654321, call me.');
    expect(fifth.data.choices[0]?.message.content).toBeTruthy();
    const ev = await auditOf(stack, fifth.response.headers.get('x-parapet-request-id'));
    expect(ev.rule).toBe('sessions.anomaly.throttle');
    expect(ev.findings).toContainEqual(expect.objectContaining({ rule: 'sessions.anomaly', category: 'consumption', owasp: ['LLM10'] }));

    // Two requests a minute from now on.
    await ask('Name a tree.');
    await ask('Name a river.');
    const refused = await ask('Name a mountain.').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(OpenAI.RateLimitError);
    const err = refused as InstanceType<typeof OpenAI.APIError>;
    expect(err.message).toMatch(/throttled by Parapet to 2 requests per minute until 2030-01-01T12:10:10\.000Z \(rule sessions\.anomaly\)/);
    expect(err.headers?.get('retry-after')).toBe('50');
    const blocked = await auditOf(stack, err.headers?.get('x-parapet-request-id'));
    expect(blocked).toMatchObject({ decision: 'block', status: 429, rule: 'sessions.anomaly.throttle' });

    // Another key is not throttled.
    const other = stack.keys.create({ app: 'test-app' }).key;
    const r = await stack.openai(other).chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Name a lake.' }] });
    expect(r.choices[0]?.message.content).toBeTruthy();
  });

  it('catches systematically varied prompts from one key across conversations', async () => {
    stack = await startSessionStack({
      clock: () => NOW,
      yaml: `
policies:
  default:
    sessions:
      rules:
        duplicates: { action: block, similar: 4, of: 20 }
`,
    });
    const client = stack.openai();
    const substances = ['water', 'ethanol', 'mercury', 'acetone', 'benzene', 'glycerol'];
    const results: unknown[] = [];
    for (const s of substances) {
      results.push(
        await client.chat.completions
          .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: `What is the boiling point of ${s} at sea level in degrees Celsius?` }] })
          .catch((e: unknown) => e),
      );
    }
    // Four answered; the fifth near-duplicate is blocked, and the sixth.
    expect(results.slice(0, 4).every((r) => !(r instanceof Error))).toBe(true);
    expect(results[4]).toBeInstanceOf(OpenAI.BadRequestError);
    expect((results[4] as InstanceType<typeof OpenAI.APIError>).message).toMatch(/Blocked by Parapet: rule sessions\.duplicates: 4 of this key's last 4 prompts are near-duplicates/);
    expect(results[5]).toBeInstanceOf(OpenAI.BadRequestError);
    // Unrelated prompts still pass.
    const r = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Write a haiku about autumn leaves.' }] });
    expect(r.choices[0]?.message.content).toBeTruthy();
  });
});
