/**
 * Codex tool-call helpers: what a call ran or wrote, and whether its output says it failed.
 * Kept apart from the line parser so the accounting code stays short.
 */

import { type Json, isRecord, parseJson, str } from '../../lib/json.js';

export { isRecord, parseJson, str };
export type { Json };

/** What one tool call did, as far as its arguments tell. */
export interface CallEffects {
  command: string | null;
  written: string[];
  read: string[];
}

const SHELLS = new Set(['bash', 'sh', 'zsh', 'dash']);

/**
 * Codex runs most commands as `["bash", "-lc", script]`; the script is what the agent meant,
 * so it is kept instead of the wrapper.
 */
function commandText(command: unknown): string | null {
  if (typeof command === 'string') return str(command.trim());
  if (!Array.isArray(command) || !command.every((part) => typeof part === 'string')) return null;
  const parts = command;
  const [shell, flag, script] = parts;
  if (parts.length === 3 && shell && SHELLS.has(shell.split('/').pop() ?? '') && /^-l?c$/.test(flag ?? '')) {
    return str(script?.trim());
  }
  return str(parts.join(' ').trim());
}

/** Target paths of an apply_patch envelope (`*** Add File: path`, `*** Update File:`, …). */
export function patchTargets(patch: string): string[] {
  const paths: string[] = [];
  for (const match of patch.matchAll(/^\*\*\* (?:Add File|Update File|Delete File|Move to): (.+)$/gm)) {
    const path = match[1]?.trim();
    if (path && !paths.includes(path)) paths.push(path);
  }
  return paths;
}

/** Reads what a call ran and touched from its tool name and (parsed) arguments. */
export function callEffects(name: string, args: unknown): CallEffects {
  const effects: CallEffects = { command: null, written: [], read: [] };
  if (typeof args === 'string') {
    // custom tools (apply_patch) take free text rather than JSON
    if (name === 'apply_patch') effects.written = patchTargets(args);
    return effects;
  }
  if (!isRecord(args)) return effects;
  if (name === 'apply_patch') {
    const input = str(args['input']) ?? str(args['patch']);
    if (input) effects.written = patchTargets(input);
    return effects;
  }
  if (name === 'read_file' || name === 'view_image') {
    const path = str(args['file_path']) ?? str(args['path']);
    if (path) effects.read.push(path);
    return effects;
  }
  const command = args['command'] ?? args['cmd'];
  // older builds ran patches through the shell tool: ["apply_patch", "*** Begin Patch…"]
  if (Array.isArray(command) && command[0] === 'apply_patch' && typeof command[1] === 'string') {
    effects.written = patchTargets(command[1]);
    return effects;
  }
  effects.command = commandText(command);
  return effects;
}

/** Result text of a tool output and whether it reports a failure. */
export function readOutput(output: unknown): { text: string | null; isError: boolean } {
  if (Array.isArray(output)) {
    // newer builds may store content items ({type: 'input_text', text}) instead of a string
    const text = output
      .map((item) => (isRecord(item) && typeof item['text'] === 'string' ? item['text'] : ''))
      .join('');
    return { text, isError: false };
  }
  if (isRecord(output)) {
    const text = str(output['content']) ?? str(output['output']);
    return { text, isError: output['success'] === false };
  }
  if (typeof output !== 'string') return { text: null, isError: false };
  if (output.startsWith('{')) {
    // shell and apply_patch outputs: {"output": "...", "metadata": {"exit_code": 1, ...}}
    const parsed = parseJson(output);
    if (isRecord(parsed)) {
      const meta = parsed['metadata'];
      const exit = isRecord(meta) ? meta['exit_code'] : undefined;
      const text = typeof parsed['output'] === 'string' ? parsed['output'] : output;
      return { text, isError: (typeof exit === 'number' && exit !== 0) || parsed['success'] === false };
    }
  }
  // unified exec / shell_command outputs are plain text headed by the exit code
  const exit = /^(?:Exit code: |Process exited with code )(-?\d+)/m.exec(output);
  return { text: output, isError: exit !== null && exit[1] !== '0' };
}
