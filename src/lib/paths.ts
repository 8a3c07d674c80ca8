import { homedir } from 'node:os';
import { join } from 'node:path';

/** The per-user AgentOps folder: learnings across repositories and the session cache. */
export function aoHome(env: NodeJS.ProcessEnv = process.env): string {
  return env.AO_HOME || join(homedir(), '.agents');
}

/** Where the session cache lives (an index file and a SQLite file of parser states). */
export function sessionCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(aoHome(env), 'cache');
}
