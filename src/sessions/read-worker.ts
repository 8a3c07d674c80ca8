import { parentPort } from 'node:worker_threads';
import { type ReadJob, readSource } from './read-source.js';

/** A worker thread of the read pool: reads the sources it is sent, one at a time. */
const PROGRESS_STEP = 4 * 1024 * 1024;

parentPort?.on('message', (message: { index: number; job: ReadJob }) => {
  let reported = message.job.offset;
  void readSource(message.job, (bytes) => {
    if (bytes - reported >= PROGRESS_STEP) {
      parentPort?.postMessage({ kind: 'progress', index: message.index, bytes });
      reported = bytes;
    }
  }).then((result) => parentPort?.postMessage({ kind: 'done', index: message.index, result }));
});
