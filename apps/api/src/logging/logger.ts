import type { LoggerService } from '@nestjs/common';
import { type DestinationStream, type Level, type Logger as Pino, pino, stdTimeFunctions } from 'pino';
import type { LogFormatSetting, LogLevel } from '../config/config.js';
import { chooseLogFormat, type LogFormat } from './log-format.js';
import { prettyDestination } from './pretty.js';

/** LOG_LEVEL keeps Nest's names; pino calls `log` info and `verbose` trace. */
const PINO_LEVELS: Record<LogLevel, Level> = {
  fatal: 'fatal',
  error: 'error',
  warn: 'warn',
  log: 'info',
  debug: 'debug',
  verbose: 'trace',
};

/**
 * Nest's start-up chatter: a line per module, per controller and per route. It helps when chasing a
 * wiring problem and buries the start-up banner otherwise, so it is debug here.
 */
const NEST_BOOT_COMPONENTS = new Set([
  'NestFactory',
  'InstanceLoader',
  'RoutesResolver',
  'RouterExplorer',
  'NestApplication',
]);

const looksLikeStack = (value: unknown): value is string =>
  typeof value === 'string' && /\n\s+at .+/.test(value);

export interface AppLoggerOptions {
  level: LogLevel;
  format: LogFormat;
  /** Where the lines go; stdout by default. */
  destination?: DestinationStream;
}

/**
 * The one logger of the process: Nest's LoggerService over pino. Messages are structured objects
 * (`{ msg, ...fields }`), Nest's own are strings; the Nest context becomes the `component` field.
 */
export class AppLogger implements LoggerService {
  readonly format: LogFormat;
  private readonly pino: Pino;

  constructor(options: AppLoggerOptions) {
    this.format = options.format;
    const json = options.format === 'json';
    this.pino = pino(
      {
        level: PINO_LEVELS[options.level],
        timestamp: json ? stdTimeFunctions.isoTime : stdTimeFunctions.epochTime,
        // Level names, not numbers: a person grepping a log file looks for "error".
        formatters: json ? { level: (label) => ({ level: label }) } : {},
      },
      options.destination ??
        (json ? pino.destination({ dest: 1, sync: true }) : prettyDestination(process.stdout)),
    );
  }

  readonly log = this.at('info');
  readonly warn = this.at('warn');
  readonly debug = this.at('debug');
  readonly verbose = this.at('trace');
  readonly fatal = this.at('fatal');
  /** Nest passes `(message, stack?, context?)`; a lone string is the context unless it reads like a stack. */
  readonly error = this.at('error');

  private at(level: Level): (message: unknown, ...params: unknown[]) => void {
    return (message, ...params) => this.write(level, message, params);
  }

  private write(level: Level, message: unknown, params: unknown[]): void {
    const last = params.at(-1);
    const component = typeof last === 'string' && !looksLikeStack(last) ? last : undefined;
    const { msg, fields } = splitMessage(message);
    const stack = params.find(looksLikeStack) ?? (message instanceof Error ? message.stack : undefined);
    const quieted = level === 'info' && component && NEST_BOOT_COMPONENTS.has(component) ? 'debug' : level;
    this.pino[quieted]({ ...(component ? { component } : {}), ...fields, ...(stack ? { stack } : {}) }, msg);
  }
}

function splitMessage(message: unknown): { msg: string; fields: Record<string, unknown> } {
  if (message instanceof Error) return { msg: message.message, fields: {} };
  if (typeof message === 'object' && message !== null) {
    const { msg, ...fields } = message as Record<string, unknown>;
    return { msg: typeof msg === 'string' ? msg : '', fields };
  }
  return { msg: String(message), fields: {} };
}

/** The process logger as configured: LOG_LEVEL, and LOG_FORMAT with `auto` deciding by stdout. */
export function loggerFor(config: { logLevel: LogLevel; logFormat: LogFormatSetting }): AppLogger {
  return new AppLogger({
    level: config.logLevel,
    format: chooseLogFormat(config.logFormat, process.stdout.isTTY),
  });
}
