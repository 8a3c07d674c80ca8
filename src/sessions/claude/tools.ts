import { isRecord as isObject } from '../../lib/json.js';
import type { SessionBuilder } from '../builder.js';

export { isObject };

/** Plain text of a message content: a string, or the text of its text blocks. */
export function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  const parts: string[] = [];
  for (const block of content) {
    if (isObject(block) && typeof block.text === 'string') parts.push(block.text);
  }
  return parts.join('\n');
}

const READ_TOOLS = new Set(['Read', 'NotebookRead']);
const WRITE_TOOLS = new Set(['Write', 'Edit', 'MultiEdit', 'NotebookEdit']);

/** Records a Claude Code tool call with the files and commands it touches. */
export function recordTool(
  b: SessionBuilder,
  id: string,
  name: string,
  input: unknown,
  timestamp: string | null,
): void {
  b.toolCall(id, name, input, timestamp);
  if (!isObject(input)) return;
  if (READ_TOOLS.has(name)) b.fileRead(input.file_path ?? input.notebook_path);
  else if (WRITE_TOOLS.has(name)) b.fileWritten(input.file_path ?? input.notebook_path);
  else if (name === 'Bash') b.command(input.command);
}
