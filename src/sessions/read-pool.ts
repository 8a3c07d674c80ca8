import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import type * as WorkerThreads from 'node:worker_threads';
import type { Worker } from 'node:worker_threads';
import { type ReadJob, type ReadResult, readSource } from './read-source.js';

/** Below this much to read, threads cost more to start than they save. */
const MIN_BYTES_FOR_THREADS = 48 * 1024 * 1024;
const MAX_THREADS = 8;

/**
 * Reads sources on worker threads, largest first, each thread taking the next job when it is
 * free; falls back to this thread for small work or when threads cannot start. `AO_THREADS`
 * overrides the thread count (0 reads on this thread).
 */
export async function readAll(
  jobs: ReadJob[],
  onProgress: (index: number, bytes: number) => void,
  env: NodeJS.ProcessEnv = process.env,
): Promise<(ReadResult | null)[]> {
  const results: (ReadResult | null)[] = new Array<ReadResult | null>(jobs.length).fill(null);
  const bytes = jobs.reduce((n, j) => n + j.size - j.offset, 0);
  const forced = env.AO_THREADS === undefined ? undefined : Number(env.AO_THREADS);
  const threads =
    forced !== undefined && Number.isInteger(forced) && forced >= 0
      ? Math.min(forced, jobs.length)
      : bytes < MIN_BYTES_FOR_THREADS || jobs.length < 2
        ? 0
        : Math.min(availableParallelism(), MAX_THREADS, jobs.length);
  const order = jobs.map((_, i) => i).sort((a, b) => jobSize(jobs[b]) - jobSize(jobs[a]));
  const done = threads > 0 ? await readOnThreads(jobs, order, threads, results, onProgress) : new Set<number>();
  // Whatever the threads did not do (none started, or one died) is read here.
  for (const i of order) {
    const job = jobs[i];
    if (done.has(i) || !job) continue;
    results[i] = await readSource(job, (b) => onProgress(i, b));
  }
  return results;
}

function jobSize(job: ReadJob | undefined): number {
  return job ? job.size - job.offset : 0;
}

async function readOnThreads(
  jobs: ReadJob[],
  order: number[],
  threads: number,
  results: (ReadResult | null)[],
  onProgress: (index: number, bytes: number) => void,
): Promise<Set<number>> {
  const done = new Set<number>();
  // Required here, not imported at the top: a run that needs no threads never loads the module.
  const { Worker } = createRequire(import.meta.url)('node:worker_threads') as typeof WorkerThreads;
  // Under a TypeScript test runner this module is source, and the worker is only in dist/.
  const url = new URL('./read-worker.cjs', import.meta.url);
  if (!existsSync(fileURLToPath(url))) return done;
  let next = 0;
  const run = (): Promise<void> =>
    new Promise((resolve) => {
      let worker: Worker;
      try {
        worker = new Worker(url);
      } catch {
        resolve();
        return;
      }
      const feed = (): void => {
        const index = order[next++];
        if (index === undefined) {
          void worker.terminate().then(() => resolve());
          return;
        }
        worker.postMessage({ index, job: jobs[index] });
      };
      worker.on(
        'message',
        (m: { kind: 'progress' | 'done'; index: number; bytes?: number; result?: ReadResult | null }) => {
          if (m.kind === 'progress') onProgress(m.index, m.bytes ?? 0);
          else {
            results[m.index] = m.result ?? null;
            done.add(m.index);
            feed();
          }
        },
      );
      // A thread that fails leaves its jobs to the caller, which reads them on the main thread.
      worker.on('error', () => resolve());
      worker.on('exit', () => resolve());
      feed();
    });
  await Promise.all(Array.from({ length: threads }, run));
  return done;
}
