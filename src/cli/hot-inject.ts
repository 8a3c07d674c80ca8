import type { CommandDef } from 'citty';
import inject from './commands/inject.js';
import { runCommands } from './run.js';

/**
 * `ao inject` alone. An agent's hook runs it on every prompt, so the build makes this file one
 * bundle of its own, without the chunks the rest of the CLI shares: every file Node resolves
 * and links is start-up time (scripts/build.mjs; bin/ao.js picks this entry).
 */
export function main(argv: string[]): Promise<number> {
  return runCommands(argv, { inject: () => Promise.resolve(inject as CommandDef) });
}
