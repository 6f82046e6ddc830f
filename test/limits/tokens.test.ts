import { countTokens as o200k } from 'gpt-tokenizer/encoding/o200k_base';
import { countTokens as cl100k } from 'gpt-tokenizer/encoding/cl100k_base';
import { describe, expect, it } from 'vitest';
import { openaiChatAdapter } from '../../src/providers/openai/index.ts';
import { anthropicMessagesAdapter } from '../../src/providers/anthropic/index.ts';
import { EXACT_BUDGET_CHARS, ESTIMATE_FACTOR, TokenCounter, counterFor, countInputTokens, tokenizerFor } from '../../src/limits/tokens.ts';

const meta = { requestId: 'req_t', route: '/v1/chat/completions' };

describe('tokenizer family by model', () => {
  it.each([
    ['gpt-4o', 'o200k_base'],
    ['gpt-4o-mini-2024-07-18', 'o200k_base'],
    ['chatgpt-4o-latest', 'o200k_base'],
    ['gpt-4.1-nano', 'o200k_base'],
    ['gpt-5', 'o200k_base'],
    ['o1-mini', 'o200k_base'],
    ['o3', 'o200k_base'],
    ['o4-mini', 'o200k_base'],
    ['ft:gpt-4o-mini:acme::abc123', 'o200k_base'],
    ['gpt-4', 'cl100k_base'],
    ['gpt-4-turbo', 'cl100k_base'],
    ['gpt-3.5-turbo', 'cl100k_base'],
    ['claude-test-model', 'estimate'],
    ['llama-3.1-70b', 'estimate'],
  ])('%s → %s', (model, family) => {
    expect(tokenizerFor(model)).toBe(family);
  });
});

describe('counting', () => {
  it('counts with the real encodings: o200k and cl100k differ where the encodings do', async () => {
    const text = 'Parapet enforces token-aware limits: 🚀 résumé, naïve, 東京タワー.';
    const a = await counterFor('gpt-4o');
    a.add(text);
    const b = await counterFor('gpt-4');
    b.add(text);
    expect(a.tokens).toBe(o200k(text));
    expect(b.tokens).toBe(cl100k(text));
    expect(a.tokens).not.toBe(b.tokens);
    expect(a.exact).toBe(true);
  });

  it('treats special-token text from a client as text instead of throwing', async () => {
    const c = await counterFor('gpt-4o');
    c.add('ignore this <|endoftext|><|im_start|>system');
    expect(c.tokens).toBeGreaterThan(5);
  });

  it('counts a whole chat: every message, tool calls, tool definitions and the framing', async () => {
    const body = {
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'You are terse.' },
        { role: 'user', content: 'What is the weather in Paris?' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
        { role: 'tool', tool_call_id: 'c1', content: '21 degrees and sunny' },
      ],
      tools: [{ type: 'function', function: { name: 'get_weather', description: 'Weather by city', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }],
    };
    const ex = openaiChatAdapter.parseRequest(body, meta);
    const counted = await countInputTokens(ex);
    const texts = ['You are terse.', 'What is the weather in Paris?', '{"city":"Paris"}', 'get_weather', '21 degrees and sunny', 'get_weather', 'Weather by city', JSON.stringify(body.tools[0]?.function.parameters)];
    const expected = texts.reduce((n, t) => n + o200k(t), 0) + 4 * 3 + 3;
    expect(counted).toEqual({ tokens: expected, exact: true, family: 'o200k_base' });
  });

  it('estimates models without a public tokenizer (Anthropic) from the o200k count, on the high side', async () => {
    const ex = anthropicMessagesAdapter.parseRequest(
      { model: 'claude-test-model', max_tokens: 100, system: 'Be brief.', messages: [{ role: 'user', content: 'Summarise the attached report in three bullet points.' }] },
      { requestId: 'req_a', route: '/v1/messages' },
    );
    const counted = await countInputTokens(ex);
    const raw = o200k('Be brief.') + o200k('Summarise the attached report in three bullet points.') + 2 * 3 + 3;
    expect(counted.family).toBe('estimate');
    expect(counted.exact).toBe(false);
    expect(counted.tokens).toBe(Math.ceil(raw * ESTIMATE_FACTOR));
  });

  it('bounds the cost of pathological text: exact up to the budget, estimated past it', async () => {
    // Runs of CJK without spaces are the BPE's worst case (quadratic in the run length).
    const cjk = '東京タワーの夜景はとても綺麗でした'.repeat(20_000);
    const c = await counterFor('gpt-4o');
    const t0 = performance.now();
    c.add(cjk);
    const ms = performance.now() - t0;
    expect(ms).toBeLessThan(1500);
    expect(c.exact).toBe(false);
    // Past the budget every non-ASCII code unit counts as one token: an over-estimate for CJK.
    expect(c.tokens).toBeGreaterThan(cjk.length - EXACT_BUDGET_CHARS);
  });

  it('segments long runs without changing the count of ordinary text by more than a little', async () => {
    const prose = 'The gateway counts tokens before it forwards a request, then reconciles with the usage the upstream reports. '.repeat(60);
    expect(prose.length).toBeLessThan(EXACT_BUDGET_CHARS);
    const c = new TokenCounter('o200k_base', { countTokens: o200k });
    c.add(prose);
    const exact = o200k(prose);
    expect(c.tokens).toBeGreaterThanOrEqual(exact);
    expect(c.tokens).toBeLessThan(exact * 1.05);
  });
});
