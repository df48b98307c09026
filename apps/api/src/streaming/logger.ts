/** The slice of Nest's LoggerService the streaming components use; messages are structured objects. */
export interface Logger {
  log(message: Record<string, unknown>): void;
  warn(message: Record<string, unknown>): void;
  error(message: Record<string, unknown>): void;
}

/** JSON lines on stdout: the fallback when no Nest logger is injected (tests, CLI). */
export const jsonLogger = (context: string): Logger => {
  const write = (level: string, message: Record<string, unknown>) =>
    process.stdout.write(
      `${JSON.stringify({ level, time: new Date().toISOString(), context, ...message })}\n`,
    );
  return {
    log: (m) => write('info', m),
    warn: (m) => write('warn', m),
    error: (m) => write('error', m),
  };
};
