import { ConsoleLogger, type LogLevel as NestLogLevel } from '@nestjs/common';
import { LOG_LEVELS, type LogLevel } from '../config/config.js';

/** One JSON object per line (Nest's own format), at `level` and above. */
export function createJsonLogger(level: LogLevel = 'log'): ConsoleLogger {
  const enabled = LOG_LEVELS.slice(0, LOG_LEVELS.indexOf(level) + 1) as NestLogLevel[];
  return new ConsoleLogger({ json: true, colors: false, logLevels: enabled });
}
