/**
 * What every extractor shares: the session, its project root, provenance and scope helpers, and
 * the draft shape that extract.ts de-duplicates.
 */

import type { SessionDetail, TimelineEvent } from '../../sessions/types.js';
import type { Candidate, LearningSource } from '../types.js';

/** A candidate plus the keys it claims (sentences, signatures): two drafts sharing one are duplicates. */
export interface Draft {
  candidate: Candidate;
  keys: string[];
}

export interface ForgeContext {
  detail: SessionDetail;
  /** Project root for relative paths: the option, else the session's working directory. */
  root: string | null;
  /** Set on subagent sessions: their prompts were written by the parent agent, not a person. */
  subagent: boolean;
}

export function contextOf(detail: SessionDetail, projectRoot?: string): ForgeContext {
  const root = trimSlash(projectRoot ?? detail.summary.project ?? null);
  return { detail, root, subagent: detail.summary.parentId !== null };
}

function trimSlash(path: string | null): string | null {
  if (!path) return null;
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

/** A path relative to the project root when inside it. */
export function relPath(ctx: ForgeContext, path: string): string {
  if (ctx.root && path.startsWith(`${ctx.root}/`)) return path.slice(ctx.root.length + 1);
  return path;
}

/** Relative paths inside a text (absolute paths under the root lose their prefix). */
export function relText(ctx: ForgeContext, text: string): string {
  if (!ctx.root || ctx.root === '/') return text;
  return text.split(`${ctx.root}/`).join('');
}

/** Provenance of the evidence at one timeline event (or a line/time given directly). */
export function sourceOf(
  ctx: ForgeContext,
  at: { line?: number; timestamp: string | null } | TimelineEvent,
): LearningSource {
  const s = ctx.detail.summary;
  return {
    agent: s.agent,
    session: s.id,
    transcript: relPath(ctx, s.file),
    line: at.line,
    time: at.timestamp ?? undefined,
  };
}

/**
 * Scope globs for a learning about these files: one file → that file; two or three under one
 * directory → `dir/**`; otherwise none (the learning is about the repository, not a place in it).
 */
export function scopeOf(ctx: ForgeContext, files: readonly string[]): string[] {
  const rel = [...new Set(files.map((f) => relPath(ctx, f)))].filter((f) => !f.startsWith('/') && !f.startsWith('..'));
  if (rel.length === 0 || rel.length !== new Set(files).size) return [];
  if (rel.length === 1) return rel;
  if (rel.length > 3) return [];
  const dirs = rel.map((f) => f.slice(0, Math.max(0, f.lastIndexOf('/'))));
  const common = commonDir(dirs);
  return common ? [`${common}/**`] : [];
}

function commonDir(dirs: string[]): string {
  let common = dirs[0] ?? '';
  for (const dir of dirs) {
    while (common && dir !== common && !dir.startsWith(`${common}/`)) {
      common = common.slice(0, Math.max(0, common.lastIndexOf('/')));
    }
  }
  return common;
}

/** Clamps a confidence to 0..1 with two decimals. */
export function confidence(value: number): number {
  return Math.round(Math.min(1, Math.max(0, value)) * 100) / 100;
}

/** Joins body sections, skipping empty ones: `**What**`, `**Why**`, `**How to apply**`, `**Evidence**`. */
export function bodyOf(sections: { what: string; why?: string; how?: string; evidence: string[] }): string {
  const parts = [`**What**\n${sections.what}`];
  if (sections.why) parts.push(`**Why**\n${sections.why}`);
  if (sections.how) parts.push(`**How to apply**\n${sections.how}`);
  if (sections.evidence.length > 0) parts.push(`**Evidence**\n${sections.evidence.map((e) => `- ${e}`).join('\n')}`);
  return parts.join('\n\n');
}

/** Line reference for evidence lists. */
export function at(line: number | undefined): string {
  return line === undefined ? '' : ` (line ${line})`;
}
