import { describe, expect, it } from 'vitest';
import { unifiedDiff } from './diff.js';

describe('unifiedDiff', () => {
  it('is empty when nothing changed', () => {
    expect(unifiedDiff('a.txt', 'x\ny\n', 'x\ny\n')).toBe('');
  });

  it('shows a created file and a deleted file', () => {
    expect(unifiedDiff('new.json', null, '{\n}\n')).toBe('--- /dev/null\n+++ b/new.json\n@@ -0,0 +1,2 @@\n+{\n+}\n');
    expect(unifiedDiff('old.json', 'a\n', null)).toBe('--- a/old.json\n+++ /dev/null\n@@ -1,1 +0,0 @@\n-a\n');
  });

  it('keeps three lines of context and splits distant changes into hunks', () => {
    const before = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`).join('\n') + '\n';
    const after = before.replace('line 2\n', 'line two\n').replace('line 18\n', 'line eighteen\n');
    const diff = unifiedDiff('f', before, after);
    expect(diff).toContain('@@ -1,5 +1,5 @@\n line 1\n-line 2\n+line two\n line 3\n');
    expect(diff).toContain('@@ -15,6 +15,6 @@\n line 15\n line 16\n line 17\n-line 18\n+line eighteen\n');
  });
});
