/**
 * Byte-level peeks at Claude Code lines, so that a summary can skip decoding and parsing the
 * bulk of a transcript (progress records and tool results are three quarters of its bytes).
 * A quoted key followed by `:"` cannot occur inside a JSON string (its quotes would be
 * escaped), so each match below is structural; anything unexpected falls back to a full parse.
 */

const TYPE = Buffer.from('"type":"');
const TOOL_USE_ID = Buffer.from('"tool_use_id":"');
const TOOL_USE_RESULT = Buffer.from('"toolUseResult":');
const TEXT_BLOCK = Buffer.from('"type":"text"');
const IS_ERROR = Buffer.from('"is_error":true');
const TIMESTAMP = Buffer.from('"timestamp":"');
const PEEK_WINDOW = 4096;

/** Value of the first `"type":"…"` near the start of the line: the record type for most records. */
export function peekType(buf: Buffer, start: number, end: number): string | null {
  const window = buf.subarray(start, Math.min(end, start + PEEK_WINDOW));
  const at = window.indexOf(TYPE);
  if (at === -1) return null;
  const from = at + TYPE.length;
  const close = window.indexOf(34, from);
  return close === -1 ? null : window.toString('latin1', from, close);
}

export interface ToolResultScan {
  timestamp: string | null;
  errors: number;
}

/**
 * For a `user` line that only carries tool results: its timestamp and how many results failed.
 * Null when the line is anything else (a prompt, mixed content, or not well formed).
 */
export function scanToolResultLine(buf: Buffer, start: number, end: number): ToolResultScan | null {
  if (buf[start] !== 123 || buf[end - 1] !== 125) return null;
  const line = buf.subarray(start, end);
  if (line.indexOf(TOOL_USE_ID) === -1) return null;
  // The parsed copy of the result (toolUseResult) follows the message; only the message counts.
  const resultAt = line.indexOf(TOOL_USE_RESULT);
  const message = resultAt === -1 ? line : line.subarray(0, resultAt);
  if (message.indexOf(TEXT_BLOCK) !== -1) return null;
  let errors = 0;
  for (let at = message.indexOf(IS_ERROR); at !== -1; at = message.indexOf(IS_ERROR, at + IS_ERROR.length)) {
    errors++;
  }
  return { timestamp: lastTimestamp(message), errors };
}

/** The envelope timestamp of a line whose nested payload comes before it (progress records). */
export function lastTimestamp(line: Buffer): string | null {
  const at = line.lastIndexOf(TIMESTAMP);
  if (at === -1) return null;
  const from = at + TIMESTAMP.length;
  const close = line.indexOf(34, from);
  return close === -1 || close - from > 40 ? null : line.toString('latin1', from, close);
}

const CONTENT_OPEN = Buffer.from('"content":[');
const CONTENT_CLOSE = Buffer.from('],"stop_reason":');
const TOOL_USE = Buffer.from('"type":"tool_use","id":"');
const NAME = Buffer.from('"name":"');

export interface AssistantCut {
  /** The line as JSON with `message.content` emptied: small and quick to parse. */
  json: string;
  /** The tool_use blocks that were cut out, by id and name. */
  tools: { id: string; name: string }[];
}

/**
 * An `assistant` line without its content blocks (thinking, text, tool inputs: the bulk of the
 * line), plus the ids and names of the tool calls in them. Null when the line does not have the
 * expected shape, and the caller parses it whole.
 */
export function cutAssistantContent(buf: Buffer, start: number, end: number): AssistantCut | null {
  const line = buf.subarray(start, end);
  const open = line.indexOf(CONTENT_OPEN);
  if (open === -1) return null;
  const from = open + CONTENT_OPEN.length;
  const close = line.indexOf(CONTENT_CLOSE, from);
  if (close === -1) return null;
  const tools: { id: string; name: string }[] = [];
  const content = line.subarray(from, close);
  for (let at = content.indexOf(TOOL_USE); at !== -1; at = content.indexOf(TOOL_USE, at + TOOL_USE.length)) {
    const idFrom = at + TOOL_USE.length;
    const idEnd = content.indexOf(34, idFrom);
    const nameAt = idEnd === -1 ? -1 : content.indexOf(NAME, idEnd);
    const nameEnd = nameAt === -1 ? -1 : content.indexOf(34, nameAt + NAME.length);
    if (nameEnd === -1) return null;
    tools.push({
      id: content.toString('latin1', idFrom, idEnd),
      name: content.toString('utf8', nameAt + NAME.length, nameEnd),
    });
  }
  return { json: line.toString('utf8', 0, from) + line.toString('utf8', close, line.length), tools };
}
