import { isRecord, str } from '../../lib/json.js';
import { PayloadError, type Answer, type HookEvent, type HookEventName } from '../types.js';

/** The fields most agents share, read without trusting their types. */
export function baseEvent(event: HookEventName, payload: Record<string, unknown>, cwd: string | null): HookEvent {
  const dir = cwd ?? str(payload.cwd);
  if (!dir) throw new PayloadError('the payload has no cwd');
  return {
    event,
    sessionId: str(payload.session_id),
    cwd: dir,
    transcriptPath: str(payload.transcript_path),
  };
}

/** A required string field, or a PayloadError naming it. */
export function need(payload: Record<string, unknown>, key: string): string {
  const value = payload[key];
  if (typeof value !== 'string') throw new PayloadError(`the payload has no ${key}`);
  return value;
}

/** Whether a tool's response says it failed (an error flag, a non-zero exit, an error text). */
export function responseFailed(response: unknown): boolean {
  if (!isRecord(response)) return false;
  if (response.is_error === true || response.isError === true || response.success === false) return true;
  for (const key of ['exit_code', 'exitCode', 'returncode']) {
    const code = response[key];
    if (typeof code === 'number' && code !== 0) return true;
  }
  return typeof response.error === 'string' && response.error !== '';
}

export function json(value: Record<string, unknown>): Answer {
  return { stdout: `${JSON.stringify(value)}\n`, stderr: '', exitCode: 0 };
}
