import { claudeFormat } from './claude/format.js';
import { codexFormat, sniffCodex } from './codex/format.js';
import { cursorFormat, sniffCursor } from './cursor/format.js';
import { geminiJsonlFormat, geminiLegacyFormat, sniffGemini } from './gemini/format.js';
import { openCodeDbFormat, openCodeLegacyFormat } from './opencode/format.js';
import type { Format } from './parser.js';

export type FormatId = 'claude' | 'codex' | 'gemini' | 'gemini-json' | 'opencode' | 'opencode-legacy' | 'cursor';

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

function firstNonSpace(head: Buffer): number {
  let i = 0;
  while (i < head.length && (head[i] === 10 || head[i] === 13 || head[i] === 32 || head[i] === 9)) i++;
  return i;
}

/**
 * Tells a transcript's format from its path and first bytes. The content decides; the path
 * only breaks ties, so a transcript copied anywhere is still recognised.
 */
export function sniffHead(path: string, head: Buffer): FormatId | null {
  if (head.length === 0) return null;
  if (head.toString('latin1', 0, 16) === SQLITE_HEADER) return /opencode/i.test(path) ? 'opencode' : null;
  // Decode only the first line (a .json document needs all of the head).
  const nlByte = path.toLowerCase().endsWith('.json') ? -1 : head.indexOf(10, firstNonSpace(head));
  let text = head.toString('utf8', 0, nlByte === -1 ? head.length : nlByte);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  text = text.trimStart();
  const nl = text.indexOf('\n');
  const firstLine = (nl === -1 ? text : text.slice(0, nl)).trim();
  if (path.toLowerCase().endsWith('.json')) {
    return sniffGemini(text) === 'json' ? 'gemini-json' : null;
  }
  if (!firstLine.startsWith('{')) return null;
  if (sniffCodex(firstLine)) return 'codex';
  const gemini = sniffGemini(firstLine);
  if (gemini === 'jsonl') return 'gemini';
  if (CLAUDE_FIRST_TYPES.test(firstLine.slice(0, 4096)) || /"sessionId"\s*:/.test(firstLine.slice(0, 4096))) {
    return 'claude';
  }
  if (sniffCursor(firstLine)) return 'cursor';
  return null;
}
