import type { CommandDef } from 'citty';
import { VERSION } from '../version.js';

/** A subcommand, loaded when used. */
export type Lazy = () => Promise<CommandDef>;

const DESCRIPTION = 'AgentOps: the operational layer for coding agents';

/** The `ao` command over the given subcommands. */
export async function rootCommand(subCommands: Record<string, Lazy>): Promise<CommandDef> {
  const { defineCommand } = await import('citty');
  return defineCommand({ meta: { name: 'ao', version: VERSION, description: DESCRIPTION }, subCommands });
}

/** Runs argv on the command tree. */
export function runCommands(argv: string[], subCommands: Record<string, Lazy>): Promise<number> {
  return withErrors(argv, async () => {
    const { runCommand } = await import('citty');
    await runCommand(await rootCommand(subCommands), { rawArgs: argv });
    return 0;
  });
}

/** Runs an action; any error becomes its message on stderr and an exit code (errors.ts). */
export async function withErrors(argv: string[], action: () => Promise<number>): Promise<number> {
  try {
    return await action();
  } catch (error) {
    const { handleError } = await import('./errors.js');
    return handleError(error, argv);
  }
}
