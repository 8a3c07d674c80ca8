/** A mistake the user can fix: shown as a message with what to do, never with a stack. */
export class UserError extends Error {
  readonly exitCode: number;
  constructor(message: string, options: { cause?: unknown; exitCode?: number } = {}) {
    super(message, { cause: options.cause });
    this.name = 'UserError';
    this.exitCode = options.exitCode ?? 2;
  }
}

/** Ends the command with an exit code, quietly: whatever needed saying was said. */
export class ExitError extends Error {
  readonly exitCode: number;
  constructor(exitCode: number) {
    super(`exit ${exitCode}`);
    this.name = 'ExitError';
    this.exitCode = exitCode;
  }
}

/** A broken invariant inside ao: the user is asked to report it. */
export class InternalError extends Error {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'InternalError';
  }
}
