/**
 * Agent CLIs in headless mode, as runtimes. Each adapter uses only flags its vendor documents;
 * the prompt always goes on stdin (never argv: Linux caps one argument at 128 KiB, and argv is
 * visible to every user in `ps`), the answer is read from stdout as plain text.
 */
import { createCommandRuntime, type CommandRuntimeOptions } from './command.js';
import type { Runtime } from './runtime.js';

/** The agent CLIs that can serve as runtimes. */
export const AGENT_RUNTIMES = ['claude', 'codex', 'gemini'] as const;
export type AgentRuntimeName = (typeof AGENT_RUNTIMES)[number];

export interface AgentRuntimeOptions {
  /** Executable to run instead of the CLI's usual name (a path, a wrapper). */
  command?: string;
  /** Model to ask for; the CLI's own default when absent. */
  model?: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  maxOutputBytes?: number;
}

/**
 * Claude Code: `claude -p --output-format text [--model M]`, prompt on stdin.
 * `-p`/`--print` runs non-interactively, prints the response and exits; with no prompt argument
 * the prompt is read from stdin (the CLI's own error: "Input must be provided either through stdin
 * or as a prompt argument when using --print"). `--output-format text` is the plain answer (the
 * other values are json and stream-json); `--model` picks the model.
 * Source: Claude Code docs, "Headless mode" (docs.claude.com/en/docs/claude-code/headless) and
 * "CLI reference" (docs.claude.com/en/docs/claude-code/cli-reference).
 */
export function createClaudeRuntime(options: AgentRuntimeOptions = {}): Runtime {
  const argv = [options.command ?? 'claude', '-p', '--output-format', 'text'];
  if (options.model) argv.push('--model', options.model);
  return createCommandRuntime({ ...commandOptions(options), name: 'claude', argv });
}

/**
 * Codex CLI: `codex exec --skip-git-repo-check [--model M] -`, prompt on stdin.
 * `codex exec` is the non-interactive mode; "[PROMPT] ... If not provided as an argument (or if
 * `-` is used), instructions are read from stdin" (`codex exec --help`). Since openai/codex PR #4644
 * (October 2025; docs/exec.md, "Default output mode") activity goes to stderr and only the final
 * agent message to stdout; older versions also print their activity on stdout. `--skip-git-repo-check` ("Allow running Codex outside a Git repository"):
 * answering a prompt needs no repository, and without it codex refuses untrusted directories.
 * The default sandbox of `codex exec` is read-only (developers.openai.com/codex/noninteractive),
 * which is what a question-answering call wants, so no sandbox flag is passed.
 */
export function createCodexRuntime(options: AgentRuntimeOptions = {}): Runtime {
  const argv = [options.command ?? 'codex', 'exec', '--skip-git-repo-check'];
  if (options.model) argv.push('--model', options.model);
  argv.push('-');
  return createCommandRuntime({ ...commandOptions(options), name: 'codex', argv });
}

/**
 * Gemini CLI: `gemini [--model M] -p "<short instruction>"`, prompt on stdin.
 * `-p`/`--prompt` "Run in non-interactive (headless) mode with the given prompt. Appended to input
 * on stdin (if any)" (`gemini --help`; geminicli.com/docs/cli/headless and the automation tutorial:
 * `cat error.log | gemini -p "Explain why this failed"`). `-p` needs a value, so it carries one
 * neutral sentence and the real prompt travels on stdin, ahead of it. Text output is the default.
 */
export function createGeminiRuntime(options: AgentRuntimeOptions = {}): Runtime {
  const argv = [options.command ?? 'gemini'];
  if (options.model) argv.push('--model', options.model);
  argv.push('-p', 'Answer the request above.');
  return createCommandRuntime({ ...commandOptions(options), name: 'gemini', argv });
}

/** The runtime for one agent CLI by name. */
export function createAgentRuntime(agent: AgentRuntimeName, options: AgentRuntimeOptions = {}): Runtime {
  switch (agent) {
    case 'claude':
      return createClaudeRuntime(options);
    case 'codex':
      return createCodexRuntime(options);
    case 'gemini':
      return createGeminiRuntime(options);
  }
}

function commandOptions(options: AgentRuntimeOptions): Omit<CommandRuntimeOptions, 'argv'> {
  return { cwd: options.cwd, env: options.env, maxOutputBytes: options.maxOutputBytes };
}
