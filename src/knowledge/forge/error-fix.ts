/**
 * Error → fix: a failing command whose same-kind command (same family: `mix test`, `git push`)
 * later passes, with edits, state-changing commands or a changed command line in between. Each
 * distinct error on the way to the pass is one candidate: the command, the normalised error
 * signature, the files changed (and the change, when short), and the agent's diagnosis.
 */

import type { TimelineEvent } from '../../sessions/types.js';
import type { Candidate } from '../types.js';
import {
  type Draft,
  type ForgeContext,
  at,
  bodyOf,
  confidence,
  relPath,
  relText,
  scopeOf,
  sourceOf,
} from './context.js';
import { diagnose } from './diagnosis.js';
import { errorLine, normaliseSignature } from './signature.js';
import { detectTags } from './tags.js';
import { MAX_TITLE, code, namesSomething, normaliseKey, toTitle, truncate } from './text.js';
import { type FileEdit, commandFamily, displayCommand, editsOf, notRun, shellRun, workSegments } from './tools.js';

type ToolEvent = Extract<TimelineEvent, { kind: 'tool' }>;

interface Run {
  event: ToolEvent;
  command: string;
  family: string;
  /** Raw first error line and its normal form (failures only). */
  error: string | null;
  signature: string | null;
  /** Lengths of the shared logs when this run happened: what came after it is a slice. */
  edits: number;
  fixes: number;
  notes: number;
}

interface Logs {
  edits: { edit: FileEdit; line: number | undefined }[];
  fixes: { command: string; line: number | undefined }[];
  notes: string[];
}

/** Commands that change state and so may be the fix: formatters, installs, codegen, migrations. */
const FIX_FAMILY =
  /(?:^|\s|\.)(?:format|fmt|install|i|add|deps\.get|deps\.compile|get|codegen|migrate|generate|gen\.\w+|setup|init|clean|upgrade|update|sync|chmod|prune|rebuild|link|ash\.codegen|ecto\.\w+)$/;
const CHECK_FAMILY =
  /(?:^|\s)(?:test|build|compile|check|lint|vet|credo|dialyzer|tsc|eslint|pytest|jest|vitest|rspec)\b/;

const MAX_LINKS_PER_CHAIN = 4;
const MAX_EDITS_FOR_DIFF = 3;
const MAX_EDITS_CRISP = 12;

export function extractErrorFixes(ctx: ForgeContext): Draft[] {
  const logs: Logs = { edits: [], fixes: [], notes: [] };
  const chains = new Map<string, Run[]>();
  const drafts: Draft[] = [];
  for (const event of ctx.detail.timeline) {
    if (event.kind === 'assistant') {
      logs.notes.push(event.text);
      continue;
    }
    if (event.kind !== 'tool' || notRun(event.call)) continue;
    const call = event.call;
    if (!call.isError) for (const edit of editsOf(call)) logs.edits.push({ edit, line: event.line });
    const shell = shellRun(call);
    if (!shell || shell.readOnly || shell.outcome === 'unknown') continue;
    const { command, family, outcome } = shell;
    const run: Run = {
      event,
      command,
      family,
      error: null,
      signature: null,
      edits: logs.edits.length,
      fixes: logs.fixes.length,
      notes: logs.notes.length,
    };
    const chain = chains.get(family);
    if (outcome === 'fail') {
      run.error = errorLine(call.result ?? '');
      run.signature = run.error ? normaliseSignature(run.error) : null;
      if (chain) chain.push(run);
      else chains.set(family, [run]);
      continue;
    }
    if (chain) {
      drafts.push(...resolve(ctx, chain, run, logs));
      chains.delete(family);
    }
    if (FIX_FAMILY.test(family) && !CHECK_FAMILY.test(family) && !/^(?:git|bd|gh) /.test(family)) {
      logs.fixes.push({ command, line: event.line });
    }
  }
  return drafts;
}

/** Candidates for the failures of one chain that the passing run resolved. */
function resolve(ctx: ForgeContext, failures: Run[], pass: Run, logs: Logs): Draft[] {
  const drafts: Draft[] = [];
  for (let i = failures.length - 1; i >= 0 && drafts.length < MAX_LINKS_PER_CHAIN; i--) {
    const failure = failures[i];
    if (!failure?.signature) continue;
    const next = failures[i + 1] ?? pass;
    // The same error again later: this attempt did not fix it.
    if (failures.slice(i + 1).some((f) => f.signature === failure.signature)) continue;
    const edits = logs.edits.slice(failure.edits, next.edits);
    const fixes = logs.fixes.slice(failure.fixes, next.fixes);
    const changed = next === pass && commandChanged(failure.command, pass.command);
    if (edits.length === 0 && fixes.length === 0 && !changed) continue;
    if (edits.length > MAX_EDITS_CRISP * 3) continue;
    let repeats = 1;
    for (let j = i - 1; j >= 0 && failures[j]?.signature === failure.signature; j--) repeats++;
    const notes = logs.notes.slice(failure.notes, next.notes);
    const link: Link = { failure, next, pass, edits, fixes, changed, notes, repeats };
    if (worthKeeping(link)) drafts.push(draftOf(ctx, link));
  }
  return drafts.reverse();
}

/**
 * Without the agent's diagnosis, a fix command or a changed command line, an edits-only link is
 * kept only when its error names something and its change is small enough to show.
 */
function worthKeeping(link: Link): boolean {
  if (link.fixes.length > 0 || link.changed) return true;
  if (diagnose(link.notes, 2).cause) return true;
  const small =
    link.edits.length <= MAX_EDITS_FOR_DIFF &&
    link.edits.every(
      (e) => e.edit.before !== null && (e.edit.after ?? '').length <= 160 && e.edit.before.length <= 160,
    );
  const error = link.failure.error ?? '';
  return small && (namesSomething(error) || /["'][^"']+["']/.test(error));
}

interface Link {
  failure: Run;
  next: Run;
  pass: Run;
  edits: Logs['edits'];
  fixes: Logs['fixes'];
  changed: boolean;
  notes: string[];
  repeats: number;
}

function draftOf(ctx: ForgeContext, link: Link): Draft {
  const { failure, next, pass, edits, fixes, changed } = link;
  const error = relText(ctx, failure.error ?? '');
  const signature = failure.signature ?? '';
  const files = [...new Set(edits.map((e) => relPath(ctx, e.edit.path)))];
  // Only what the agent said right after the failure: later text is about other things.
  const diagnosis = diagnose(link.notes, 2);
  const passed = next === pass;
  const failed = shown(ctx, failure.command);
  const fixCommands = fixes.map((f) => shown(ctx, f.command));
  const changedTo = changed ? shown(ctx, pass.command) : null;

  const what =
    `${code(failed)} failed with ${code(truncate(error, 160))}` +
    (link.repeats > 1 ? ` (${link.repeats} times in a row)` : '') +
    `; ${summariseFix(files, fixCommands, changedTo)}, ${passed ? 'after which it passed' : 'after which that error was gone'}.`;
  const how = [
    diagnosis.action ? `${relText(ctx, diagnosis.action)}.` : '',
    changedTo ? changedHow(relText(ctx, failure.command), relText(ctx, pass.command), changedTo, failed) : '',
    fixCommands.length > 0 ? `Run ${fixCommands.map((c) => code(c)).join(', ')} before ${code(failure.family)}.` : '',
    edits.length > 0 && !diagnosis.action
      ? `If ${code(failure.family)} fails with this error, change ${files
          .slice(0, 3)
          .map((f) => code(f))
          .join(', ')} as shown below.`
      : '',
  ]
    .filter(Boolean)
    .join(' ');
  const changes = changeLines(ctx, edits);
  const ran = fixes
    .slice(0, 3)
    .map((f, i) => ({ line: f.line ?? 0, text: `ran${at(f.line)}: ${code(fixCommands[i] ?? f.command)}` }));
  const steps = [...changes, ...ran].sort((a, b) => a.line - b.line).map((s) => s.text);
  const evidence = [
    `failing command${at(failure.event.line)}: ${code(failed)}`,
    `error: ${code(truncate(error, 200))}`,
    ...steps,
    `${passed ? 'passed' : 'next run'}${at(next.event.line)}: ${code(shown(ctx, next.command))}`,
  ];
  const candidate: Candidate = {
    title: titleOf(failure, error, diagnosis.cause, files, fixCommands, changedTo),
    type: 'fix',
    body: bodyOf({ what, why: diagnosis.cause ? relText(ctx, diagnosis.cause) : undefined, how, evidence }),
    tags: detectTags(
      [failure.command, error, diagnosis.cause ?? '', ...edits.map((e) => e.edit.after ?? '').slice(0, 3)],
      files,
      error,
    ),
    // Scoped to the files changed only when the edits alone were the fix, and not for git workflow.
    scope:
      fixes.length === 0 && !failure.family.startsWith('git ') && files.length <= 3 && edits.length <= MAX_EDITS_CRISP
        ? scopeOf(ctx, files)
        : [],
    source: sourceOf(ctx, failure.event),
    confidence: confidence(
      0.55 +
        (passed ? 0.1 : 0) +
        (diagnosis.cause ? 0.1 : 0) +
        (edits.length > MAX_EDITS_CRISP ? -0.15 : 0) +
        (edits.length === 0 && fixes.length === 0 ? -0.05 : 0),
    ),
    extractor: 'error-fix',
    evidence: [
      failed,
      truncate(error, 200),
      ...changes.slice(-2).map((c) => c.text),
      ...fixCommands.slice(0, 1),
      ...(diagnosis.cause ? [truncate(relText(ctx, diagnosis.cause), 300)] : []),
    ],
  };
  const keys = [`sig:${failure.family}:${signature}`];
  if (diagnosis.cause) keys.push(`s:${normaliseKey(diagnosis.cause)}`);
  return { candidate, keys };
}

/** A command for display: plumbing dropped, paths relative, at most 160 characters. */
function shown(ctx: ForgeContext, command: string): string {
  return truncate(relText(ctx, displayCommand(command)), 160);
}

/**
 * The agent's cause when it makes a whole title; else "<error>: <what fixed it>", e.g.
 * "The current branch x has no upstream branch: use `git push --set-upstream`".
 */
function titleOf(
  failure: Run,
  error: string,
  cause: string | null,
  files: string[],
  fixCommands: string[],
  changedTo: string | null,
): string {
  if (cause) {
    const title = toTitle(cause);
    if (title.length >= 20 && !title.endsWith('…')) return title;
  }
  const sig = error
    .replace(/^(?:✘\s*\[ERROR\]|(?:error|fatal)(?:\[\w+\])?:)\s*/i, '')
    .replace(/^(\S+) (?:validation |checks? )?failed:\s+(?=\S)/i, '$1 ')
    .replace(/[.:;,\s]+$/, '');
  const fam = `\`${failure.family}\``;
  let fix: string;
  if (fixCommands[0]) fix = `run \`${commandFamily(fixCommands[0])}\` before ${fam}`;
  else if (changedTo) {
    const flags = addedFlags(failure.command, changedTo);
    const family = flags[0]?.family ?? failure.family;
    const extra = flags
      .filter((f) => f.family === family)
      .map((f) => f.flag)
      .join(' ');
    fix = extra ? `use \`${family} ${extra}\`` : `run ${fam} as \`${truncate(changedTo, 50)}\``;
  } else
    fix = `fixed in ${files
      .slice(0, 2)
      .map((f) => `\`${f.slice(f.lastIndexOf('/') + 1)}\``)
      .join(', ')}`;
  if (MAX_TITLE - fix.length - 2 < 25 && files.length > 1)
    fix = `fixed in \`${files[0]?.slice(files[0].lastIndexOf('/') + 1)}\``;
  const room = MAX_TITLE - fix.length - 2;
  if (room < 20) return truncate(capital(fix), MAX_TITLE);
  return capital(`${truncate(sig, room)}: ${fix}`);
}

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function summariseFix(files: string[], fixCommands: string[], changedTo: string | null): string {
  const parts: string[] = [];
  if (files.length > 0) {
    const names = files.slice(0, 3).map((f) => code(f));
    parts.push(`changing ${names.join(', ')}${files.length > 3 ? ` and ${files.length - 3} more` : ''}`);
  }
  if (fixCommands.length > 0)
    parts.push(
      `running ${fixCommands
        .slice(0, 2)
        .map((c) => code(truncate(c, 60)))
        .join(', ')}`,
    );
  if (changedTo && parts.length === 0) parts.push(`changing the command to ${code(truncate(changedTo, 80))}`);
  return `fixed by ${parts.join(' and ')}`;
}

/** The edits as evidence: all of them when few, else the last ones (the fix is usually last). */
function changeLines(ctx: ForgeContext, edits: Logs['edits']): { line: number; text: string }[] {
  const shown = edits.slice(-MAX_EDITS_FOR_DIFF);
  const lines = shown.map(({ edit, line }) => {
    const file = code(relPath(ctx, edit.path));
    const text =
      edit.before !== null && edit.after !== null && edit.before.length <= 160 && edit.after.length <= 160
        ? `change${at(line)} in ${file}: ${code(edit.before)} → ${code(edit.after)}`
        : `${edit.kind === 'write' ? 'wrote' : 'edited'}${at(line)} ${file}`;
    return { line: line ?? 0, text };
  });
  const earlier = edits.length - shown.length;
  if (earlier > 0) {
    const files = new Set(edits.slice(0, earlier).map((e) => code(relPath(ctx, e.edit.path))));
    lines.unshift({
      line: edits[0]?.line ?? 0,
      text: `${earlier} earlier edit(s) to ${[...files].slice(0, 4).join(', ')}`,
    });
  }
  return lines;
}

/** How to run the command instead: the flags it needed, the folder it runs from, or the whole line. */
function changedHow(before: string, after: string, changedTo: string, failed: string): string {
  const flags = addedFlags(before, after);
  const parts: string[] = [];
  const families = [...new Set(flags.map((f) => f.family))];
  for (const family of families) {
    const added = flags.filter((f) => f.family === family).map((f) => f.flag);
    parts.push(`Add ${added.map((f) => code(f)).join(' ')} to ${code(family)}`);
  }
  const dir = cdOf(after);
  if (dir && dir !== cdOf(before)) parts.push(`Run ${code(commandFamily(after))} from ${code(dir)}`);
  if (parts.length === 0 || (changedTo.length <= 80 && failed.length <= 80)) {
    parts.push(`Run ${code(changedTo)} instead of ${code(failed)}`);
  }
  return `${parts.join('. ')}.`;
}

/** Tokens of a command, without the `cd <dir> &&` prefix and redirections. */
function tokens(command: string): string[] {
  return command
    .replace(/\s+\d?>&?\d?\S*/g, ' ')
    .split(/\s+/)
    .filter(Boolean);
}

function cdOf(command: string): string {
  return /^\s*cd\s+(\S+)\s*&&/.exec(command)?.[1] ?? '';
}

/**
 * Flags the passing command added to a program the failing one also ran (`git add` → `git add -f`),
 * each with that program's family; a new program in the chain (`mix compile && …`) does not count.
 */
function addedFlags(before: string, after: string): { family: string; flag: string }[] {
  const seen = new Map<string, Set<string>>();
  for (const segment of workSegments(before)) {
    const family = commandFamily(segment);
    const set = seen.get(family) ?? new Set<string>();
    for (const t of tokens(segment)) set.add(t);
    seen.set(family, set);
  }
  const added: { family: string; flag: string }[] = [];
  for (const segment of workSegments(after)) {
    const family = commandFamily(segment);
    const set = seen.get(family);
    if (!set) continue;
    for (const t of tokens(segment)) {
      if (t.startsWith('-') && !set.has(t) && !added.some((a) => a.flag === t)) added.push({ family, flag: t });
    }
  }
  return added;
}

/** A changed command that could be the fix: a flag added, or run from another directory. */
function commandChanged(before: string, after: string): boolean {
  return addedFlags(before, after).length > 0 || cdOf(before) !== cdOf(after);
}
