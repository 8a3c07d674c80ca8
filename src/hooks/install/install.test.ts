import { mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyTracked, applyUntracked, type Manifest } from '../../lib/tracked.js';
import { upsertBlock } from '../../context/managed-block.js';
import { AGENTS } from '../types.js';
import { hooksStatus, planInstall, planUninstall } from './install.js';

function snapshot(root: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const file = join(dir, name);
      if (statSync(file).isDirectory()) {
        files[`${relative(root, file)}/`] = '';
        walk(file);
      } else files[relative(root, file)] = readFileSync(file, 'utf8');
    }
  };
  walk(root);
  return files;
}

function repoWithUserSettings(): string {
  const root = mkdtempSync(join(tmpdir(), 'ao-install-'));
  mkdirSync(join(root, '.claude'));
  // Odd formatting on purpose: the round trip must give it back byte for byte.
  writeFileSync(
    join(root, '.claude', 'settings.json'),
    '{"permissions":{"allow":["Bash(npm test)"]},\n "hooks": {"PreToolUse": [{"matcher": "Bash", "hooks": [{"type": "command", "command": "./lint.sh"}]}]}}',
  );
  mkdirSync(join(root, '.gemini'));
  writeFileSync(join(root, '.gemini', 'settings.json'), '{\n\t"theme": "Dracula"\n}\n');
  mkdirSync(join(root, '.cursor'));
  writeFileSync(
    join(root, '.cursor', 'hooks.json'),
    '{ "version": 1, "hooks": { "stop": [ { "command": "./notify.sh" } ] } }\n',
  );
  mkdirSync(join(root, '.codex'));
  mkdirSync(join(root, '.opencode'));
  writeFileSync(join(root, 'AGENTS.md'), '# Repo rules\n\nRun npm test.\n');
  return root;
}

describe('install and uninstall', () => {
  it('puts every file back exactly as it was, deleting what it created', () => {
    const root = repoWithUserSettings();
    const before = snapshot(root);
    const manifest: Manifest = { version: 1, command: 'ao', agents: [...AGENTS], files: {} };
    const plan = planInstall(root, AGENTS, 'ao');
    expect(plan.problems).toEqual([]);
    applyTracked(root, manifest, [
      ...plan.changes,
      { path: 'AGENTS.md', before: before['AGENTS.md']!, after: upsertBlock(before['AGENTS.md']!, 'essentials') },
      { path: '.cursor/rules/agentops.mdc', before: null, after: upsertBlock('---\nalwaysApply: true\n---\n', 'x') },
    ]);
    expect(hooksStatus(root, manifest).every((s) => s.missing.length === 0 && !s.editedSince)).toBe(true);
    // A second install changes nothing.
    expect(planInstall(root, AGENTS, 'ao').changes).toEqual([]);
    const undo = planUninstall(root, manifest);
    applyUntracked(root, undo.changes, (p) => manifest.files[p]?.dirs ?? []);
    expect(snapshot(root)).toEqual(before);
  });

  it('takes out only its own entries from a file edited since', () => {
    const root = repoWithUserSettings();
    const manifest: Manifest = { version: 1, command: 'ao', agents: ['claude'], files: {} };
    applyTracked(root, manifest, planInstall(root, ['claude'], 'ao').changes);
    const file = join(root, '.claude', 'settings.json');
    const edited = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    edited.model = 'opus';
    writeFileSync(file, JSON.stringify(edited));
    expect(hooksStatus(root, manifest).find((s) => s.agent === 'claude')?.editedSince).toBe(true);
    applyUntracked(root, planUninstall(root, manifest).changes, () => []);
    const after = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    expect(after).toEqual({
      permissions: { allow: ['Bash(npm test)'] },
      hooks: { PreToolUse: [{ matcher: 'Bash', hooks: [{ type: 'command', command: './lint.sh' }] }] },
      model: 'opus',
    });
  });

  it('leaves a settings file that is not JSON alone, and says so', () => {
    const root = repoWithUserSettings();
    writeFileSync(join(root, '.gemini', 'settings.json'), '{ "theme": "Dracula", // a comment\n}');
    const plan = planInstall(root, ['gemini', 'claude'], 'ao');
    expect(plan.problems).toEqual([expect.stringMatching(/^\.gemini\/settings\.json is not valid JSON/)]);
    expect(plan.changes.map((c) => c.path)).toEqual(['.claude/settings.json']);
  });

  it('does not overwrite an OpenCode plugin of the same name that is not ao’s', () => {
    const root = repoWithUserSettings();
    mkdirSync(join(root, '.opencode', 'plugins'));
    writeFileSync(join(root, '.opencode', 'plugins', 'agentops.js'), 'export const Mine = async () => ({});\n');
    const plan = planInstall(root, ['opencode'], 'ao');
    expect(plan.changes).toEqual([]);
    expect(plan.problems[0]).toMatch(/not ao's plugin/);
    expect(planUninstall(root, null).changes).toEqual([]);
  });
});
