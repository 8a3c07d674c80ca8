import { PRESETS } from './presets.js';
import { SEVERITIES, type CouncilFinding, type CouncilResult, type Finding } from './types.js';

/** A council's markdown report: what was judged, by whom, the verdicts, the findings by file. */
export function renderReport(result: CouncilResult, evidenceLink: string): string {
  const e = result.evidence;
  const lines: string[] = [
    `# Council ${result.preset}: ${result.verdict}`,
    '',
    `- Target: ${inline(result.target.description)}`,
    `- Convened: ${result.ts}${result.user ? ` by ${inline(result.user)}` : ''}${result.commit ? ` at ${result.commit.slice(0, 12)}` : ''}`,
    `- Id: ${result.id}`,
    `- Evidence: [${e.chars} characters](${evidenceLink}) (bound ${e.maxChars}), sha256 \`${e.sha256}\``,
  ];
  if (e.cuts.length > 0) {
    lines.push(
      `- Cut to fit: ${e.cuts.map((c) => `${inline(c.section)} (${c.shownLines} of ${c.totalLines} lines)`).join(', ')}`,
    );
  }
  if (e.omitted.length > 0) {
    lines.push(`- Not shown: ${e.omitted.map((o) => `${inline(o.file)} (${o.reason})`).join(', ')}`);
  }
  const meaning = PRESETS[result.preset].verdicts[result.verdict];
  lines.push(`- Verdict: **${result.verdict}** (${meaning})${result.reason ? `: ${inline(result.reason)}` : ''}`);
  lines.push('', '## Judges', '', '| judge | perspective | verdict | findings | time |', '|---|---|---|---:|---:|');
  for (const j of result.judges) {
    const verdict = j.status === 'answered' ? (j.verdict ?? '') : 'failed';
    lines.push(
      `| ${cell(j.name)} | ${cell(j.perspective)} | ${verdict} | ${j.status === 'answered' ? j.findings.length : '-'} | ${seconds(j.durationMs)} |`,
    );
  }
  for (const j of result.judges.filter((x) => x.status === 'answered')) {
    lines.push('', `### ${inline(j.name)} (${j.perspective}): ${j.verdict ?? ''}`, '');
    lines.push(j.summary ? quote(j.summary) : '_No summary._');
    if (j.notes.length > 0) lines.push('', `Notes: ${j.notes.map(inline).join('; ')}.`);
  }
  lines.push('', '## Findings', '');
  if (result.findings.length === 0) lines.push('None.');
  for (const [file, findings] of byFile(result.findings)) {
    lines.push(`### ${file === null ? 'General' : `\`${file}\``}`, '');
    for (const f of findings) lines.push(findingLine(f));
    lines.push('');
  }
  const failed = result.judges.filter((j) => j.status === 'failed');
  if (failed.length > 0) {
    lines.push('', '## Failed judges', '');
    for (const j of failed) lines.push(`- ${inline(j.name)} (${j.perspective}): ${inline(j.error ?? 'no answer')}`);
  }
  return `${lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}

function findingLine(f: CouncilFinding): string {
  const where = f.file === null ? '' : `\`${f.file}${f.line === null ? '' : `:${f.line}`}\` `;
  const flag = f.inEvidence ? '' : ' _(file not in the evidence)_';
  return `- **${f.severity}** ${where}${inline(f.message)} (${inline(f.judge)}, ${f.perspective})${flag}`;
}

/** Findings grouped by file in path order, the ones at no file last. */
function byFile(findings: readonly CouncilFinding[]): Map<string | null, CouncilFinding[]> {
  const groups = new Map<string | null, CouncilFinding[]>();
  for (const f of findings) groups.set(f.file, [...(groups.get(f.file) ?? []), f]);
  return groups;
}

/** Orders findings by file (general ones last), line, then severity. */
export function compareFindings(a: Finding, b: Finding): number {
  if (a.file !== b.file) {
    if (a.file === null) return 1;
    if (b.file === null) return -1;
    return a.file < b.file ? -1 : 1;
  }
  return (
    (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER) ||
    SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity)
  );
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** One line of text from a model or a path, safe inside a markdown line. */
function inline(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function cell(text: string): string {
  return inline(text).replace(/\|/g, '\\|');
}

function quote(text: string): string {
  return text
    .split('\n')
    .map((l) => `> ${l}`.trimEnd())
    .join('\n');
}
