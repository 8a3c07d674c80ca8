import { hookMain } from './commands/hook-run.js';

/**
 * `ao hook <event>` as the build's bundle for it (dist/cli/cmd-hook.cjs) runs it: straight to
 * hook-run.ts, without citty, as main.ts does (the agents run it on every prompt and tool call).
 */
export function main(argv: string[]): Promise<number> {
  return hookMain(argv.slice(1));
}
