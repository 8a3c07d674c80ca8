import { hookMain } from './commands/hook-run.js';

/**
 * `ao hook <event>` alone, built into one bundle of its own like hot-inject.ts: the agents run
 * it on every prompt and tool call.
 */
export function main(argv: string[]): Promise<number> {
  return hookMain(argv.slice(1));
}
