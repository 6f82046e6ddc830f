// The request's own output bound, read from and written into the provider's wire body. This is the
// only place in limits/ that knows field names of a wire format.

import type { Exchange } from '../exchange/types.ts';

// Reasoning models refuse the legacy max_tokens; every other OpenAI-compatible server reads it.
const REASONING = /^(?:ft:)?(?:o\d|gpt-5|codex)/;

function fieldsOf(ex: Exchange): readonly string[] {
  if (ex.provider === 'anthropic') return ['max_tokens'];
  if (ex.route.startsWith('/v1/responses')) return ['max_output_tokens'];
  return ['max_completion_tokens', 'max_tokens'];
}

function positiveInt(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : undefined;
}

/** The most output the client asked for, or undefined when it set no bound. */
export function requestedMaxOutput(ex: Exchange): number | undefined {
  let max: number | undefined;
  for (const f of fieldsOf(ex)) {
    const v = positiveInt(ex.body[f]);
    if (v !== undefined) max = max === undefined ? v : Math.min(max, v);
  }
  return max;
}

/** Sets the output bound: lowers every bound field the client set, or adds the model's usual one. */
export function setMaxOutput(ex: Exchange, tokens: number): void {
  let set = false;
  for (const f of fieldsOf(ex)) {
    if (ex.body[f] === undefined || ex.body[f] === null) continue;
    ex.body[f] = tokens;
    set = true;
  }
  if (set) return;
  if (ex.provider === 'anthropic') ex.body['max_tokens'] = tokens;
  else if (ex.route.startsWith('/v1/responses')) ex.body['max_output_tokens'] = tokens;
  else ex.body[REASONING.test(ex.model) ? 'max_completion_tokens' : 'max_tokens'] = tokens;
}
