/**
 * Tool calls of the five agents, by tool name, as what they do: run shell code, read, write or
 * list paths, fetch URLs, or nothing the guard checks. Claude Code (`Bash`, `Read`, `Write` …),
 * Codex (`Bash`, `shell`, `exec_command`, `apply_patch`), Gemini CLI (`run_shell_command`,
 * `read_file`, `write_file`, `replace` …), Cursor (`Shell`, `Read`, `StrReplace`, `Delete` …) and
 * OpenCode (`bash`, `read`, `write`, `edit`, `patch` …) share one table.
 */
import { resolvePath } from './match.js';
import { patchTargets } from './model.js';

/** What one tool call does, for the rules. */
export type Action =
  | { kind: 'shell'; command: string; cwd: string | null }
  | { kind: 'argv'; argv: string[]; cwd: string | null }
  | { kind: 'read' | 'write' | 'list'; path: string; cwd: string | null }
  | { kind: 'fetch'; url: string }
  /** A known tool whose input cannot be read: the guard cannot tell what it would do. */
  | { kind: 'invalid'; reason: string };

/** The kind of a tool, by its name. */
export type ToolKind = 'shell' | 'read' | 'write' | 'list' | 'search' | 'fetch' | 'patch' | 'none' | 'unknown';

const KINDS: Record<string, ToolKind> = {};
const define = (kind: ToolKind, names: string[]): void => names.forEach((n) => (KINDS[n] = kind));
define('shell', [
  'bash',
  'shell',
  'local_shell',
  'exec_command',
  'run_shell_command',
  'container.exec',
  'execute_command',
  'run_command',
  'run_terminal_cmd',
  'terminal',
]);
define('read', ['read', 'read_file', 'view', 'notebookread', 'read_many_files', 'readfile']);
define('write', [
  'write',
  'edit',
  'multiedit',
  'notebookedit',
  'write_file',
  'replace',
  'strreplace',
  'str_replace',
  'str_replace_editor',
  'delete',
  'delete_file',
  'create_file',
  'edit_file',
  'search_replace',
  'multi_edit',
  'writefile',
  'editfile',
]);
define('patch', ['apply_patch', 'patch', 'applypatch']);
define('list', ['glob', 'ls', 'list', 'list_dir', 'list_directory', 'file_search']);
define('search', ['grep', 'search_file_content', 'grep_files', 'grep_search', 'codebase_search']);
define('fetch', ['webfetch', 'web_fetch', 'fetch', 'fetch_url', 'read_url']);
define('none', [
  'websearch',
  'web_search',
  'google_web_search',
  'task',
  'agent',
  'todowrite',
  'todoread',
  'todo_write',
  'todo_read',
  'write_todos',
  'exitplanmode',
  'save_memory',
  'update_plan',
  'askuserquestion',
  'slashcommand',
  'skill',
  'bashoutput',
  'killshell',
  'killbash',
  'view_image',
  'think',
]);

/** What kind of tool a name is (case-insensitive); MCP and unknown tools are `unknown`. */
export function toolKind(tool: string): ToolKind {
  const k = tool.toLowerCase();
  if (k.startsWith('mcp__') || k.startsWith('mcp:')) return 'unknown';
  return KINDS[k] ?? 'unknown';
}

type Input = Record<string, unknown>;

/** The actions of one call; empty for tools the guard has nothing to check in. */
export function toolActions(tool: string, rawInput: unknown, where: Where): Action[] {
  const kind = toolKind(tool);
  const input = asInput(rawInput, kind);
  const base: Where = { ...where, cwd: normal(where.cwd) };
  const home = where.home;
  switch (kind) {
    case 'shell':
      return shellActions(input, base);
    case 'read':
    case 'write':
    case 'list':
    case 'search': {
      const paths = pathsOf(input, kind, base);
      if (paths.length === 0 && (kind === 'read' || kind === 'write'))
        return [{ kind: 'invalid', reason: `${tool} names no file` }];
      const access = kind === 'search' ? 'read' : kind;
      return paths.map((p) => ({ kind: access, path: expandHome(p, home), cwd: base.cwd }));
    }
    case 'patch': {
      const text = patchText(input, rawInput);
      if (text === null) return [{ kind: 'invalid', reason: `${tool} carries no patch` }];
      const dir = dirOf(input, base);
      return patchTargets(text).map((p) => ({ kind: 'write', path: expandHome(p, home), cwd: dir }));
    }
    case 'fetch':
      return urlsOf(input).map((url) => ({ kind: 'fetch', url }));
    default:
      return [];
  }
}

function asInput(raw: unknown, kind: ToolKind): Input {
  if (typeof raw === 'string') {
    try {
      const parsed = JSON.parse(raw) as unknown;
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Input;
    } catch {
      // Not JSON: a bare command or path.
    }
    if (kind === 'shell') return { command: raw };
    if (kind === 'patch') return { patch: raw };
    return { path: raw };
  }
  if (Array.isArray(raw)) return kind === 'shell' ? { command: raw } : { paths: raw };
  return typeof raw === 'object' && raw !== null ? (raw as Input) : {};
}

/** Where a call runs: its folder, the repository root and the home folder (absolute). */
export interface Where {
  cwd: string | null;
  root: string;
  home: string;
}

function normal(cwd: string | null): string | null {
  return typeof cwd === 'string' && cwd.startsWith('/') ? resolvePath(cwd, '/') : null;
}

function expandHome(p: string, home: string): string {
  return p === '~' || p.startsWith('~/') ? home + p.slice(1) : p;
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}

/** The folder a call names: Codex's `workdir` and Cursor's `cwd` from the call's folder, Gemini's `directory` from the root. */
function dirOf(input: Input, where: Where): string | null {
  const fromCwd = str(input.workdir) ?? str(input.working_directory) ?? str(input.cwd);
  if (fromCwd !== null) return resolvePath(expandHome(fromCwd, where.home), where.cwd);
  const fromRoot = str(input.directory) ?? str(input.dir_path);
  if (fromRoot !== null) return resolvePath(expandHome(fromRoot, where.home), where.root);
  return where.cwd;
}

function shellActions(input: Input, where: Where): Action[] {
  const cwd = dirOf(input, where);
  const cmd = input.command ?? input.cmd ?? input.commands ?? input.script;
  if (typeof cmd === 'string') return [{ kind: 'shell', command: cmd, cwd }];
  if (Array.isArray(cmd) && cmd.length > 0 && cmd.every((w): w is string => typeof w === 'string'))
    return [{ kind: 'argv', argv: cmd, cwd }];
  return [{ kind: 'invalid', reason: 'the shell tool carries no command' }];
}

const PATH_FIELDS = [
  'file_path',
  'filePath',
  'absolute_path',
  'notebook_path',
  'target_file',
  'path',
  'file',
  'filename',
  'target_directory',
  'dir_path',
  'directory',
];

function pathsOf(input: Input, kind: ToolKind, where: Where): string[] {
  const out: string[] = [];
  for (const f of PATH_FIELDS) {
    const v = str(input[f]);
    const fromRoot = f === 'directory' || f === 'dir_path';
    if (v !== null && !((kind === 'list' || kind === 'search') && fromRoot && out.length)) {
      // Gemini names folders relative to the project root.
      out.push(fromRoot ? (resolvePath(expandHome(v, where.home), where.root) ?? v) : v);
      if (kind === 'read' || kind === 'write') break;
    }
  }
  for (const f of ['paths', 'file_paths', 'files', 'include']) {
    const v = input[f];
    if (Array.isArray(v)) for (const p of v) if (typeof p === 'string' && p !== '') out.push(p);
  }
  const edits = input.edits;
  if (Array.isArray(edits))
    for (const e of edits) {
      const p = typeof e === 'object' && e !== null ? str((e as Input).file_path ?? (e as Input).filePath) : null;
      if (p) out.push(p);
    }
  if (kind === 'list' || kind === 'search') {
    // A glob's fixed start is where it looks (`~/.ssh/*` lists ~/.ssh).
    const pattern = kind === 'list' ? (str(input.pattern) ?? str(input.glob)) : str(input.glob);
    if (pattern !== null && (pattern.startsWith('/') || pattern.startsWith('~'))) out.push(pattern);
    else if (pattern !== null && out.length === 0) out.push(pattern);
    if (out.length === 0) out.push('.');
  }
  return [...new Set(out)].map((p) => (kind === 'list' || kind === 'search' ? p : p.replace(/\/+$/, '') || '/'));
}

function patchText(input: Input, raw: unknown): string | null {
  for (const f of ['patch', 'patchText', 'patch_text', 'input', 'command', 'content', 'diff']) {
    const v = input[f];
    if (typeof v === 'string' && v.includes('***')) return v;
    if (Array.isArray(v)) {
      const s = v.find((w): w is string => typeof w === 'string' && w.includes('*** Begin Patch'));
      if (s) return s;
    }
  }
  return typeof raw === 'string' ? raw : null;
}

function urlsOf(input: Input): string[] {
  const out: string[] = [];
  const url = str(input.url) ?? str(input.uri);
  if (url) out.push(url);
  for (const f of ['urls', 'links']) {
    const v = input[f];
    if (Array.isArray(v)) for (const u of v) if (typeof u === 'string') out.push(u);
  }
  const prompt = str(input.prompt);
  if (prompt && out.length === 0) for (const m of prompt.matchAll(/\bhttps?:\/\/[^\s"'<>)]+/gi)) out.push(m[0]);
  return out;
}
