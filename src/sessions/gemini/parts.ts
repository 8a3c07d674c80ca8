/**
 * Reading Gemini CLI message records: text of a `PartListUnion`, tool-call results and what a
 * tool call touched. Tool and parameter names follow gemini-cli's
 * `packages/core/src/tools/definitions/base-declarations.ts`.
 */
import type { SessionBuilder } from '../builder.js';

import { type Json, isRecord, parseJson, str } from '../../lib/json.js';

export { isRecord, parseJson, str };
export type { Json };

/** Text of a `PartListUnion` (a string, a part or a list of parts); thought parts are not text. */
export function partsText(content: unknown): string {
  if (typeof content === 'string') return content;
  const parts = Array.isArray(content) ? content : [content];
  return parts
    .map((part) => {
      if (typeof part === 'string') return part;
      if (isRecord(part) && typeof part['text'] === 'string' && part['thought'] !== true) return part['text'];
      return '';
    })
    .join('');
}

/** The prompt as the user typed it: `displayContent` when present (before @-file expansion). */
export function userText(message: Json): string | null {
  return str(partsText(message['displayContent'] ?? message['content']).trim());
}

/** Tool calls of a gemini message; entries that are not objects are not calls. */
export function toolCallsOf(message: Json): Json[] {
  const calls = message['toolCalls'];
  return Array.isArray(calls) ? calls.filter(isRecord) : [];
}

/** Tool results are `functionResponse` parts whose `response` holds `output` or `error`. */
export function resultText(call: Json): string | null {
  const result = call['result'];
  const parts = Array.isArray(result) ? result : result === undefined || result === null ? [] : [result];
  const texts: string[] = [];
  for (const part of parts) {
    if (typeof part === 'string') texts.push(part);
    else if (isRecord(part) && typeof part['text'] === 'string') texts.push(part['text']);
    else if (isRecord(part) && isRecord(part['functionResponse'])) {
      const response = part['functionResponse']['response'];
      if (isRecord(response)) {
        const text = str(response['output']) ?? str(response['error']);
        texts.push(text ?? JSON.stringify(response));
      }
    }
  }
  const display = call['resultDisplay'];
  return texts.length > 0 ? texts.join('\n') : typeof display === 'string' ? display : null;
}

function pathArg(args: Json): string | null {
  // older builds named the parameter absolute_path (read_file) or path
  return str(args['file_path']) ?? str(args['absolute_path']) ?? str(args['path']);
}

/** Records the command run and the files read or written by one tool call (detail mode). */
export function noteEffects(builder: SessionBuilder, name: string, args: unknown): void {
  if (!isRecord(args)) return;
  if (name === 'run_shell_command') builder.command(str(args['command']));
  else if (name === 'write_file' || name === 'replace') builder.fileWritten(pathArg(args));
  else if (name === 'read_file') builder.fileRead(pathArg(args));
  else if (name === 'read_many_files') {
    // `include` holds globs as well as paths; only plain paths name a file that was read
    for (const key of ['paths', 'include']) {
      const list = args[key];
      if (!Array.isArray(list)) continue;
      for (const entry of list) if (typeof entry === 'string' && !/[*?[{]/.test(entry)) builder.fileRead(entry);
    }
  }
}
