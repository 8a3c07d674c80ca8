import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The shared, read-only fixtures beside the repository (`../shared/fixtures`). */
export const SHARED_FIXTURES = fileURLToPath(new URL('../../../shared/fixtures/', import.meta.url));
export const SPOTTER = join(SHARED_FIXTURES, 'claude-code', 'spotter');
export const EDGE_CASES = join(SHARED_FIXTURES, 'claude-code', 'edge-cases');
/** The repository's own fixtures for the other agents (`samples/`). */
export const REPO_FIXTURES = fileURLToPath(new URL('../../samples/', import.meta.url));
/** Fixtures only tests read (not shipped to `ao demo`): planted secrets. */
export const TEST_FIXTURES = fileURLToPath(new URL('../../test/fixtures/', import.meta.url));

/**
 * Totals for the whole spotter folder, computed independently of ao (dedupe by
 * message.id + requestId keeping the largest output_tokens; progress records skipped).
 */
export const SPOTTER_TOTALS = {
  inputTokens: 9141,
  outputTokens: 195794,
  cacheCreationTokens: 2065675,
  cacheReadTokens: 77328535,
  replies: 899,
} as const;

/** Every `.jsonl` file under a folder, sorted, so that tests run in a stable order. */
export function listJsonl(dir: string): string[] {
  const out: string[] = [];
  const visit = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) visit(p);
      else if (e.name.endsWith('.jsonl')) out.push(p);
    }
  };
  visit(dir);
  return out.sort();
}

/** Temp folders for one test file; `cleanup` (in afterEach/afterAll) removes them all. */
export function tempDirs(): { make(): string; cleanup(): void } {
  const made: string[] = [];
  return {
    make() {
      const dir = mkdtempSync(join(os.tmpdir(), 'ao-'));
      made.push(dir);
      return dir;
    },
    cleanup() {
      for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
    },
  };
}
