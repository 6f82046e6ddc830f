import { describe, expect, it } from 'vitest';
import { adapterForRoute } from '../../src/providers/index.ts';
import { formatPath, getAtPath, setAtPath } from '../../src/providers/path.ts';

describe('adapterForRoute', () => {
  it('maps exactly the two routes', () => {
    expect(adapterForRoute('POST', '/v1/chat/completions')?.provider).toBe('openai');
    expect(adapterForRoute('POST', '/v1/messages')?.provider).toBe('anthropic');
    expect(adapterForRoute('POST', '/v1/messages?beta=true')?.provider).toBe('anthropic');
    expect(adapterForRoute('post', '/v1/messages')?.provider).toBe('anthropic');
    expect(adapterForRoute('GET', '/v1/messages')).toBeUndefined();
    expect(adapterForRoute('POST', '/chat/completions')).toBeUndefined();
    expect(adapterForRoute('POST', '/v1/messages/count_tokens')).toBeUndefined();
    expect(adapterForRoute('POST', '/v1/responses')).toBeUndefined();
  });
});

describe('paths', () => {
  it('get and set values inside objects and arrays', () => {
    const body = { messages: [{ content: [{ text: 'a' }] }] };
    expect(getAtPath(body, ['messages', 0, 'content', 0, 'text'])).toBe('a');
    expect(getAtPath(body, ['messages', 3, 'content'])).toBeUndefined();
    setAtPath(body, ['messages', 0, 'content', 0, 'text'], 'b');
    expect(body.messages[0]?.content[0]?.text).toBe('b');
    expect(() => setAtPath(body, ['messages', 2, 'content'], 'x')).toThrow();
    expect(() => setAtPath(body, ['messages', 5], 'x')).toThrow();
    expect(formatPath(['messages', 3, 'content', 1, 'text'])).toBe('messages[3].content[1].text');
  });
});
