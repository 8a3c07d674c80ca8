import { PRICE_TABLE, PRICE_TABLE_DATE, type ModelPrice } from './price-table.js';
import type { UsageBucket } from './types.js';

export { PRICE_TABLE_DATE, type ModelPrice };

/** Prompt sizes at which some model's price changes; replies are bucketed by the band they fall in. */
export const CONTEXT_TIERS: readonly number[] = [
  ...new Set(PRICE_TABLE.flatMap((p) => (p.above ? [p.above.thresholdTokens] : []))),
].sort((a, b) => a - b);

/** The largest price tier a prompt of this size crosses (0 for none). */
export function tierOf(contextTokens: number): number {
  let tier = 0;
  for (const t of CONTEXT_TIERS) if (contextTokens > t) tier = t;
  return tier;
}

/** A price override from config: any subset of a model's prices, in USD per million tokens. */
export type PriceOverride = Partial<Omit<ModelPrice, 'id' | 'aliases' | 'provider'>>;

export interface PriceBook {
  lookup(model: string): ModelPrice | null;
}

const PREFIXES = /^(anthropic|openai|google|gemini|vertex_ai|bedrock|azure|openrouter|xai|models|us|eu|apac)[./:]/;

/** Lower-cased model name without provider prefixes or the `[1m]` long-context marker. */
export function normalizeModel(model: string): string {
  let m = model
    .trim()
    .toLowerCase()
    .replace(/\[1m\]$/, '');
  while (PREFIXES.test(m)) m = m.replace(PREFIXES, '');
  return m;
}

/**
 * Prices by model name: exact id or alias first, then the name without a date suffix. No fuzzy
 * matching beyond that: a model we do not know is reported as unpriced, never guessed at.
 */
export function createPriceBook(overrides: Record<string, PriceOverride> = {}, table = PRICE_TABLE): PriceBook {
  const byName = new Map<string, ModelPrice>();
  for (const price of table) {
    byName.set(price.id.toLowerCase(), price);
    for (const alias of price.aliases) if (!byName.has(alias)) byName.set(alias.toLowerCase(), price);
  }
  for (const [name, override] of Object.entries(overrides)) {
    const key = normalizeModel(name);
    const base = byName.get(key);
    byName.set(key, {
      id: base?.id ?? key,
      aliases: [],
      provider: base?.provider ?? 'other',
      input: 0,
      output: 0,
      contextWindow: 0,
      ...base,
      ...override,
    });
  }
  const cache = new Map<string, ModelPrice | null>();
  return {
    lookup(model) {
      const hit = cache.get(model);
      if (hit !== undefined) return hit;
      const m = normalizeModel(model);
      const found =
        byName.get(m) ?? byName.get(m.replace(/[-@]\d{8}$/, '')) ?? byName.get(m.replace(/-latest$/, '')) ?? null;
      cache.set(model, found);
      return found;
    },
  };
}

/** USD for one usage bucket; tiered prices apply when the bucket's prompts crossed the threshold. */
export function costOf(bucket: UsageBucket, price: ModelPrice): number {
  const tier = price.above && bucket.tier >= price.above.thresholdTokens ? price.above : null;
  const input = tier?.input ?? price.input;
  const output = tier?.output ?? price.output;
  const cacheWrite = tier?.cacheWrite ?? price.cacheWrite ?? input;
  const cacheRead = tier?.cacheRead ?? price.cacheRead ?? input;
  return (
    (bucket.inputTokens * input +
      bucket.outputTokens * output +
      bucket.cacheCreationTokens * cacheWrite +
      bucket.cacheReadTokens * cacheRead) /
    1_000_000
  );
}
