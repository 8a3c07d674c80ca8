/**
 * Offline price table: USD per million tokens, gathered 2026-11-20 and shipped with the package
 * (no network at run time).
 *
 * Sources, in order of preference:
 * - Provider pages (stored copies read 2026-11-20):
 *   - Anthropic: platform.claude.com/docs/en/about-claude/pricing (model table Fable 5.1 … Opus 4),
 *     platform.claude.com/docs/zh-CN/about-claude/pricing (table Opus 4.6 … Haiku 3, with the
 *     1.25x / 2x / 0.1x cache multipliers), and the per-model overview pages under
 *     platform.claude.com/docs/{en,zh-CN}/models/ (opus-5, opus-5-5, sonnet-5, sonnet-5-5, fable-5,
 *     fable-5-1, haiku-5-5).
 *   - xAI: docs.x.ai/developers/grok-4-7.
 * - BerriAI/litellm, model_prices_and_context_window.json at commit
 *   00035b69f416be24e2e323c13198d9b7d2d1bdf9 (the reference ccusage uses; its newest entries
 *   date from mid-2026): input_cost_per_token, output_cost_per_token,
 *   cache_creation_input_token_cost(_above_1hr), cache_read_input_token_cost, *_above_200k_tokens,
 *   *_above_272k_tokens, max_input_tokens.
 * - For changes after those snapshots, third-party trackers that re-checked the provider pages:
 *   kurofune/claudit releases v1.8.1 and v1.9.2, TheKrush/PromptFuel releases v1.0.22 to v1.0.24,
 *   merefield/codexometer release v0.18.4, docs.litellm.ai/blog/gpt-6-1-terra, BerriAI/litellm
 *   discussion #42523, apidog.com guides (Claude Haiku 5.5 API, Grok 4.7 API),
 *   openrouter.ai/x-ai/grok-code-fast-1, getmaxim.ai cost page for zai glm-4.6.
 *
 * Left out on purpose: DeepSeek (time-of-day peak/off-peak rates since 2026-08-16, and
 * deepseek-chat / deepseek-reasoner retired on 2026-07-24), Qwen3-Coder (four prompt-size bands),
 * the GPT-5.6 family (repriced in July 2026; sources disagree on current rates), GPT-6 Astra and
 * Gemini 3.8 Flash (no long-context or non-promotional rates found), Kimi K3 and GLM 5.x.
 */

export const PRICE_TABLE_DATE = '2026-11-20';

export interface ModelPrice {
  /** Canonical model id as the provider names it, e.g. 'claude-sonnet-4-5-20250929'. */
  id: string;
  /** Other names agents write for the same model (dated/undated ids, aliases, provider prefixes), lower case. */
  aliases: readonly string[];
  provider: 'anthropic' | 'openai' | 'google' | 'xai' | 'deepseek' | 'other';
  /** USD per million tokens. */
  input: number;
  output: number;
  /** Cache write (Anthropic 5-minute ephemeral write); omit where the provider has none. */
  cacheWrite?: number;
  /** Anthropic 1-hour cache write, where it differs. */
  cacheWrite1h?: number;
  cacheRead?: number;
  /** Tiered pricing above a prompt-size threshold (e.g. Anthropic long context above 200k input tokens, Gemini 2.5 Pro above 200k), where it applies. */
  above?: {
    thresholdTokens: number;
    input: number;
    output: number;
    cacheWrite?: number;
    cacheRead?: number;
  };
  /** Context window in tokens (the default window, not an optional beta extension; note the extension in a comment). */
  contextWindow: number;
}

// Short aliases ('opus', 'sonnet', 'haiku', 'fable') follow Claude Code's first-party defaults as
// of CLI 2.1.293; on Bedrock, Vertex and Foundry 'haiku' still means Haiku 4.5.
const ANTHROPIC: readonly ModelPrice[] = [
  {
    id: 'claude-fable-5-1',
    aliases: ['fable', 'fable[1m]', 'claude-fable-5-1[1m]', 'anthropic/claude-fable-5-1'],
    provider: 'anthropic',
    input: 10,
    output: 50,
    cacheWrite: 12.5,
    cacheWrite1h: 20,
    // 0.025x input, not the usual 0.1x.
    cacheRead: 0.25,
    contextWindow: 1_000_000,
  },
  {
    id: 'claude-mythos-5-1',
    aliases: ['claude-mythos-5-1[1m]', 'anthropic/claude-mythos-5-1'],
    provider: 'anthropic',
    input: 10,
    output: 50,
    cacheWrite: 12.5,
    cacheWrite1h: 20,
    cacheRead: 0.25,
    contextWindow: 1_000_000,
  },
  {
    id: 'claude-fable-5',
    aliases: ['claude-fable-5[1m]', 'anthropic/claude-fable-5'],
    provider: 'anthropic',
    input: 10,
    output: 50,
    cacheWrite: 12.5,
    cacheWrite1h: 20,
    cacheRead: 1,
    contextWindow: 1_000_000,
  },
  {
    id: 'claude-mythos-5',
    aliases: ['claude-mythos-5[1m]', 'anthropic/claude-mythos-5'],
    provider: 'anthropic',
    input: 10,
    output: 50,
    cacheWrite: 12.5,
    cacheWrite1h: 20,
    cacheRead: 1,
    contextWindow: 1_000_000,
  },
  {
    id: 'claude-opus-5-5',
    aliases: ['opus', 'opus[1m]', 'claude-opus-5-5[1m]', 'anthropic/claude-opus-5-5'],
    provider: 'anthropic',
    input: 4,
    output: 20,
    cacheWrite: 5,
    cacheWrite1h: 8,
    // 0.05x input.
    cacheRead: 0.2,
    contextWindow: 1_000_000,
  },
  {
    id: 'claude-opus-5',
    aliases: ['claude-opus-5[1m]', 'anthropic/claude-opus-5'],
    provider: 'anthropic',
    input: 5,
    output: 25,
    cacheWrite: 6.25,
    cacheWrite1h: 10,
    cacheRead: 0.5,
    contextWindow: 1_000_000,
  },
  {
    id: 'claude-opus-4-8',
    aliases: ['claude-opus-4-8[1m]', 'claude-opus-4.8', 'anthropic/claude-opus-4-8'],
    provider: 'anthropic',
    input: 5,
    output: 25,
    cacheWrite: 6.25,
    cacheWrite1h: 10,
    cacheRead: 0.5,
    contextWindow: 1_000_000,
  },
  {
    id: 'claude-opus-4-7',
    aliases: ['claude-opus-4-7-20260416', 'claude-opus-4-7[1m]', 'claude-opus-4.7', 'anthropic/claude-opus-4-7'],
    provider: 'anthropic',
    input: 5,
    output: 25,
    cacheWrite: 6.25,
    cacheWrite1h: 10,
    cacheRead: 0.5,
    contextWindow: 1_000_000,
  },
  {
    id: 'claude-opus-4-6',
    aliases: [
      'claude-opus-4-6-20260205',
      'claude-opus-4-6[1m]',
      'claude-opus-4.6',
      'anthropic/claude-opus-4-6',
      'anthropic/claude-opus-4.6',
    ],
    provider: 'anthropic',
    input: 5,
    output: 25,
    cacheWrite: 6.25,
    cacheWrite1h: 10,
    cacheRead: 0.5,
    // 1M at standard rates (no long-context premium). Claude Code ran 4.6/4.7 at 200k unless the
    // [1m] variant was chosen.
    contextWindow: 1_000_000,
  },
  {
    id: 'claude-opus-4-5-20251101',
    aliases: ['claude-opus-4-5', 'claude-opus-4.5', 'anthropic/claude-opus-4-5', 'anthropic/claude-opus-4.5'],
    provider: 'anthropic',
    input: 5,
    output: 25,
    cacheWrite: 6.25,
    cacheWrite1h: 10,
    cacheRead: 0.5,
    contextWindow: 200_000,
  },
  {
    id: 'claude-opus-4-1-20250805',
    aliases: ['claude-opus-4-1', 'claude-opus-4.1', 'anthropic/claude-opus-4-1', 'anthropic/claude-opus-4.1'],
    provider: 'anthropic',
    input: 15,
    output: 75,
    cacheWrite: 18.75,
    cacheWrite1h: 30,
    cacheRead: 1.5,
    contextWindow: 200_000,
  },
  {
    id: 'claude-opus-4-20250514',
    aliases: [
      'claude-opus-4',
      'claude-opus-4-0',
      'claude-4-opus-20250514',
      'anthropic/claude-opus-4',
      'anthropic/claude-opus-4-0',
    ],
    provider: 'anthropic',
    input: 15,
    output: 75,
    cacheWrite: 18.75,
    cacheWrite1h: 30,
    cacheRead: 1.5,
    contextWindow: 200_000,
  },
  {
    id: 'claude-sonnet-5-5',
    aliases: ['sonnet', 'sonnet[1m]', 'claude-sonnet-5-5[1m]', 'anthropic/claude-sonnet-5-5'],
    provider: 'anthropic',
    input: 2,
    output: 10,
    cacheWrite: 2.5,
    cacheWrite1h: 4,
    // Cut from 0.20 to 0.10 on 2026-10-07 (claudit v1.9.2, PromptFuel v1.0.23); the stored
    // provider overview predates the cut and still shows 0.20.
    cacheRead: 0.1,
    contextWindow: 1_000_000,
  },
  {
    id: 'claude-sonnet-5',
    aliases: ['claude-sonnet-5[1m]', 'anthropic/claude-sonnet-5'],
    provider: 'anthropic',
    // The increase to $3 / $15 announced for 2026-09-01 was cancelled; $2 / $10 is standard.
    input: 2,
    output: 10,
    cacheWrite: 2.5,
    cacheWrite1h: 4,
    cacheRead: 0.2,
    contextWindow: 1_000_000,
  },
  {
    id: 'claude-sonnet-4-6',
    aliases: [
      'claude-sonnet-4-6[1m]',
      'claude-sonnet-4.6',
      'anthropic/claude-sonnet-4-6',
      'anthropic/claude-sonnet-4.6',
    ],
    provider: 'anthropic',
    input: 3,
    output: 15,
    cacheWrite: 3.75,
    cacheWrite1h: 6,
    cacheRead: 0.3,
    // 1M at standard rates; Claude Code used 200k unless the [1m] variant was chosen.
    contextWindow: 1_000_000,
  },
  {
    id: 'claude-sonnet-4-5-20250929',
    aliases: [
      'claude-sonnet-4-5',
      'claude-sonnet-4-5[1m]',
      'claude-sonnet-4.5',
      'anthropic/claude-sonnet-4-5',
      'anthropic/claude-sonnet-4.5',
    ],
    provider: 'anthropic',
    input: 3,
    output: 15,
    cacheWrite: 3.75,
    cacheWrite1h: 6,
    cacheRead: 0.3,
    // Long-context premium with the 1M beta; the 1h cache write above 200k is 12.
    above: { thresholdTokens: 200_000, input: 6, output: 22.5, cacheWrite: 7.5, cacheRead: 0.6 },
    // 1M with the context-1m beta.
    contextWindow: 200_000,
  },
  {
    id: 'claude-sonnet-4-20250514',
    aliases: [
      'claude-sonnet-4',
      'claude-sonnet-4-0',
      'claude-sonnet-4[1m]',
      'claude-4-sonnet-20250514',
      'anthropic/claude-sonnet-4',
      'anthropic/claude-sonnet-4-0',
    ],
    provider: 'anthropic',
    input: 3,
    output: 15,
    cacheWrite: 3.75,
    cacheWrite1h: 6,
    cacheRead: 0.3,
    above: { thresholdTokens: 200_000, input: 6, output: 22.5, cacheWrite: 7.5, cacheRead: 0.6 },
    // 1M with the context-1m beta (LiteLLM lists 1M as max_input_tokens).
    contextWindow: 200_000,
  },
  {
    id: 'claude-3-7-sonnet-20250219',
    aliases: ['claude-3-7-sonnet', 'claude-3-7-sonnet-latest', 'claude-3.7-sonnet', 'anthropic/claude-3.7-sonnet'],
    provider: 'anthropic',
    input: 3,
    output: 15,
    cacheWrite: 3.75,
    cacheWrite1h: 6,
    cacheRead: 0.3,
    contextWindow: 200_000,
  },
  {
    id: 'claude-3-5-sonnet-20241022',
    aliases: [
      'claude-3-5-sonnet-20240620',
      'claude-3-5-sonnet',
      'claude-3-5-sonnet-latest',
      'claude-3.5-sonnet',
      'anthropic/claude-3.5-sonnet',
    ],
    provider: 'anthropic',
    input: 3,
    output: 15,
    // Retired before the current pricing page; cache rates from Anthropic's stated 1.25x / 0.1x
    // multipliers.
    cacheWrite: 3.75,
    cacheRead: 0.3,
    contextWindow: 200_000,
  },
  {
    id: 'claude-3-sonnet-20240229',
    aliases: ['claude-3-sonnet', 'anthropic/claude-3-sonnet'],
    provider: 'anthropic',
    // No prompt caching on Claude 3 Sonnet.
    input: 3,
    output: 15,
    contextWindow: 200_000,
  },
  {
    id: 'claude-haiku-5-5',
    aliases: ['haiku', 'claude-haiku-5-5[1m]', 'anthropic/claude-haiku-5-5'],
    provider: 'anthropic',
    input: 0.1,
    output: 0.5,
    cacheWrite: 0.125,
    cacheWrite1h: 0.2,
    cacheRead: 0.01,
    // Prompt (input + cache reads + cache writes) over 100k: every token of the request, output
    // included, at the higher rates; the 1h cache write there is 1.00.
    above: {
      thresholdTokens: 100_000,
      input: 0.5,
      output: 2.5,
      cacheWrite: 0.625,
      cacheRead: 0.05,
    },
    contextWindow: 1_000_000,
  },
  {
    id: 'claude-haiku-4-5-20251001',
    aliases: ['claude-haiku-4-5', 'claude-haiku-4.5', 'anthropic/claude-haiku-4-5', 'anthropic/claude-haiku-4.5'],
    provider: 'anthropic',
    input: 1,
    output: 5,
    cacheWrite: 1.25,
    cacheWrite1h: 2,
    cacheRead: 0.1,
    contextWindow: 200_000,
  },
  {
    id: 'claude-3-5-haiku-20241022',
    aliases: ['claude-3-5-haiku', 'claude-3-5-haiku-latest', 'claude-3.5-haiku', 'anthropic/claude-3.5-haiku'],
    provider: 'anthropic',
    input: 0.8,
    output: 4,
    cacheWrite: 1,
    cacheWrite1h: 1.6,
    cacheRead: 0.08,
    contextWindow: 200_000,
  },
  {
    id: 'claude-3-opus-20240229',
    aliases: ['claude-3-opus', 'claude-3-opus-latest', 'anthropic/claude-3-opus'],
    provider: 'anthropic',
    input: 15,
    output: 75,
    cacheWrite: 18.75,
    // Anthropic's page; LiteLLM has 6 here, which does not match the 2x multiplier.
    cacheWrite1h: 30,
    cacheRead: 1.5,
    contextWindow: 200_000,
  },
  {
    id: 'claude-3-haiku-20240307',
    aliases: ['claude-3-haiku', 'anthropic/claude-3-haiku'],
    provider: 'anthropic',
    input: 0.25,
    output: 1.25,
    cacheWrite: 0.3,
    // Anthropic's page; LiteLLM has 6 here, which does not match the 2x multiplier.
    cacheWrite1h: 0.5,
    cacheRead: 0.03,
    contextWindow: 200_000,
  },
];

// LiteLLM's max_input_tokens for the GPT-5 line is the input share of the window
// (272k of 400k; 1.05M for 5.4 and later).
const OPENAI: readonly ModelPrice[] = [
  {
    id: 'gpt-6.1-sol',
    aliases: ['openai/gpt-6.1-sol'],
    provider: 'openai',
    input: 2,
    output: 10,
    // 30-minute cache write.
    cacheWrite: 2.5,
    cacheRead: 0.1,
    above: { thresholdTokens: 272_000, input: 4, output: 15, cacheRead: 0.2 },
    // 922k of it input.
    contextWindow: 1_050_000,
  },
  {
    id: 'gpt-6.1-terra',
    aliases: ['openai/gpt-6.1-terra'],
    provider: 'openai',
    input: 1,
    output: 5,
    // 30-minute cache write (the 12-hour write is 2.50).
    cacheWrite: 1.25,
    cacheRead: 0.05,
    above: { thresholdTokens: 272_000, input: 2, output: 7.5, cacheRead: 0.1 },
    contextWindow: 1_050_000,
  },
  {
    id: 'gpt-6-sol',
    aliases: ['openai/gpt-6-sol'],
    provider: 'openai',
    input: 2,
    output: 10,
    cacheWrite: 2.5,
    cacheRead: 0.2,
    above: { thresholdTokens: 272_000, input: 4, output: 15, cacheRead: 0.4 },
    contextWindow: 1_050_000,
  },
  {
    id: 'gpt-6-luna',
    aliases: ['openai/gpt-6-luna'],
    provider: 'openai',
    input: 0.1,
    output: 0.5,
    cacheWrite: 0.125,
    cacheRead: 0.01,
    above: { thresholdTokens: 272_000, input: 0.2, output: 0.75, cacheRead: 0.02 },
    contextWindow: 1_050_000,
  },
  {
    id: 'gpt-5.5',
    aliases: ['gpt-5.5-2026-04-23', 'openai/gpt-5.5'],
    provider: 'openai',
    input: 5,
    output: 30,
    cacheRead: 0.5,
    above: { thresholdTokens: 272_000, input: 10, output: 45, cacheRead: 1 },
    contextWindow: 1_050_000,
  },
  {
    id: 'gpt-5.4',
    aliases: ['gpt-5.4-2026-03-05', 'openai/gpt-5.4'],
    provider: 'openai',
    input: 2.5,
    output: 15,
    cacheRead: 0.25,
    above: { thresholdTokens: 272_000, input: 5, output: 22.5, cacheRead: 0.5 },
    contextWindow: 1_050_000,
  },
  {
    id: 'gpt-5.4-mini',
    aliases: ['gpt-5.4-mini-2026-03-17', 'openai/gpt-5.4-mini'],
    provider: 'openai',
    input: 0.75,
    output: 4.5,
    cacheRead: 0.075,
    // LiteLLM lists no long-context tier for the mini and nano.
    contextWindow: 1_050_000,
  },
  {
    id: 'gpt-5.4-nano',
    aliases: ['gpt-5.4-nano-2026-03-17', 'openai/gpt-5.4-nano'],
    provider: 'openai',
    input: 0.2,
    output: 1.25,
    cacheRead: 0.02,
    contextWindow: 1_050_000,
  },
  {
    id: 'gpt-5.3-codex',
    aliases: ['openai/gpt-5.3-codex'],
    provider: 'openai',
    input: 1.75,
    output: 14,
    cacheRead: 0.175,
    contextWindow: 272_000,
  },
  {
    id: 'gpt-5.2-codex',
    aliases: ['openai/gpt-5.2-codex'],
    provider: 'openai',
    input: 1.75,
    output: 14,
    cacheRead: 0.175,
    contextWindow: 272_000,
  },
  {
    id: 'gpt-5.2',
    aliases: ['gpt-5.2-2025-12-11', 'openai/gpt-5.2'],
    provider: 'openai',
    input: 1.75,
    output: 14,
    cacheRead: 0.175,
    contextWindow: 272_000,
  },
  {
    id: 'gpt-5.1-codex-max',
    aliases: ['openai/gpt-5.1-codex-max'],
    provider: 'openai',
    input: 1.25,
    output: 10,
    cacheRead: 0.125,
    contextWindow: 272_000,
  },
  {
    id: 'gpt-5.1-codex',
    aliases: ['openai/gpt-5.1-codex'],
    provider: 'openai',
    input: 1.25,
    output: 10,
    cacheRead: 0.125,
    contextWindow: 272_000,
  },
  {
    id: 'gpt-5.1-codex-mini',
    aliases: ['openai/gpt-5.1-codex-mini'],
    provider: 'openai',
    input: 0.25,
    output: 2,
    cacheRead: 0.025,
    contextWindow: 272_000,
  },
  {
    id: 'gpt-5.1',
    aliases: ['gpt-5.1-2025-11-13', 'openai/gpt-5.1'],
    provider: 'openai',
    input: 1.25,
    output: 10,
    cacheRead: 0.125,
    contextWindow: 272_000,
  },
  {
    id: 'gpt-5-codex',
    aliases: ['openai/gpt-5-codex'],
    provider: 'openai',
    input: 1.25,
    output: 10,
    cacheRead: 0.125,
    contextWindow: 272_000,
  },
  {
    id: 'gpt-5',
    aliases: ['gpt-5-2025-08-07', 'openai/gpt-5'],
    provider: 'openai',
    input: 1.25,
    output: 10,
    cacheRead: 0.125,
    contextWindow: 272_000,
  },
  {
    id: 'gpt-5-mini',
    aliases: ['gpt-5-mini-2025-08-07', 'openai/gpt-5-mini'],
    provider: 'openai',
    input: 0.25,
    output: 2,
    cacheRead: 0.025,
    contextWindow: 272_000,
  },
  {
    id: 'gpt-5-nano',
    aliases: ['gpt-5-nano-2025-08-07', 'openai/gpt-5-nano'],
    provider: 'openai',
    input: 0.05,
    output: 0.4,
    cacheRead: 0.005,
    contextWindow: 272_000,
  },
  {
    id: 'codex-mini-latest',
    aliases: ['openai/codex-mini-latest'],
    provider: 'openai',
    input: 1.5,
    output: 6,
    cacheRead: 0.375,
    contextWindow: 200_000,
  },
  {
    id: 'gpt-4.1',
    aliases: ['gpt-4.1-2025-04-14', 'openai/gpt-4.1'],
    provider: 'openai',
    input: 2,
    output: 8,
    cacheRead: 0.5,
    contextWindow: 1_047_576,
  },
  {
    id: 'gpt-4.1-mini',
    aliases: ['gpt-4.1-mini-2025-04-14', 'openai/gpt-4.1-mini'],
    provider: 'openai',
    input: 0.4,
    output: 1.6,
    cacheRead: 0.1,
    contextWindow: 1_047_576,
  },
  {
    id: 'gpt-4.1-nano',
    aliases: ['gpt-4.1-nano-2025-04-14', 'openai/gpt-4.1-nano'],
    provider: 'openai',
    input: 0.1,
    output: 0.4,
    cacheRead: 0.025,
    contextWindow: 1_047_576,
  },
  {
    id: 'gpt-4o',
    // gpt-4o-2024-05-13 is priced differently ($5 / $15) and is left out.
    aliases: ['gpt-4o-2024-08-06', 'gpt-4o-2024-11-20', 'openai/gpt-4o'],
    provider: 'openai',
    input: 2.5,
    output: 10,
    cacheRead: 1.25,
    contextWindow: 128_000,
  },
  {
    id: 'gpt-4o-mini',
    aliases: ['gpt-4o-mini-2024-07-18', 'openai/gpt-4o-mini'],
    provider: 'openai',
    input: 0.15,
    output: 0.6,
    cacheRead: 0.075,
    contextWindow: 128_000,
  },
  {
    id: 'o3',
    aliases: ['o3-2025-04-16', 'openai/o3'],
    provider: 'openai',
    input: 2,
    output: 8,
    cacheRead: 0.5,
    contextWindow: 200_000,
  },
  {
    id: 'o4-mini',
    aliases: ['o4-mini-2025-04-16', 'openai/o4-mini'],
    provider: 'openai',
    input: 1.1,
    output: 4.4,
    cacheRead: 0.275,
    contextWindow: 200_000,
  },
];

// Gemini API (ai.google.dev) rates as LiteLLM carries them under gemini/*; cacheRead is the
// context-cache (implicit or explicit) token rate, storage not included.
const GOOGLE: readonly ModelPrice[] = [
  {
    id: 'gemini-3.5-flash',
    aliases: ['gemini/gemini-3.5-flash', 'google/gemini-3.5-flash'],
    provider: 'google',
    input: 1.5,
    output: 9,
    cacheRead: 0.15,
    contextWindow: 1_048_576,
  },
  {
    id: 'gemini-3.1-pro-preview',
    aliases: ['gemini/gemini-3.1-pro-preview', 'google/gemini-3.1-pro-preview'],
    provider: 'google',
    input: 2,
    output: 12,
    cacheRead: 0.2,
    above: { thresholdTokens: 200_000, input: 4, output: 18, cacheRead: 0.4 },
    contextWindow: 1_048_576,
  },
  {
    id: 'gemini-3.1-flash-lite',
    aliases: [
      'gemini-3.1-flash-lite-preview',
      'gemini/gemini-3.1-flash-lite',
      'gemini/gemini-3.1-flash-lite-preview',
      'google/gemini-3.1-flash-lite',
    ],
    provider: 'google',
    input: 0.25,
    output: 1.5,
    cacheRead: 0.025,
    contextWindow: 1_048_576,
  },
  {
    id: 'gemini-3-pro-preview',
    aliases: ['gemini/gemini-3-pro-preview', 'google/gemini-3-pro-preview'],
    provider: 'google',
    input: 2,
    output: 12,
    cacheRead: 0.2,
    above: { thresholdTokens: 200_000, input: 4, output: 18, cacheRead: 0.4 },
    contextWindow: 1_048_576,
  },
  {
    // The GA 'gemini-3-flash' may be priced differently and is not aliased here.
    id: 'gemini-3-flash-preview',
    aliases: ['gemini/gemini-3-flash-preview', 'google/gemini-3-flash-preview'],
    provider: 'google',
    input: 0.5,
    output: 3,
    cacheRead: 0.05,
    contextWindow: 1_048_576,
  },
  {
    id: 'gemini-2.5-pro',
    aliases: ['gemini/gemini-2.5-pro', 'google/gemini-2.5-pro'],
    provider: 'google',
    input: 1.25,
    output: 10,
    cacheRead: 0.125,
    above: { thresholdTokens: 200_000, input: 2.5, output: 15, cacheRead: 0.25 },
    contextWindow: 1_048_576,
  },
  {
    id: 'gemini-2.5-flash',
    aliases: ['gemini/gemini-2.5-flash', 'google/gemini-2.5-flash'],
    provider: 'google',
    input: 0.3,
    output: 2.5,
    cacheRead: 0.03,
    contextWindow: 1_048_576,
  },
  {
    id: 'gemini-2.5-flash-lite',
    aliases: ['gemini/gemini-2.5-flash-lite', 'google/gemini-2.5-flash-lite'],
    provider: 'google',
    input: 0.1,
    output: 0.4,
    cacheRead: 0.01,
    contextWindow: 1_048_576,
  },
  {
    id: 'gemini-2.0-flash',
    aliases: [
      'gemini-2.0-flash-001',
      'gemini/gemini-2.0-flash',
      'gemini/gemini-2.0-flash-001',
      'google/gemini-2.0-flash',
    ],
    provider: 'google',
    input: 0.1,
    output: 0.4,
    cacheRead: 0.025,
    contextWindow: 1_048_576,
  },
  {
    id: 'gemini-2.0-flash-lite',
    aliases: ['gemini/gemini-2.0-flash-lite', 'google/gemini-2.0-flash-lite'],
    provider: 'google',
    input: 0.075,
    output: 0.3,
    cacheRead: 0.01875,
    contextWindow: 1_048_576,
  },
];

const OTHERS: readonly ModelPrice[] = [
  {
    id: 'grok-4.7',
    aliases: ['xai/grok-4.7', 'x-ai/grok-4.7'],
    provider: 'xai',
    // Input, output and window from docs.x.ai; the cached rate and the tier at 200k and above from
    // the apidog Grok 4.7 guide.
    input: 2,
    output: 6,
    cacheRead: 0.5,
    above: { thresholdTokens: 200_000, input: 4, output: 12, cacheRead: 1 },
    contextWindow: 500_000,
  },
  {
    id: 'grok-code-fast-1',
    aliases: ['xai/grok-code-fast-1', 'x-ai/grok-code-fast-1'],
    provider: 'xai',
    // xAI's own rate (OpenRouter page and xAI model card); Oracle OCI resells it at $5 / $25.
    input: 0.2,
    output: 1.5,
    cacheRead: 0.02,
    contextWindow: 256_000,
  },
  {
    id: 'kimi-k2.6',
    aliases: ['moonshot/kimi-k2.6', 'moonshotai/kimi-k2.6'],
    provider: 'other',
    input: 0.95,
    output: 4,
    cacheRead: 0.16,
    contextWindow: 262_144,
  },
  {
    id: 'kimi-k2.5',
    aliases: ['moonshot/kimi-k2.5', 'moonshotai/kimi-k2.5'],
    provider: 'other',
    input: 0.6,
    output: 3,
    cacheRead: 0.1,
    contextWindow: 262_144,
  },
  {
    // The kimi-k2 series was retired on 2026-05-25; rates kept for older sessions.
    id: 'kimi-k2-0905-preview',
    aliases: ['kimi-k2', 'kimi-k2-0905', 'moonshot/kimi-k2-0905-preview', 'moonshotai/kimi-k2-0905'],
    provider: 'other',
    input: 0.6,
    output: 2.5,
    cacheRead: 0.15,
    contextWindow: 262_144,
  },
  {
    id: 'kimi-k2-0711-preview',
    aliases: ['moonshot/kimi-k2-0711-preview', 'moonshotai/kimi-k2-0711'],
    provider: 'other',
    input: 0.6,
    output: 2.5,
    cacheRead: 0.15,
    contextWindow: 131_072,
  },
  {
    id: 'kimi-k2-thinking',
    aliases: ['moonshot/kimi-k2-thinking', 'moonshotai/kimi-k2-thinking'],
    provider: 'other',
    input: 0.6,
    output: 2.5,
    cacheRead: 0.15,
    contextWindow: 262_144,
  },
  {
    id: 'kimi-k2-turbo-preview',
    aliases: ['moonshot/kimi-k2-turbo-preview'],
    provider: 'other',
    input: 1.15,
    output: 8,
    cacheRead: 0.15,
    contextWindow: 262_144,
  },
  {
    id: 'glm-4.6',
    aliases: ['zai/glm-4.6', 'z-ai/glm-4.6', 'zai-org/glm-4.6'],
    provider: 'other',
    // Z.ai's published rate; no cached-input rate found, so cache reads are unpriced.
    input: 0.6,
    output: 2.2,
    contextWindow: 200_000,
  },
];

export const PRICE_TABLE: readonly ModelPrice[] = [...ANTHROPIC, ...OPENAI, ...GOOGLE, ...OTHERS];
