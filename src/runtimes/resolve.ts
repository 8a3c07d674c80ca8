import { UserError } from '../lib/errors.js';
import { AGENT_RUNTIMES, createAgentRuntime, type AgentRuntimeName, type AgentRuntimeOptions } from './agents.js';
import { createCommandRuntime } from './command.js';
import { OpenAIRuntime } from './openai.js';
import type { Runtime } from './runtime.js';

const DEFAULT_OPENAI_BASE_URL = 'https://api.openai.com/v1';

/** Runtime settings (from `.agents/config.yaml`); never a key: keys come from the environment. */
export interface RuntimeConfig {
  /** Per agent CLI: another executable, a model. */
  agents?: Partial<Record<AgentRuntimeName, AgentRuntimeOptions>>;
  openai?: {
    /** Endpoint root; `OPENAI_BASE_URL`, then `https://api.openai.com/v1` when absent. */
    baseUrl?: string;
    /** Name of the environment variable holding the key; `OPENAI_API_KEY` when absent. */
    apiKeyEnv?: string;
    embeddingModel?: string;
  };
  /** Environment to read `OPENAI_*` and keys from, and to give commands; `process.env` by default. */
  env?: NodeJS.ProcessEnv;
}

/** The forms `resolveRuntime` understands, for messages and help. */
export const RUNTIME_SPECS = [...AGENT_RUNTIMES, 'openai:<model>', 'cmd:<command line>'] as const;

/**
 * The runtime a spec names: `claude`, `codex`, `gemini`, `openai:<model>` or `cmd:<command line>`.
 * Anything else is a `UserError` that lists the specs that exist.
 */
export function resolveRuntime(spec: string, config: RuntimeConfig = {}): Runtime {
  const env = config.env ?? process.env;
  const trimmed = spec.trim();
  if ((AGENT_RUNTIMES as readonly string[]).includes(trimmed)) {
    const agent = trimmed as AgentRuntimeName;
    return createAgentRuntime(agent, { env, ...config.agents?.[agent] });
  }
  if (trimmed.startsWith('openai:')) {
    const model = trimmed.slice('openai:'.length).trim();
    if (model === '')
      throw new UserError(`runtime "${spec}" names no model: write openai:<model>, e.g. openai:gpt-4o-mini`);
    return new OpenAIRuntime({
      baseUrl: config.openai?.baseUrl ?? (env.OPENAI_BASE_URL || DEFAULT_OPENAI_BASE_URL),
      model,
      apiKeyEnv: config.openai?.apiKeyEnv ?? 'OPENAI_API_KEY',
      embeddingModel: config.openai?.embeddingModel,
      env,
    });
  }
  if (trimmed.startsWith('cmd:')) {
    const argv = splitCommandLine(trimmed.slice('cmd:'.length));
    if (argv.length === 0) throw new UserError(`runtime "${spec}" names no command: write cmd:<command line>`);
    return createCommandRuntime({ name: `cmd:${argv[0]}`, argv, env });
  }
  throw new UserError(`unknown runtime "${spec}" (known: ${RUNTIME_SPECS.join(', ')})`);
}

/**
 * Splits a command line into argv with simple shell-like quoting and no expansion: whitespace
 * separates words; '…' is literal; "…" is literal except \" and \\; a backslash outside quotes
 * takes the next character as is. An unclosed quote is a `UserError`.
 */
export function splitCommandLine(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: "'" | '"' | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line.charAt(i);
    if (quote === "'") {
      if (c === "'") quote = null;
      else word += c;
    } else if (quote === '"') {
      if (c === '"') quote = null;
      else if (c === '\\' && (line[i + 1] === '"' || line[i + 1] === '\\')) word += line.charAt(++i);
      else word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < line.length) {
      word += line.charAt(++i);
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote !== null) throw new UserError(`unclosed ${quote} in command line: ${line}`);
  if (inWord) words.push(word);
  return words;
}
