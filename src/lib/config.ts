import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UserError } from './errors.js';
import { isRecord } from './json.js';
import { aoHome } from './paths.js';
import { loadYaml } from './yaml-doc.js';

/** A price override, USD per million tokens (see sessions/pricing.ts). */
export interface PriceConfig {
  input?: number;
  output?: number;
  cacheWrite?: number;
  cacheRead?: number;
  contextWindow?: number;
}

/** The knowledge flywheel's settings (`knowledge:` in config.yaml). */
export interface KnowledgeConfig {
  /** Days for an unused learning's rank weight to halve. */
  halfLifeDays?: number;
  /** Days without a citation after which decay retires a learning. */
  retireAfterDays?: number;
  /** Default token budget of `ao inject`. */
  injectBudget?: number;
  /** Optional OpenAI-compatible embeddings endpoint; the API key is read from `apiKeyEnv`. */
  embeddings?: { baseUrl: string; model: string; apiKeyEnv?: string };
}

export interface Config {
  pricing: Record<string, PriceConfig>;
  knowledge: KnowledgeConfig;
  /** IANA time zone for day boundaries in reports; the machine's own by default. */
  timeZone?: string;
}

export interface ConfigProblem {
  file: string;
  path: string;
  message: string;
}

const PRICE_FIELDS = ['input', 'output', 'cacheWrite', 'cacheRead', 'contextWindow'] as const;

/**
 * Reads the user's `$AO_HOME/config.yaml`, then the repository's `.agents/config.yaml` on top.
 * Every problem is reported with its file and field path; a bad file is an error, not a guess.
 */
export function loadConfig(cwd = process.cwd(), env = process.env): Config {
  const config: Config = { pricing: {}, knowledge: {} };
  const problems: ConfigProblem[] = [];
  const files = [join(aoHome(env), 'config.yaml')];
  const repo = findAgentsDir(cwd);
  if (repo) files.push(join(repo, 'config.yaml'));
  for (const file of files) {
    if (!existsSync(file)) continue;
    const text = readFileSync(file, 'utf8');
    // The template `ao init` writes is all comments: nothing to parse, and no YAML library to load
    // (~10 ms, on every hook that reads the config).
    if (!/^[ \t]*[^\s#]/m.test(text)) continue;
    const { parse } = loadYaml();
    let doc: unknown;
    try {
      doc = parse(text);
    } catch (error) {
      problems.push({ file, path: '', message: error instanceof Error ? error.message : String(error) });
      continue;
    }
    mergeConfig(config, doc, file, problems);
  }
  if (problems.length > 0) {
    const lines = problems.map((p) => `  ${p.file}${p.path ? ` at ${p.path}` : ''}: ${p.message}`);
    throw new UserError(`invalid configuration:\n${lines.join('\n')}`);
  }
  return config;
}

/** Validates one parsed config document and merges it into `config`, collecting every problem. */
export function mergeConfig(config: Config, doc: unknown, file: string, problems: ConfigProblem[]): void {
  if (doc === null || doc === undefined) return;
  if (!isRecord(doc)) {
    problems.push({ file, path: '', message: 'expected a mapping at the top level' });
    return;
  }
  const pricing = doc.pricing;
  if (pricing !== undefined) {
    if (!isRecord(pricing)) problems.push({ file, path: 'pricing', message: 'expected a mapping of model names' });
    else {
      for (const [model, entry] of Object.entries(pricing)) {
        const at = `pricing.${model}`;
        if (!isRecord(entry)) {
          problems.push({ file, path: at, message: 'expected a mapping with input, output, cacheWrite, cacheRead' });
          continue;
        }
        const price: PriceConfig = {};
        for (const [key, value] of Object.entries(entry)) {
          if (!(PRICE_FIELDS as readonly string[]).includes(key)) {
            problems.push({ file, path: `${at}.${key}`, message: `unknown field (known: ${PRICE_FIELDS.join(', ')})` });
          } else if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
            problems.push({
              file,
              path: `${at}.${key}`,
              message: 'expected a non-negative number (USD per million tokens)',
            });
          } else {
            price[key as (typeof PRICE_FIELDS)[number]] = value;
          }
        }
        config.pricing[model] = { ...config.pricing[model], ...price };
      }
    }
  }
  if (doc.knowledge !== undefined) mergeKnowledge(config.knowledge, doc.knowledge, file, problems);
  const timeZone = doc.timeZone;
  if (timeZone !== undefined) {
    if (typeof timeZone !== 'string' || !isTimeZone(timeZone)) {
      problems.push({ file, path: 'timeZone', message: 'expected an IANA time zone such as Europe/Berlin or UTC' });
    } else config.timeZone = timeZone;
  }
}

const KNOWLEDGE_NUMBERS = ['halfLifeDays', 'retireAfterDays', 'injectBudget'] as const;

function mergeKnowledge(into: KnowledgeConfig, value: unknown, file: string, problems: ConfigProblem[]): void {
  if (!isRecord(value)) {
    problems.push({ file, path: 'knowledge', message: 'expected a mapping' });
    return;
  }
  for (const [key, v] of Object.entries(value)) {
    const at = `knowledge.${key}`;
    if ((KNOWLEDGE_NUMBERS as readonly string[]).includes(key)) {
      if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0)
        problems.push({ file, path: at, message: 'expected a positive number' });
      else into[key as (typeof KNOWLEDGE_NUMBERS)[number]] = v;
    } else if (key === 'embeddings') {
      if (!isRecord(v) || typeof v.baseUrl !== 'string' || typeof v.model !== 'string') {
        problems.push({ file, path: at, message: 'expected baseUrl and model (and optionally apiKeyEnv)' });
      } else if (v.apiKeyEnv !== undefined && typeof v.apiKeyEnv !== 'string') {
        problems.push({ file, path: `${at}.apiKeyEnv`, message: 'expected the name of an environment variable' });
      } else {
        into.embeddings = {
          baseUrl: v.baseUrl,
          model: v.model,
          ...(typeof v.apiKeyEnv === 'string' ? { apiKeyEnv: v.apiKeyEnv } : {}),
        };
      }
    } else {
      problems.push({
        file,
        path: at,
        message: `unknown field (known: ${[...KNOWLEDGE_NUMBERS, 'embeddings'].join(', ')})`,
      });
    }
  }
}

/** The nearest `.agents` folder at or above `cwd`. */
export function findAgentsDir(cwd: string): string | null {
  let dir = cwd;
  for (;;) {
    const candidate = join(dir, '.agents');
    if (existsSync(candidate)) return candidate;
    // Not past the repository's own root: a folder above it belongs to someone else.
    if (existsSync(join(dir, '.git'))) return null;
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
