import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InternalError } from '../../lib/errors.js';
import { bold, dim, out } from '../output.js';
import { runSessionsList } from './sessions-list.js';
import { runSessionsShow } from './sessions-show.js';
import { runUsage } from './usage-run.js';

/**
 * The bundled samples: <package>/samples. This code runs from src/cli/commands/ under the test
 * runner and from a chunk in dist/cli/ when built, so look upward for the package root.
 */
export function samplesDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (let dir = dirname(here); dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) {
      const samples = join(dir, 'samples');
      if (existsSync(samples)) return samples;
      break;
    }
  }
  throw new InternalError(`bundled samples are missing (looked above ${here})`);
}

const DEMO_SESSION = 'ae4a77f8';

/** Walks through what ao does today, on real transcripts that ship with it. */
export async function runDemo(options: { json: boolean }): Promise<void> {
  const source = samplesDir();
  const common = { source, cache: false };
  if (options.json) {
    await runUsage({ ...common, by: 'agent', json: true });
    return;
  }
  out(bold('AgentOps demo: reading the sample transcripts bundled with ao'));
  out(dim(`source: ${source}\n`));
  out(bold('1. Usage by agent  (ao usage --by agent)'));
  await runUsage({ ...common, by: 'agent', tz: 'UTC' });
  out('');
  out(bold('2. Usage by model  (ao usage --by model)'));
  await runUsage({ ...common, by: 'model', tz: 'UTC' });
  out('');
  out(bold('3. Sessions, with cost and peak context use  (ao sessions list)'));
  await runSessionsList(common);
  out('');
  out(bold(`4. One session as a timeline  (ao sessions show ${DEMO_SESSION} --events 25)`));
  await runSessionsShow({ ...common, id: DEMO_SESSION, events: '25' });
  out('');
  out(dim('Run the same commands without --source to read the agents on this machine; add --json for data.'));
}
