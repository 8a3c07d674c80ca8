import type { CommandDef } from 'citty';
import { rootCommand, runCommands, withErrors, type Lazy } from './run.js';

/**
 * The commands, one line each in this shape: scripts/build.mjs reads the table and makes a bundle
 * of each command, which bin/ao.js runs. This module (main.cjs) serves help and unknown commands.
 */
const COMMANDS: Record<string, Lazy> = {
  sessions: () => import('./commands/sessions.js').then((m) => m.default as CommandDef),
  usage: () => import('./commands/usage.js').then((m) => m.default as CommandDef),
  learn: () => import('./commands/learn.js').then((m) => m.default as CommandDef),
  search: () => import('./commands/search.js').then((m) => m.default as CommandDef),
  inject: () => import('./commands/inject.js').then((m) => m.default as CommandDef),
  forge: () => import('./commands/forge.js').then((m) => m.default as CommandDef),
  eval: () => import('./commands/eval.js').then((m) => m.default as CommandDef),
  flywheel: () => import('./commands/flywheel.js').then((m) => m.default as CommandDef),
  import: () => import('./commands/import.js').then((m) => m.default as CommandDef),
  index: () => import('./commands/index-cmd.js').then((m) => m.default as CommandDef),
  demo: () => import('./commands/demo.js').then((m) => m.default as CommandDef),
  init: () => import('./commands/init.js').then((m) => m.default as CommandDef),
  hook: () => import('./commands/hook.js').then((m) => m.default as CommandDef),
  hooks: () => import('./commands/hooks.js').then((m) => m.default as CommandDef),
  guard: () => import('./commands/guard.js').then((m) => m.default as CommandDef),
  context: () => import('./commands/context.js').then((m) => m.default as CommandDef),
  gate: () => import('./commands/gate.js').then((m) => m.default as CommandDef),
  ratchet: () => import('./commands/ratchet.js').then((m) => m.default as CommandDef),
  risk: () => import('./commands/risk.js').then((m) => m.default as CommandDef),
  council: () => import('./commands/council.js').then((m) => m.default as CommandDef),
};

const ANSI = new RegExp(String.fromCharCode(27) + '\\[[0-9;]*m', 'g');

/**
 * Runs `ao` with the given arguments and resolves to the exit code; only bin/ao.js exits.
 * bin/ao.js answers --version itself and runs each command from its own bundle (`ao hook` from
 * hook-main.ts's), so what reaches this module is help, and argv that names no command.
 */
export async function main(argv: string[]): Promise<number> {
  if (argv.length === 0 || argv.includes('--help') || argv.includes('-h')) {
    return withErrors(argv, async () => {
      const { renderUsage } = await import('citty');
      const [cmd, parent] = await resolveForHelp(await rootCommand(COMMANDS), argv);
      const usage = await renderUsage(cmd, parent);
      // citty colours its usage unconditionally; a pipe or NO_COLOR gets plain text.
      const plain = !process.stdout.isTTY || Boolean(process.env.NO_COLOR);
      process.stdout.write(`${plain ? usage.replace(ANSI, '') : usage}\n`);
      return 0;
    });
  }
  return runCommands(argv, COMMANDS);
}

/** Follows the leading words of argv down the command tree, for `ao sessions list --help`. */
async function resolveForHelp(root: CommandDef, argv: string[]): Promise<[CommandDef, CommandDef | undefined]> {
  let cmd = root;
  let parent: CommandDef | undefined;
  for (const word of argv) {
    if (word.startsWith('-')) break;
    const subs = await resolve(cmd.subCommands);
    const next = subs?.[word];
    if (!next) break;
    parent = cmd;
    cmd = await resolve(next);
  }
  return [cmd, parent];
}

async function resolve<T>(value: T | (() => T | Promise<T>) | Promise<T>): Promise<T> {
  return typeof value === 'function' ? await (value as () => T | Promise<T>)() : await value;
}
