import { claudeFormat } from './claude/format.js';
import { codexFormat, sniffCodex } from './codex/format.js';
import { cursorFormat, sniffCursor } from './cursor/format.js';
import { geminiJsonlFormat, geminiLegacyFormat, sniffGemini } from './gemini/format.js';
import { openCodeDbFormat, openCodeLegacyFormat } from './opencode/format.js';
import type { Format } from './parser.js';

import type { FormatId } from './format-ids.js';

export type { FormatId };

export const FORMATS: Record<FormatId, Format> = {
  claude: claudeFormat,
  codex: codexFormat,
  gemini: geminiJsonlFormat,
  'gemini-json': geminiLegacyFormat,
  opencode: openCodeDbFormat,
  'opencode-legacy': openCodeLegacyFormat,
  cursor: cursorFormat,
};

const SQLITE_HEADER = 'SQLite format 3\u0000';
const CLAUDE_FIRST_TYPES =
  /"type"\s*:\s*"(user|assistant|system|summary|file-history-snapshot|queue-operation|progress|custom-title|ai-title|agent-name|last-prompt|pr-link|attachment|permission-mode|agent-setting|bridge-session|worktree-state)"/;

/**
 * Tells a transcript's format from its path and first bytes. The content decides; the path
 * only breaks ties, so a transcript copied anywhere is still recognised.
 */
export function sniffHead(path: string, head: Buffer): FormatId | null {
  if (head.length === 0) return null;
  if (head.toString('latin1', 0, 16) === SQLITE_HEADER) return /opencode/i.test(path) ? 'opencode' : null;
  if (path.toLowerCase().endsWith('.json')) {
    return sniffGemini(stripBom(head.toString('utf8')).trimStart()) === 'json' ? 'gemini-json' : null;
  }
  // The first few lines that say what they are decide: a damaged first line does not hide a
  // transcript. Only whole lines are decoded, one at a time.
  let start = 0;
  for (let tries = 0; tries < SNIFF_LINES && start < head.length; tries++) {
    const nl = head.indexOf(10, start);
    const end = nl === -1 ? head.length : nl;
    const line = stripBom(head.toString('utf8', start, end)).trim();
    start = end + 1;
    const format = line.startsWith('{') ? sniffLine(line) : null;
    if (format) return format;
  }
  return null;
}

const SNIFF_LINES = 8;

function sniffLine(line: string): FormatId | null {
  if (sniffCodex(line)) return 'codex';
  if (sniffGemini(line) === 'jsonl') return 'gemini';
  const head = line.slice(0, 4096);
  if (CLAUDE_FIRST_TYPES.test(head) || /"sessionId"\s*:/.test(head)) return 'claude';
  if (sniffCursor(line)) return 'cursor';
  return null;
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
