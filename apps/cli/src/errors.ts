/**
 * Exit codes a script can rely on. Messages go to stderr and say what to do next.
 * 5 covers what is nobody's input mistake: the server failed, or the data could not be read whole.
 */
export const EXIT = {
  ok: 0,
  usage: 1,
  validation: 2,
  conflict: 3,
  unreachable: 4,
  failed: 5,
  /** Stopped by Ctrl-C (SIGINT): 128 + 2, as shells report it. */
  interrupted: 130,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export class CliError extends Error {
  constructor(
    readonly exitCode: ExitCode,
    message: string,
    /** Further lines for stderr (failing paths, hints). */
    readonly details: readonly string[] = [],
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export const usageError = (message: string, ...details: string[]) =>
  new CliError(EXIT.usage, message, details);
export const validationError = (message: string, ...details: string[]) =>
  new CliError(EXIT.validation, message, details);
