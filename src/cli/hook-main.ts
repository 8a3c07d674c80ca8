import { hookMain } from './commands/hook-run.js';

/**
 * `ao hook <event>` as the build's bundle for it (dist/cli/cmd-hook.cjs) runs it: straight to
 * hook-run.ts, without citty (the agents run it on every prompt and tool call, and a usage
 * mistake must not exit 2, which some agents read as "block").
 */
export function main(argv: string[]): Promise<number> {
  return hookMain(argv.slice(1));
}
