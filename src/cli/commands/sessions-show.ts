import { UserError } from '../../lib/errors.js';
import { loadSessionDetail } from '../../sessions/load.js';
import { findSession, querySessions } from '../../sessions/query.js';
import { priceSession } from '../../sessions/report.js';
import type { TimelineEvent } from '../../sessions/types.js';
import { type SessionArgValues, progressFor, queryOf, reportWarnings } from '../common.js';
import {
  bold,
  dim,
  formatCost,
  formatDuration,
  formatInt,
  formatPercent,
  formatTime,
  formatTokens,
  out,
  outJson,
  red,
  truncateText,
  yellow,
} from '../output.js';
import { toJson } from './sessions-list.js';

export async function runSessionsShow(
  args: SessionArgValues & { id: string; full?: boolean; events?: string },
): Promise<void> {
  const maxEvents = args.events === undefined ? Infinity : Number(args.events);
  if (!(maxEvents > 0)) throw new UserError(`--events "${args.events}" is not a positive number`);
  const progress = progressFor(args);
  const result = await querySessions(queryOf(args, progress));
  progress.done();
  reportWarnings(result.warnings);
  const summary = findSession(result.sessions, args.id);
  const detail = await loadSessionDetail(summary);
  if (!detail) throw new UserError(`session ${summary.id} could not be read again from ${summary.file}`);
  const priced = priceSession(summary, result.book);
  const subagents = result.sessions.filter((s) => s.parentId === summary.id).map((s) => priceSession(s, result.book));
  if (args.json) {
    outJson({
      ...toJson(priced),
      timeline: detail.timeline,
      filesRead: detail.filesRead,
      filesWritten: detail.filesWritten,
      commands: detail.commands,
      subagents: subagents.map(toJson),
    });
    return;
  }
  const s = priced;
  out(bold(`${s.title ?? '(untitled)'}`));
  out(
    [
      `session   ${s.id} (${s.agent})`,
      `project   ${s.project ?? '-'}${s.gitBranch ? `  on ${s.gitBranch}` : ''}`,
      `time      ${formatTime(s.startedAt)} → ${formatTime(s.endedAt)}  (${formatDuration(s.startedAt, s.endedAt)})`,
      `models    ${s.models.join(', ') || '-'}`,
      `tokens    in ${formatInt(s.tokens.inputTokens)}, out ${formatInt(s.tokens.outputTokens)}, cache write ${formatInt(s.tokens.cacheCreationTokens)}, cache read ${formatInt(s.tokens.cacheReadTokens)}`,
      `cost      ${formatCost(s.costUSD, s.pricedCostUSD)}${s.unpricedModels.length ? `  (no price for ${s.unpricedModels.join(', ')})` : ''}`,
      `context   peak ${formatTokens(s.peakContextTokens)} of ${s.contextWindow ? formatTokens(s.contextWindow) : '?'} (${formatPercent(s.peakContextRatio)}); ${s.turnsOver40} of ${s.turns} replies past 40%`,
      `activity  ${s.userPrompts} prompts, ${s.toolCalls} tool calls, ${s.errors} errors, ${s.compactions} compactions, ${subagents.length} subagents`,
      s.parentId ? `parent    ${s.parentId}` : '',
      `file      ${s.file}`,
    ]
      .filter(Boolean)
      .join('\n'),
  );
  out('');
  const width = args.full ? Infinity : 160;
  for (const event of detail.timeline.slice(0, maxEvents)) {
    const line = renderEvent(event, width);
    if (line) out(line);
  }
  if (detail.timeline.length > maxEvents)
    out(dim(`… ${detail.timeline.length - maxEvents} more events (without --events: all)`));
  if (subagents.length > 0) {
    out('');
    out(bold('subagents'));
    for (const sub of subagents) {
      out(
        `  ${sub.id}  ${formatTokens(sub.tokens.inputTokens + sub.tokens.outputTokens + sub.tokens.cacheCreationTokens + sub.tokens.cacheReadTokens)} tokens  ${formatCost(sub.costUSD, sub.pricedCostUSD)}  ${truncateText(sub.title ?? '', 80)}`,
      );
    }
  }
  if (detail.filesWritten.length > 0) {
    out('');
    out(bold(`files written (${detail.filesWritten.length})`));
    for (const f of detail.filesWritten.slice(0, args.full ? undefined : 30)) out(`  ${f}`);
  }
}

function renderEvent(event: TimelineEvent, width: number): string | null {
  const time = dim(event.timestamp ? formatTime(event.timestamp).slice(11) : '     ');
  const clip = (text: string): string => (Number.isFinite(width) ? truncateText(text, width) : text);
  switch (event.kind) {
    case 'prompt':
      return `${time} ${bold('▶ user')}  ${clip(event.text)}`;
    case 'assistant':
      return `${time}   ${dim('assistant')} ${clip(event.text)}`;
    case 'tool': {
      const c = event.call;
      const status = c.isError ? red(' ✗ failed') : '';
      const result = c.isError && c.result ? `\n${' '.repeat(8)}${red(clip(c.result))}` : '';
      return `${time}   ${yellow(c.name)} ${clip(describeInput(c.input))}${status}${result}`;
    }
    case 'error':
      return `${time} ${red('✗ error')} ${clip(event.text)}`;
    case 'compaction':
      return `${time} ${bold('⟲ compacted')}${event.trigger ? ` (${event.trigger})` : ''}${event.preTokens ? ` at ${formatTokens(event.preTokens)} tokens` : ''}`;
    case 'subagent':
      return `${time}   ${bold('⤷ subagent')} ${event.agentId}`;
  }
}

/** The telling part of a tool input: the command, the path, the pattern, else compact JSON. */
function describeInput(input: unknown): string {
  if (typeof input === 'string') return input;
  if (typeof input !== 'object' || input === null) return JSON.stringify(input ?? '');
  const o = input as Record<string, unknown>;
  for (const key of [
    'command',
    'file_path',
    'notebook_path',
    'path',
    'pattern',
    'url',
    'query',
    'description',
    'prompt',
  ]) {
    const v = o[key];
    if (typeof v === 'string' && v) return v;
    if (Array.isArray(v)) return v.join(' ');
  }
  return JSON.stringify(input);
}
