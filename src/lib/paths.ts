import { homedir } from 'node:os';
import { join } from 'node:path';

/** The per-user AgentOps folder: learnings across repositories and the session cache. */
export function aoHome(env: NodeJS.ProcessEnv = process.env): string {
  return env.AO_HOME || join(homedir(), '.agents');
}

export function sessionCachePath(env: NodeJS.ProcessEnv = process.env): string {
  return join(aoHome(env), 'cache', 'sessions.db');
}
