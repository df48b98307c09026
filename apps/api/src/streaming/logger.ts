import { Logger as NestLogger } from '@nestjs/common';
import { AppLogger } from '../logging/logger.js';

/** The slice of Nest's LoggerService the streaming components use; messages are structured objects. */
export interface Logger {
  log(message: Record<string, unknown>): void;
  warn(message: Record<string, unknown>): void;
  error(message: Record<string, unknown>): void;
}

/** JSON lines on stdout in the process's one shape: for components run without Nest (tests, tools). */
export const jsonLogger = (component: string): Logger => {
  const logger = new AppLogger({ level: 'log', format: 'json' });
  return {
    log: (m) => logger.log(m, component),
    warn: (m) => logger.warn(m, component),
    error: (m) => logger.error(m, undefined, component),
  };
};

/** Through Nest's Logger, as component `context`: for the role modules. */
export function nestLogger(context: string): Logger {
  const logger = new NestLogger(context);
  return {
    log: (m) => logger.log(m),
    warn: (m) => logger.warn(m),
    error: (m) => logger.error(m),
  };
}
