import { ExitError, InternalError, UserError } from '../lib/errors.js';
import { err, stripAnsi } from './output.js';

/** The one place that turns an error into a message and an exit code. */
export function handleError(error: unknown, argv: string[]): number {
  if (error instanceof ExitError) return error.exitCode;
  if (error instanceof UserError) {
    err(`ao: ${error.message}`);
    return error.exitCode;
  }
  // citty's own argument errors (unknown command, missing argument) are user errors too.
  if (error instanceof Error && error.name === 'CLIError') {
    err(`ao: ${stripAnsi(error.message)}`);
    err(
      `Run "ao ${argv
        .filter((a) => !a.startsWith('-'))
        .slice(0, 2)
        .join(' ')} --help" for usage.`.replace('  ', ' '),
    );
    return 2;
  }
  const internal = error instanceof InternalError ? 'internal error' : 'unexpected error';
  err(`ao: ${internal}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  err('This is a bug in ao; please report it with the command you ran.');
  return 1;
}
