// Model prices for cost budgets. Costs are counted in micro-dollars so every counter is an integer:
// tokens × (USD per 1M tokens) is exactly micro-USD.

import { globMatch } from '../config/models.ts';
import type { ModelPrice } from '../config/index.ts';

// Model names come from clients: the per-table cache is bounded so junk names cannot grow it.
const CACHE_LIMIT = 1024;
const cache = new WeakMap<readonly ModelPrice[], Map<string, ModelPrice | null>>();

/** The price of `model`: an exact pattern first, else the longest matching glob; undefined when none. */
export function priceFor(prices: readonly ModelPrice[], model: string): ModelPrice | undefined {
  let byModel = cache.get(prices);
  if (byModel === undefined) {
    byModel = new Map();
    cache.set(prices, byModel);
  }
  const hit = byModel.get(model);
  if (hit !== undefined) return hit ?? undefined;
  let best: ModelPrice | undefined;
  for (const p of prices) {
    if (p.pattern === model) {
      best = p;
      break;
    }
    if (globMatch(p.pattern, model) && (best === undefined || p.pattern.length > best.pattern.length)) best = p;
  }
  if (byModel.size >= CACHE_LIMIT) byModel.clear();
  byModel.set(model, best ?? null);
  return best;
}

/** Micro-USD for the tokens, rounded up so a budget is never undercounted by rounding. */
export function costMicros(price: ModelPrice, inputTokens: number, outputTokens: number): number {
  return Math.ceil(inputTokens * price.input + outputTokens * price.output - 1e-9);
}

/** Micro-USD → a USD amount for people: "$0.0042", "$12.5". */
export function formatUsd(micros: number): string {
  const usd = micros / 1e6;
  return `$${usd.toFixed(6).replace(/\.?0+$/, '')}`;
}
