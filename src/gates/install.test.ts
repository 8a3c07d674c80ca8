import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hookScript, installPreCommit, MARKER, preCommitInstalled, uninstallPreCommit } from './install.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function repo(): string {
  const dir = mkdtempSync(join(os.tmpdir(), 'ao-install-'));
  dirs.push(dir);
  spawnSync('git', ['init', '-q', dir]);
  return dir;
}

describe('the pre-commit hook', () => {
  it('installs, is idempotent, and uninstalls', () => {
    const root = repo();
    const first = installPreCommit(root, 'ao');
    expect(first.outcome).toBe('written');
    expect(first.file).toBe(join(root, '.git', 'hooks', 'pre-commit'));
    expect(statSync(first.file).mode & 0o111).not.toBe(0);
    expect(readFileSync(first.file, 'utf8')).toContain('exec ao gate run --stage pre-commit --via pre-commit');
    expect(preCommitInstalled(root)).toBe(true);
    expect(installPreCommit(root, 'ao').outcome).toBe('unchanged');
    expect(installPreCommit(root, 'npx ao').outcome).toBe('written');
    expect(uninstallPreCommit(root)).toEqual({ file: first.file, removed: true });
    expect(existsSync(first.file)).toBe(false);
    expect(uninstallPreCommit(root).removed).toBe(false);
  });

  it("keeps the user's own hook, runs it first, and puts it back", () => {
    const root = repo();
    const file = join(root, '.git', 'hooks', 'pre-commit');
    mkdirSync(join(root, '.git', 'hooks'), { recursive: true });
    writeFileSync(file, '#!/bin/sh\necho mine\n');
    chmodSync(file, 0o755);
    const r = installPreCommit(root, 'ao');
    expect(r.outcome).toBe('chained');
    expect(r.kept).toBe(join(root, '.git', 'hooks', 'pre-commit.local'));
    expect(readFileSync(file, 'utf8')).toContain('pre-commit.local" "$@" || exit $?');
    expect(installPreCommit(root, 'ao').outcome).toBe('unchanged');
    expect(uninstallPreCommit(root).restored).toBe(file);
    expect(readFileSync(file, 'utf8')).toBe('#!/bin/sh\necho mine\n');
  });

  it('follows core.hooksPath', () => {
    const root = repo();
    spawnSync('git', ['config', 'core.hooksPath', '.husky'], { cwd: root });
    const r = installPreCommit(root, 'ao');
    expect(r.file).toBe(join(root, '.husky', 'pre-commit'));
  });

  it('refuses the commit with a clear message when ao is not on PATH', () => {
    const root = repo();
    const script = join(root, 'hook.sh');
    writeFileSync(script, hookScript('ao-not-installed-anywhere', false));
    const r = spawnSync('sh', [script], { cwd: root, encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/is not on PATH/);
    expect(hookScript('ao', true)).toContain(MARKER);
  });
});
