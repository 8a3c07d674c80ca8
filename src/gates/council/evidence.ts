import { sha256Hex } from '../../lib/sha256.js';
import { collectSections, type EvidenceSection, type EvidenceSources } from './evidence-sources.js';
import type { ResolvedTarget } from './target.js';
import type { EvidenceCut, EvidencePacket } from './types.js';

export const DEFAULT_MAX_EVIDENCE_CHARS = 60_000;
/** Below this, not even the header and a few lines fit. */
export const MIN_EVIDENCE_CHARS = 2_000;

/**
 * The evidence packet for a target: built once, bounded to `maxChars`, hashed. Every judge gets
 * exactly this text, and it is saved beside the report.
 */
export function buildEvidence(
  root: string,
  target: ResolvedTarget,
  maxChars = DEFAULT_MAX_EVIDENCE_CHARS,
): EvidencePacket {
  return assembleEvidence(target, collectSections(root, target), maxChars);
}

interface Planned {
  section: EvidenceSection;
  fence: string;
  body: number;
  overhead: number;
}

/**
 * Lays sections out within `maxChars` characters. Each section costs its heading and fence;
 * the room left for their lines is shared fairly: a section smaller than an equal share keeps
 * all of it, and what it leaves goes to the larger ones, which are cut at a line boundary and
 * say so. When even the headings do not fit, the last sections are listed as not shown.
 */
export function assembleEvidence(
  target: Pick<ResolvedTarget, 'kind' | 'description'>,
  sources: EvidenceSources,
  maxChars: number,
): EvidencePacket {
  const head = headerOf(target.description, maxChars);
  const omitted = [...sources.omitted];
  const omittedRoom = Math.min(2000, Math.floor(maxChars / 10));
  const planned = sources.sections.map(planOf);
  const noRoom: { file: string; reason: string }[] = [];
  const fixed = (): number => head.length + (omitted.length + noRoom.length > 0 ? omittedRoom : 0);
  const overheads = (): number => planned.reduce((sum, p) => sum + p.overhead, 0);
  while (planned.length > 0 && fixed() + overheads() > maxChars) {
    const dropped = planned.pop()!;
    noRoom.unshift({ file: dropped.section.file ?? dropped.section.title, reason: 'no room within the bound' });
  }
  omitted.push(...noRoom);
  if (fixed() > maxChars) throw new RangeError(`an evidence bound of ${maxChars} characters is too small`);

  const shares = fairShares(
    planned.map((p) => p.body),
    maxChars - fixed() - overheads(),
  );
  const cuts: EvidenceCut[] = [];
  const parts = [head];
  planned.forEach((p, i) => {
    const { text, shown } = takeLines(p.section.lines, shares[i] ?? 0);
    const total = p.section.lines.length;
    let body = text;
    if (shown < total) {
      cuts.push({ section: p.section.file ?? p.section.title, shownLines: shown, totalLines: total });
      body += cutMarker(shown, total);
    }
    parts.push(`## ${p.section.title}\n\n${p.fence}\n${body}${p.fence}\n\n`);
  });
  if (omitted.length > 0) parts.push(omittedList(omitted, omittedRoom));
  const text = parts.join('');
  return {
    target: { kind: target.kind, description: target.description },
    text,
    sha256: sha256Hex(text),
    chars: text.length,
    maxChars,
    files: planned.flatMap((p) => (p.section.file === null ? [] : [p.section.file])),
    cuts,
    omitted,
  };
}

function headerOf(description: string, maxChars: number): string {
  return (
    `# Evidence\n\n` +
    `Target: ${description}\n` +
    `Bound: ${maxChars} characters; a section cut to fit ends with a line starting "[cut:".\n` +
    `Lines are numbered as in the file; in a diff, as in the new version (removed lines have no number).\n\n`
  );
}

function planOf(section: EvidenceSection): Planned {
  const fence = fenceFor(section.lines);
  const body = section.lines.reduce((sum, line) => sum + line.length + 1, 0);
  const overhead =
    `## ${section.title}\n\n`.length +
    (fence.length + 1) * 2 +
    1 +
    cutMarker(section.lines.length, section.lines.length).length;
  return { section, fence, body, overhead };
}

/** A code fence longer than any run of backticks that could close it from inside. */
function fenceFor(lines: readonly string[]): string {
  let longest = 0;
  for (const line of lines) {
    const run = /^ {0,3}(`+)/.exec(line);
    if (run?.[1] && run[1].length > longest) longest = run[1].length;
  }
  return '`'.repeat(Math.max(3, longest + 1));
}

function cutMarker(shown: number, total: number): string {
  return `[cut: ${shown} of ${total} lines shown, the rest did not fit]\n`;
}

/**
 * Splits `room` among sizes: everyone gets an equal share, those who need less give the rest
 * back to the others (water-filling). The shares never add up to more than `room`.
 */
export function fairShares(sizes: readonly number[], room: number): number[] {
  const shares = sizes.map(() => 0);
  let left = Math.max(0, room);
  let open = sizes.map((_, i) => i);
  while (open.length > 0) {
    const share = Math.floor(left / open.length);
    const small = open.filter((i) => sizes[i]! <= share);
    if (small.length === 0) {
      for (const i of open) shares[i] = share;
      break;
    }
    for (const i of small) {
      shares[i] = sizes[i]!;
      left -= sizes[i]!;
    }
    open = open.filter((i) => sizes[i]! > share);
  }
  return shares;
}

/** The first lines that fit in `room` characters (newlines included); a first line too long is shortened. */
function takeLines(lines: readonly string[], room: number): { text: string; shown: number } {
  let text = '';
  let shown = 0;
  for (const line of lines) {
    if (text.length + line.length + 1 > room) break;
    text += `${line}\n`;
    shown += 1;
  }
  const first = lines[0];
  if (shown === 0 && first !== undefined && room >= 40) text = `${first.slice(0, room - 2)}…\n`;
  return { text, shown };
}

function omittedList(omitted: readonly { file: string; reason: string }[], room: number): string {
  const heading = '## Not shown\n\n';
  let text = heading;
  let listed = 0;
  for (const o of omitted) {
    const line = `- ${o.file}: ${o.reason}\n`;
    const moreLine = `- … and ${omitted.length} more\n`;
    if (text.length + line.length + moreLine.length > room) break;
    text += line;
    listed += 1;
  }
  if (listed < omitted.length) text += `- … and ${omitted.length - listed} more\n`;
  return text;
}
