import { describe, expect, it } from 'vitest';
import { inferType, typeFromLabel } from './infer-type.js';

describe('inferType', () => {
  it.each([
    ['Orchestrator Compression Anti-Pattern', 'failure'],
    ['The deploy broke because the cache was cold', 'failure'],
    ['We decided to keep learnings in git', 'decision'],
    ['Workaround for the flaky socket test', 'fix'],
    ['Bo prefers short commit messages', 'preference'],
    ["Don't call `git checkout` in a shared worktree", 'gotcha'],
    ['Never trust the exit code of a pipe', 'gotcha'],
    ['Claude Code: keep the last streamed line', 'convention'],
    ['Use a worktree per agent', 'convention'],
    ['Release notes must list every surface', 'convention'],
    ['Parsing speed is decoding, not JSON', undefined],
    // Words inside code do not count.
    ['`never_retry` is read from the environment', undefined],
  ])('%s → %s', (title, type) => {
    expect(inferType(title)).toBe(type);
  });
});

describe('typeFromLabel', () => {
  it('maps our types, categories of foreign stores, and nothing else', () => {
    expect(typeFromLabel('Gotcha')).toBe('gotcha');
    expect(typeFromLabel('architecture')).toBe('decision');
    expect(typeFromLabel('Post-Mortem')).toBe('failure');
    expect(typeFromLabel('process')).toBe('convention');
    expect(typeFromLabel('debugging')).toBe('fix');
    expect(typeFromLabel('learning')).toBeUndefined();
    expect(typeFromLabel(42)).toBeUndefined();
  });
});
