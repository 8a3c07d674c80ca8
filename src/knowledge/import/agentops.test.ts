import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SHARED_FIXTURES, tempDirs } from '../../test-support/fixture-files.js';
import { parseAgentOpsLearning, readAgentOpsStore } from './agentops.js';
import type { LearningDraft } from './draft.js';

const STORE = join(SHARED_FIXTURES, 'agentops-store');
const temp = tempDirs();
afterAll(() => temp.cleanup());

function byFile(drafts: LearningDraft[], name: string): LearningDraft {
  const found = drafts.find((d) => d.imported?.originalPath.endsWith(`/${name}`));
  if (!found) throw new Error(`no draft from ${name}`);
  return found;
}

describe('readAgentOpsStore on the real Go AgentOps store', async () => {
  const { drafts, problems } = await readAgentOpsStore(STORE);

  it('reads all 14 learnings and 6 patterns without a problem', () => {
    expect(problems).toEqual([]);
    expect(drafts).toHaveLength(20);
    expect(drafts.filter((d) => d.source.transcript?.startsWith('.agents/learnings/'))).toHaveLength(14);
    const patterns = drafts.filter((d) => d.source.transcript?.startsWith('.agents/patterns/'));
    expect(patterns.map((d) => d.type)).toEqual(Array(6).fill('pattern'));
    for (const d of drafts) {
      expect(d.title).not.toMatch(/^(Learning|Pattern):/);
      expect(d.title.length).toBeGreaterThan(0);
      expect(d.body).not.toMatch(/^# /);
      expect(d.body).not.toMatch(/^---/);
      expect(d.source.agent).toBe('import');
      expect(d.imported?.originalPath).toBe(d.source.transcript);
      expect(d.confidence).toBeGreaterThan(0);
      expect(d.confidence).toBeLessThanOrEqual(1);
      expect(Number.isNaN(Date.parse(d.created))).toBe(false);
    }
  });

  it('maps a release postmortem: title without its prefix, category, date, utility as confidence', () => {
    const d = byFile(drafts, '2026-04-07-v2.35.0-release-postmortem.md');
    expect(d.title).toBe('v2.35.0 Release Process — CI Failure Cascade');
    expect(d.type).toBe('convention');
    expect(d.tags).toEqual(['process']);
    expect(d.created).toBe('2026-04-07T00:00:00.000Z');
    expect(d.confidence).toBe(0.8);
    expect(d.source).toEqual({
      agent: 'import',
      transcript: '.agents/learnings/2026-04-07-v2.35.0-release-postmortem.md',
    });
    expect(d.imported).toEqual({
      originalPath: '.agents/learnings/2026-04-07-v2.35.0-release-postmortem.md',
      maturity: 'provisional',
      utility: 0.8,
      helpful: 0,
      harmful: 0,
      rewards: 0,
    });
    expect(d.body.startsWith('## What We Learned\n\n### L1: Local CI gate')).toBe(true);
    expect(d.body.endsWith('68 commits, 4 tag rewrites, 3 CI fix cycles.')).toBe(true);
    expect(d.extra).toBeUndefined();
  });

  it('keeps the rich front matter of an anti-pattern learning', () => {
    const d = byFile(drafts, '2026-04-19-orchestrator-compression-anti-pattern.md');
    expect(d.title).toBe('Orchestrator Compression Anti-Pattern');
    expect(d.type).toBe('failure');
    expect(d.tags).toEqual(['rpi', 'orchestrator', 'delegation', 'anti-pattern', 'skills', 'orchestrator-compression']);
    expect(d.source.session).toBe('2026-04-19 rpi-dag-hardening');
    expect(d.confidence).toBe(0.2853);
    expect(d.imported).toMatchObject({
      maturity: 'established',
      utility: 0.8255,
      helpful: 2,
      harmful: 0,
      rewards: 2,
      originalId: 'learning-2026-04-19-orchestrator-compression',
    });
    expect(d.extra).toMatchObject({
      status: 'active',
      applicable_when: expect.stringContaining('invoking /rpi') as unknown,
      detection_question: expect.stringContaining('Did the top-level orchestrator skill') as unknown,
      evidence: [
        '.agents/rpi/phase-3-summary-2026-04-19-mkdocs-material-docs-rebuild.md',
        '.agents/rpi/phase-3-summary-2026-04-19-mkdocs-material-docs-rebuild-cycle2.md',
      ],
      last_reward_at: '2026-04-23T20:41:42-04:00',
    });
    expect(d.extra).not.toHaveProperty('source');
    expect(d.extra).not.toHaveProperty('tags');
  });

  it('types by category, wording and inline **Category** lines', () => {
    expect(byFile(drafts, '2026-04-12-yagni-bridge-not-clone.md')).toMatchObject({
      title: "Bridge existing systems, don't clone them in a different language",
      type: 'decision',
      confidence: 0.9,
    });
    const scrub = byFile(drafts, '2026-04-14-scrub-rpi-runtime-from-raw-validation.md');
    expect(scrub).toMatchObject({ type: 'fix', tags: ['debugging'], confidence: 0.85 });
    const deadlock = byFile(drafts, '2026-04-22-close-loop-citation-gate-deadlock.md');
    expect(deadlock).toMatchObject({ type: 'failure', confidence: 0.9 });
    expect(deadlock.tags).toContain('flywheel-throughput-deadlock');
    const quick = byFile(drafts, '2026-04-19-quick-strict-delegation-70min-meta-change.md');
    expect(quick).toMatchObject({
      title: 'Strict Sub-Skill Delegation Pays for Its Cost',
      type: 'convention',
      tags: ['process'],
      confidence: 0.6,
      extra: { source: 'retro-quick', source_phase: 'validate' },
    });
    expect(quick.body.startsWith('**Category**: process\n**Confidence**: medium')).toBe(true);
  });

  it('reads patterns: name as tag, counters, dates from the file name', () => {
    const council = byFile(drafts, '2026-02-21-council-judges-pattern.md');
    expect(council).toMatchObject({
      title: 'Council Judges Pattern',
      type: 'pattern',
      tags: ['council-judges-pattern'],
      created: '2026-02-21T00:00:00.000Z',
      confidence: 0.8,
      imported: { maturity: 'established', utility: 0.8 },
    });
    const preTag = byFile(drafts, 'pre-tag-ci-validation.md');
    expect(preTag).toMatchObject({ title: 'Pre-Tag CI Validation', confidence: 0.1571 });
    expect(preTag.imported).toMatchObject({ helpful: 1, rewards: 1, utility: 0.8 });
    expect(preTag.extra).toMatchObject({ last_reward: 0.8 });
  });

  it('keeps a file holding several learnings as one draft, body intact', () => {
    const d = byFile(drafts, '2026-04-12-tier1-forge-implementation-wins.md');
    expect(d.title).toBe('Spike-validated prompt templates should be copied verbatim');
    expect(d.body).toContain('\n---\n\n# Learning: 40-LOC cobra wiring budget forced clean architecture\n');
  });
});

describe('readAgentOpsStore locations', () => {
  it('accepts the .agents folder and a single learnings or patterns folder', async () => {
    expect((await readAgentOpsStore(join(STORE, '.agents'))).drafts).toHaveLength(20);
    const learnings = await readAgentOpsStore(join(STORE, '.agents', 'learnings'));
    expect(learnings.drafts).toHaveLength(14);
    expect(learnings.drafts[0]!.source.transcript).toBe('.agents/learnings/2026-04-07-v2.35.0-release-postmortem.md');
    const patterns = await readAgentOpsStore(join(STORE, '.agents', 'patterns'));
    expect(patterns.drafts.map((d) => d.type)).toEqual(Array(6).fill('pattern'));
  });

  it('reports a folder without a store instead of throwing', async () => {
    const missing = await readAgentOpsStore(join(temp.make(), 'nope'));
    expect(missing.drafts).toEqual([]);
    expect(missing.problems).toHaveLength(1);
    expect(missing.problems[0]!.message).toMatch(/no AgentOps store/);
  });
});

describe('readAgentOpsStore on broken files', () => {
  it('reports broken front matter with its line and imports the rest', async () => {
    const root = temp.make();
    const dir = join(root, '.agents', 'learnings');
    mkdirSync(dir, { recursive: true });
    const files: Record<string, string> = {
      'good.md': '---\ndate: 2026-03-01\ncategory: process\n---\n\n# Learning: Good one\n\nBody.\n',
      'unterminated.md': '---\ndate: 2026-03-01\n\n# Never closed\n',
      'duplicate-key.md': '---\ndate: 2026-03-01\ncategory: a\ncategory: b\n---\n# Dup\n',
      'bad-indent.md': '---\ndate: 2026-03-01\ntags: a: b\n---\n# Bad\n',
      'a-list.md': '---\n- one\n- two\n---\n# List\n',
      'scalar.md': '---\n\njust words\n---\n# Scalar\n',
      'crlf.md': '---\r\ndate: 2026-03-02\r\n---\r\n# Learning: Windows lines\r\n\r\nText.\r\n',
      'no-front-matter.md': '# Plain markdown\n\nStill a learning.\n',
      'README.md': '# About this folder\n',
      'INDEX.md': '# Index\n',
      '_index.md': '# Index\n',
      'notes.txt': 'not markdown',
    };
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);

    const { drafts, problems } = await readAgentOpsStore(root);
    expect(drafts.map((d) => d.title).sort()).toEqual(['Good one', 'Plain markdown', 'Windows lines']);
    const lines = Object.fromEntries(problems.map((p) => [p.file.slice(dir.length + 1), p.line]));
    expect(lines).toEqual({
      'a-list.md': 2,
      'bad-indent.md': 3,
      'duplicate-key.md': 4,
      'scalar.md': 3,
      'unterminated.md': 1,
    });
    expect(problems.find((p) => p.file.endsWith('a-list.md'))!.message).toMatch(/list, not a mapping/);
    expect(problems.find((p) => p.file.endsWith('duplicate-key.md'))!.message).toMatch(/unique/);
    expect(problems.find((p) => p.file.endsWith('duplicate-key.md'))!.message).not.toMatch(/at line/);
    const crlf = drafts.find((d) => d.title === 'Windows lines')!;
    expect(crlf).toMatchObject({ body: 'Text.', created: '2026-03-02T00:00:00.000Z' });
  });
});

describe('parseAgentOpsLearning', () => {
  const from = {
    path: '.agents/learnings/2026-05-01-some-thing.md',
    folder: 'learnings',
    modified: '2026-06-01T00:00:00.000Z',
  };

  it('falls back to the file name for the title and date, and to 0.5 confidence', () => {
    const result = parseAgentOpsLearning('---\nmaturity: candidate\n---\nJust text.\n', from);
    expect(result).toMatchObject({
      draft: { title: 'Some thing', created: '2026-05-01T00:00:00.000Z', confidence: 0.5, body: 'Just text.' },
    });
  });

  it('honours an explicit type, string tags and a front matter title', () => {
    const text = '---\ntitle: "Learning: Use the queue"\ntype: decision\ntags: a, b c\nconfidence: 80\n---\nWhy.\n';
    const result = parseAgentOpsLearning(text, { ...from, path: 'x.md', modified: '2026-06-01T00:00:00.000Z' });
    expect(result).toMatchObject({
      draft: {
        title: 'Use the queue',
        type: 'decision',
        tags: ['a', 'b', 'c'],
        confidence: 0.8,
        created: from.modified,
      },
    });
  });
});
