/**
 * Neutral readings of tool calls for the extractors: the shell command a call ran, its command
 * family, whether it failed, and the file edits it made. Read from argument shapes, which agree
 * across agents (command/cmd, file_path/filePath/path, old_string/oldString, …).
 */

import { isRecord, str } from '../../lib/json.js';
import type { ToolCall } from '../../sessions/types.js';

export interface FileEdit {
  path: string;
  /** Replaced text, for an in-place edit. */
  before: string | null;
  /** New text (the replacement, or the whole content written). */
  after: string | null;
  kind: 'edit' | 'write' | 'patch';
}

const SHELL_TOOL =
  /^(?:bash|shell|sh|run_shell_command|run_terminal_cmd|exec_command|execute_command|terminal|command)$/i;
const EDIT_TOOL =
  /^(?:edit|multiedit|multi_edit|str_?replace(?:_editor|_based_edit_tool)?|replace|search_replace|edit_file|notebookedit)$/i;
const WRITE_TOOL = /^(?:write|write_file|create_file|create)$/i;
const PATCH_TOOL = /^(?:apply_patch|patch)$/i;

/** The shell command a call ran, or null when it is not a shell call. */
export function shellCommand(call: ToolCall): string | null {
  if (!SHELL_TOOL.test(call.name)) return null;
  const input = call.input;
  if (typeof input === 'string') return str(input.trim());
  if (!isRecord(input)) return null;
  const command = input['command'] ?? input['cmd'];
  if (typeof command === 'string') return str(command.trim());
  if (Array.isArray(command) && command.every((p) => typeof p === 'string')) {
    const parts = command;
    // ["bash", "-lc", script]: the script is what the agent meant
    if (parts.length === 3 && /(?:^|\/)(?:ba|z|da)?sh$/.test(parts[0] ?? '') && /^-l?c$/.test(parts[1] ?? '')) {
      return str(parts[2]?.trim());
    }
    return str(parts.join(' ').trim());
  }
  return null;
}

/** The file a call reads or writes, from its arguments (any tool). */
export function pathOf(call: ToolCall): string | null {
  const input = call.input;
  if (!isRecord(input)) return null;
  return (
    str(input['file_path']) ??
    str(input['filePath']) ??
    str(input['absolute_path']) ??
    str(input['notebook_path']) ??
    (typeof input['path'] === 'string' && /\.\w+$/.test(input['path']) ? input['path'] : null)
  );
}

/** The files a call edited or wrote, with the change when the input carries it. */
export function editsOf(call: ToolCall): FileEdit[] {
  const input = call.input;
  if (PATCH_TOOL.test(call.name)) {
    const patch =
      typeof input === 'string' ? input : isRecord(input) ? (str(input['input']) ?? str(input['patch'])) : null;
    return patch ? patchEdits(patch) : [];
  }
  if (!isRecord(input)) return [];
  const path = str(input['file_path']) ?? str(input['filePath']) ?? str(input['path']) ?? str(input['notebook_path']);
  if (!path) return [];
  if (WRITE_TOOL.test(call.name)) {
    const content = str(input['content']) ?? str(input['contents']) ?? str(input['file_text']);
    return [{ path, before: null, after: content, kind: 'write' }];
  }
  if (!EDIT_TOOL.test(call.name)) return [];
  const edits = input['edits'];
  if (Array.isArray(edits)) {
    return edits.filter(isRecord).map((e) => ({
      path,
      before: str(e['old_string']) ?? str(e['oldString']),
      after: str(e['new_string']) ?? str(e['newString']),
      kind: 'edit' as const,
    }));
  }
  return [
    {
      path,
      before: str(input['old_string']) ?? str(input['oldString']) ?? str(input['old_str']),
      after: str(input['new_string']) ?? str(input['newString']) ?? str(input['new_str']) ?? str(input['new_source']),
      kind: 'edit',
    },
  ];
}

/** Files of an apply_patch envelope, with the added lines as the change. */
function patchEdits(patch: string): FileEdit[] {
  const out: FileEdit[] = [];
  let current: FileEdit | null = null;
  for (const line of patch.split('\n')) {
    const header = /^\*\*\* (?:Add|Update|Delete) File: (.+)$/.exec(line);
    if (header?.[1]) {
      current = { path: header[1].trim(), before: null, after: null, kind: 'patch' };
      out.push(current);
    } else if (current && line.startsWith('+') && !line.startsWith('+++')) {
      current.after = current.after === null ? line.slice(1) : `${current.after}\n${line.slice(1)}`;
    } else if (current && line.startsWith('-') && !line.startsWith('---')) {
      current.before = current.before === null ? line.slice(1) : `${current.before}\n${line.slice(1)}`;
    }
  }
  return out;
}

/** Segments of a shell line that do real work: `cd`, `export`, `echo`, `sleep` and the like dropped. */
export function workSegments(command: string): string[] {
  // Heredoc bodies and quoted strings (commit messages) are data, not commands.
  const head = (command.split(/<<-?\s*['"]?\w+/)[0] ?? command).replace(/"(?:[^"\\]|\\.)*"|'[^']*'/g, '""');
  return head
    .split(/\s*(?:&&|\|\||;|\n)\s*/)
    .map((s) => (s.split(/\s\|\s?/)[0] ?? s).trim())
    .filter((s) => s && !/^(?:cd|pushd|popd|export|source|\.|set|echo|printf|sleep|true|:|clear)(?:\s|$)/.test(s));
}

const SUBCOMMANDS = new Set([
  'git',
  'npm',
  'pnpm',
  'yarn',
  'bun',
  'mix',
  'cargo',
  'go',
  'docker',
  'kubectl',
  'gh',
  'bd',
  'uv',
  'poetry',
  'bundle',
  'rails',
  'rake',
  'dotnet',
  'make',
  'deno',
  'terraform',
  'helm',
  'brew',
  'apt',
  'apt-get',
  'pip',
  'pip3',
]);

/** The working segment a command's family is read from: the last one of its chain. */
export function familySegment(command: string): string {
  const segments = workSegments(command);
  return segments[segments.length - 1] ?? command.trim();
}

/**
 * A command's family: the program and its subcommand (`mix test`, `git push`, `npm run build`,
 * `node build.js`), from the last working segment of a chain (what the chain was for). Paths,
 * flags, env assignments and runners (`npx`, `bundle exec`, `python -m`) are dropped.
 */
export function commandFamily(command: string): string {
  const segment = familySegment(command);
  const tokens = segment
    .replace(/\s+\d?>&?\d?\S*/g, ' ')
    .split(/\s+/)
    .filter((t) => t && !/^\w+=/.test(t));
  while (
    tokens.length > 1 &&
    /^(?:npx|bunx|sudo|time|exec|env|nohup|command|timeout|\d+[smh]?)$/.test(tokens[0] ?? '')
  ) {
    tokens.shift();
  }
  if (tokens[0] === 'bundle' && tokens[1] === 'exec') tokens.splice(0, 2);
  if (/^python3?$/.test(tokens[0] ?? '') && tokens[1] === '-m') tokens.splice(0, 2);
  const program = (tokens[0] ?? '').split('/').pop() ?? '';
  const next = tokens.find((t, i) => i > 0 && !t.startsWith('-')) ?? '';
  if (SUBCOMMANDS.has(program) && /^[a-z][\w:.-]*$/.test(next)) {
    const third = tokens[tokens.indexOf(next) + 1] ?? '';
    return (program === 'npm' || program === 'pnpm' || program === 'yarn') && next === 'run' && third
      ? `${program} run ${third}`
      : `${program} ${next}`;
  }
  if (/^(?:node|deno|bun|python3?|ruby|bash|sh|zsh|tsx|ts-node|elixir|perl)$/.test(program) && next) {
    return `${program} ${next.split('/').pop() ?? next}`;
  }
  return program;
}

const READ_ONLY =
  /^(?:ls|ll|cat|head|tail|less|more|grep|egrep|rg|ag|find|fd|tree|pwd|which|whereis|type|file|stat|wc|du|df|env|printenv|id|whoami|date|uname|ps|top|jq|yq|sort|uniq|cut|awk|diff|cmp|curl|wget|open|xdg-open|man|help|history|git (?:status|log|diff|show|branch|remote|rev-parse|ls-files|blame|config|fetch|stash list|reflog|describe)|bd (?:show|list|ready|search|stats|blocked|info)|gh (?:pr view|pr list|issue view|issue list|run view|run list|api)|npm (?:ls|view|outdated)|mix (?:help|hex\.info|deps\.tree)|sed -n|python3? -c|node -e)\b/;

/** Whether a command only looks (ls, cat, grep, git status …): never a fix, never a real failure. */
export function isReadOnly(command: string): boolean {
  const segments = workSegments(command);
  return segments.length > 0 && segments.every((s) => READ_ONLY.test(s.replace(/^(?:\w+=\S+\s+)+/, '')));
}

export type Outcome = 'ok' | 'fail' | 'unknown';

const NOT_RUN =
  /^\s*(?:<tool_use_error>)?(?:Sibling tool call errored|The user doesn't want to proceed|Permission to use .* (?:was|has been) denied|Tool use was rejected|User rejected|Request interrupted)/i;
const BACKGROUND = /^Command running in background|^<retrieval_status>/;
const FAILED_EXIT = /^(?:Exit code:? |Process exited with code |Command exited with code |Exit Code: )([1-9]\d*|-\d+)/m;
const TEST_FAILED =
  /\b[1-9]\d* (?:tests? )?(?:failures?|failed|failing|errors?)\b|^FAIL\b|^\s*✘|Tests?:\s+[1-9]\d* failed|\btests? failed\b|\bBUILD FAILED\b/m;
const CHECK_FAMILY = /test|build|compile|check|lint|vet|credo|dialyzer|tsc|eslint|format|pytest|jest|vitest|rspec|make/;

/** Whether a call was not run at all (rejected by the user, cancelled with a sibling). */
export function notRun(call: ToolCall): boolean {
  return call.result !== null && NOT_RUN.test(call.result);
}

/**
 * How a shell call ended: `fail` on an error flag or a non-zero exit, also when a test, build or
 * lint command's output reports failures behind a pipe; `unknown` for background runs.
 */
export function outcomeOf(call: ToolCall, family: string): Outcome {
  const result = call.result;
  if (result === null || notRun(call)) return 'unknown';
  if (call.isError || FAILED_EXIT.test(result)) return 'fail';
  if (BACKGROUND.test(result)) return 'unknown';
  if (CHECK_FAMILY.test(family) && TEST_FAILED.test(result) && !/\b0 failures\b/.test(result)) return 'fail';
  return 'ok';
}

/** A stable key for a non-shell call: tool name and the starts of its input's values. */
export function callKey(call: ToolCall): string {
  const input = call.input;
  if (!isRecord(input)) return `${call.name}:${typeof input === 'string' ? input.slice(0, 200) : ''}`;
  const parts: string[] = [call.name];
  for (const [key, value] of Object.entries(input)) {
    if (key === 'description' || key === 'timeout') continue;
    if (typeof value === 'string') parts.push(`${key}=${value.slice(0, 100)}`);
    else if (typeof value === 'number' || typeof value === 'boolean') parts.push(`${key}=${String(value)}`);
  }
  return parts.join('\u0000');
}

/** A shell call as the extractors read it, computed once per call. */
export interface ShellRun {
  command: string;
  family: string;
  readOnly: boolean;
  outcome: Outcome;
}

const shellRuns = new WeakMap<ToolCall, ShellRun | null>();

/** The shell reading of a call (null when it is not a shell call), cached: several extractors ask. */
export function shellRun(call: ToolCall): ShellRun | null {
  const cached = shellRuns.get(call);
  if (cached !== undefined) return cached;
  const command = shellCommand(call);
  let run: ShellRun | null = null;
  if (command) {
    const readOnly = isReadOnly(command);
    const family = commandFamily(command);
    run = { command, family, readOnly, outcome: readOnly ? 'unknown' : outcomeOf(call, family) };
  }
  shellRuns.set(call, run);
  return run;
}

/**
 * A command as a person would quote it: quoted messages and heredocs shortened, output plumbing
 * (`2>&1`, `| tail -20`) dropped.
 */
export function displayCommand(command: string): string {
  const head = command.split(/"?\$\(cat\s*<<-?\s*['"]?\w+/)[0] ?? command;
  const cut = head.length < command.length ? `${head.trimEnd()} "…"` : head;
  return cut
    .replace(/"(?:[^"\\]|\\.){40,}"|'[^']{40,}'/g, '"…"')
    .replace(/\s+\d?>&\d/g, '')
    .replace(/\s*\|\s*(?:tail|head)(?:\s+-n)?(?:\s+-?\d+)?\s*$/, '')
    .replace(/\s+/g, ' ')
    .trim();
}
