import { fstatSync, readFileSync } from 'node:fs';
import { runHook, writeHookLog } from '../../hooks/run.js';
import { AGENTS, HOOK_EVENTS, type AgentName, type HookEventName } from '../../hooks/types.js';
import { err, outRaw } from '../output.js';

/**
 * Runs one hook from raw argv and returns the exit code. Usage mistakes exit 1, never 2: to
 * Claude Code and Gemini CLI exit 2 means "block", and a broken install must not block the agent.
 */
export async function hookMain(argv: readonly string[]): Promise<number> {
  const parsed = parseArgs(argv);
  if (typeof parsed === 'string') {
    err(`ao hook: ${parsed}`);
    return 1;
  }
  if (interactive()) {
    err("ao hook: reads the agent's payload on stdin (it is what `ao init` installs in the agents' settings)");
    return 1;
  }
  let stdin: string;
  try {
    stdin = readFileSync(0, 'utf8');
  } catch {
    stdin = '';
  }
  let run;
  try {
    run = await runHook(parsed.event, parsed.agent, stdin, {
      ...(parsed.timeoutMs !== undefined ? { timeoutMs: parsed.timeoutMs } : {}),
      guardFailOpen: parsed.guardFailOpen,
    });
  } catch (error) {
    // runHook answers its own errors; this is a bug, and a hook never breaks the agent for it.
    err(`ao hook: unexpected error: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
  writeHookLog(run.log);
  if (run.answer.stdout) outRaw(run.answer.stdout);
  if (run.answer.stderr) err(run.answer.stderr);
  return run.answer.exitCode;
}

interface HookArgs {
  event: HookEventName;
  agent: AgentName;
  timeoutMs?: number;
  guardFailOpen: boolean;
}

function parseArgs(argv: readonly string[]): HookArgs | string {
  let event: string | undefined;
  let agent: string | undefined;
  let timeout: string | undefined;
  let guardFailOpen = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] =
      arg.startsWith('--') && arg.includes('=')
        ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
        : [arg, undefined];
    if (flag === '--agent') agent = inline ?? argv[++i];
    else if (flag === '--timeout') timeout = inline ?? argv[++i];
    else if (flag === '--guard-fail-open') guardFailOpen = true;
    else if (flag.startsWith('-')) return `unknown option ${flag}`;
    else if (event === undefined) event = arg;
    else return `unexpected argument ${arg}`;
  }
  if (!event || !(HOOK_EVENTS as readonly string[]).includes(event))
    return `the event must be one of ${HOOK_EVENTS.join(', ')}${event ? `, not "${event}"` : ''}`;
  if (!agent || !(AGENTS as readonly string[]).includes(agent))
    return `--agent must be one of ${AGENTS.join(', ')}${agent ? `, not "${agent}"` : ''}`;
  let timeoutMs: number | undefined;
  if (timeout !== undefined) {
    timeoutMs = Number(timeout);
    if (!Number.isInteger(timeoutMs) || timeoutMs < 50 || timeoutMs > 600_000)
      return `--timeout must be a whole number of ms from 50 to 600000, not "${timeout}"`;
  }
  return {
    event: event as HookEventName,
    agent: agent as AgentName,
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    guardFailOpen,
  };
}

/** A terminal on stdin: someone typed the command. (node:tty would load the net module: ~2 ms.) */
function interactive(): boolean {
  try {
    return fstatSync(0).isCharacterDevice() && !fstatSync(0).isFIFO();
  } catch {
    return false;
  }
}
