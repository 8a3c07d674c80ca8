import { isRecord } from '../../lib/json.js';
import { COUNCIL_VERDICTS, SEVERITIES, type CouncilVerdict, type Finding, type Severity } from './types.js';

/**
 * A judge's answer is input, never trusted: one JSON object is found in it (code fences and
 * prose around it are tolerated), its fields are checked, findings are repaired where the intent
 * is clear and dropped (with a note) where it is not. An answer without a usable verdict is a
 * failed judge, with the reason.
 */

export type ParsedAnswer =
  | { ok: true; verdict: CouncilVerdict; summary: string; findings: Finding[]; notes: string[] }
  | { ok: false; error: string };

const CAP = { summary: 2000, message: 2000, file: 300, findings: 50 };
/** Longer answers are not a verdict but a runaway model, and scanning them for braces costs. */
const MAX_ANSWER_CHARS = 500_000;

export function parseJudgeAnswer(text: string, evidenceFiles: readonly string[]): ParsedAnswer {
  if (text.trim() === '') return { ok: false, error: 'empty answer' };
  if (text.length > MAX_ANSWER_CHARS) return { ok: false, error: `answer longer than ${MAX_ANSWER_CHARS} characters` };
  const objects = jsonObjects(text);
  const verdicts = objects.filter((o) => 'verdict' in o);
  if (verdicts.length === 0) {
    return {
      ok: false,
      error: objects.length > 0 ? 'no "verdict" in the JSON answer' : 'no JSON object in the answer',
    };
  }
  const distinct = new Set(verdicts.map((o) => JSON.stringify(o)));
  if (distinct.size > 1) return { ok: false, error: `${distinct.size} different verdict objects in the answer` };
  return readVerdict(verdicts[0]!, new Set(evidenceFiles));
}

function readVerdict(answer: Record<string, unknown>, files: ReadonlySet<string>): ParsedAnswer {
  const raw = answer.verdict;
  const verdict = typeof raw === 'string' ? raw.trim().toUpperCase() : null;
  if (verdict === null || !(COUNCIL_VERDICTS as readonly string[]).includes(verdict)) {
    return { ok: false, error: `verdict ${JSON.stringify(raw)} is not one of ${COUNCIL_VERDICTS.join(', ')}` };
  }
  if (answer.summary !== undefined && answer.summary !== null && typeof answer.summary !== 'string') {
    return { ok: false, error: '"summary" is not a string' };
  }
  if (answer.findings !== undefined && answer.findings !== null && !Array.isArray(answer.findings)) {
    return { ok: false, error: '"findings" is not an array' };
  }
  const notes: string[] = [];
  const items: unknown[] = Array.isArray(answer.findings) ? answer.findings : [];
  if (items.length > CAP.findings)
    notes.push(`${items.length - CAP.findings} findings past the first ${CAP.findings} dropped`);
  const findings: Finding[] = [];
  let unusable = 0;
  let unknownSeverity = 0;
  for (const item of items.slice(0, CAP.findings)) {
    const finding = readFinding(item, files);
    if (finding === null) unusable += 1;
    else {
      if (finding.guessedSeverity) unknownSeverity += 1;
      findings.push(finding.finding);
    }
  }
  if (unusable > 0) notes.push(`${unusable} finding${unusable === 1 ? '' : 's'} without a message dropped`);
  if (unknownSeverity > 0)
    notes.push(
      `${unknownSeverity} finding${unknownSeverity === 1 ? '' : 's'} without a known severity taken as medium`,
    );
  const outside = findings.filter((f) => !f.inEvidence).length;
  if (outside > 0) notes.push(`${outside} finding${outside === 1 ? ' cites' : 's cite'} a file not in the evidence`);
  const summary = typeof answer.summary === 'string' ? cap(answer.summary.trim(), CAP.summary) : '';
  return { ok: true, verdict: verdict as CouncilVerdict, summary, findings, notes };
}

function readFinding(item: unknown, files: ReadonlySet<string>): { finding: Finding; guessedSeverity: boolean } | null {
  if (!isRecord(item)) return typeof item === 'string' && item.trim() !== '' ? plain(item) : null;
  const message = typeof item.message === 'string' ? item.message.trim() : '';
  if (message === '') return null;
  const rawSeverity = typeof item.severity === 'string' ? item.severity.trim().toLowerCase() : '';
  const known = (SEVERITIES as readonly string[]).includes(rawSeverity);
  let file = typeof item.file === 'string' && item.file.trim() !== '' ? item.file.trim() : null;
  let line = lineOf(item.line);
  // `"file": "src/a.ts:12"`: the line written into the path.
  const joined = file === null ? null : /^(.*?):(\d+)(?::\d+)?$/.exec(file);
  if (joined?.[1] && joined[2]) {
    file = joined[1];
    line ??= Number(joined[2]);
  }
  if (file !== null) file = cap(normalisePath(file, files), CAP.file);
  return {
    finding: {
      severity: known ? (rawSeverity as Severity) : 'medium',
      file,
      line: file === null ? null : line,
      message: cap(message, CAP.message),
      inEvidence: file === null || files.has(file),
    },
    guessedSeverity: !known,
  };
}

function plain(message: string): { finding: Finding; guessedSeverity: boolean } {
  return {
    finding: {
      severity: 'medium',
      file: null,
      line: null,
      message: cap(message.trim(), CAP.message),
      inEvidence: true,
    },
    guessedSeverity: true,
  };
}

function lineOf(value: unknown): number | null {
  const n = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : null;
}

/** `./src/a.ts`, `b/src/a.ts` (diff prefixes) → `src/a.ts` when that is what the evidence holds. */
function normalisePath(file: string, files: ReadonlySet<string>): string {
  const plainPath = file.replace(/\\/g, '/').replace(/^\.\//, '');
  if (files.has(plainPath)) return plainPath;
  const unprefixed = plainPath.replace(/^[ab]\//, '');
  return files.has(unprefixed) ? unprefixed : plainPath;
}

function cap(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/**
 * Every JSON object written at the top level of a text: each `{` that starts a balanced,
 * string-aware run of braces which parses as an object. Objects nested in one found are not
 * counted again.
 */
export function jsonObjects(text: string, maxTries = 100): Record<string, unknown>[] {
  const found: Record<string, unknown>[] = [];
  let from = text.indexOf('{');
  // Each try may scan to the end of the text: a bound on tries keeps braces in prose from costing n².
  for (let tries = 0; from >= 0 && tries < maxTries; tries++) {
    const end = closingBrace(text, from);
    if (end >= 0) {
      try {
        const value: unknown = JSON.parse(text.slice(from, end + 1));
        if (isRecord(value)) {
          found.push(value);
          from = text.indexOf('{', end + 1);
          continue;
        }
      } catch {
        // Not JSON (prose in braces, a template); try the next brace.
      }
    }
    from = text.indexOf('{', from + 1);
  }
  return found;
}

function closingBrace(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text.charAt(i);
    if (inString) {
      if (c === '\\') i += 1;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') depth += 1;
    else if (c === '}') {
      depth -= 1;
      if (depth === 0) return i;
    }
  }
  return -1;
}
