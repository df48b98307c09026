import type { LoggerService } from '@nestjs/common';
import { pino } from 'pino';
import { type AppConfig, ConfigError, LOG_FORMATS, loadConfig } from '../config/config.js';
import { StartupError } from '../config/startup-error.js';
import { openStorage } from '../event-store/create-event-store.js';
import type { EventStore } from '../event-store/event-store.port.js';
import type { SqlClient } from '../event-store/sql-client.js';
import { chooseLogFormat } from '../logging/log-format.js';
import { AppLogger } from '../logging/logger.js';
import type { Clock } from '../shared/clock.js';

/**
 * Stops the process on a configuration or startup error, on stderr with exit code 1: plain sentences
 * for the person at the terminal, after one structured line (the log's shape) for log collectors.
 * LOG_FORMAT is read as it is: the configuration that failed may be what holds it.
 */
export function exitOnStartupError(what: string, error: unknown): never {
  const problems =
    error instanceof ConfigError
      ? error.problems
      : error instanceof StartupError
        ? [{ variable: error.variable ?? '(startup)', message: error.message }]
        : [{ variable: '(startup)', message: error instanceof Error ? error.message : String(error) }];
  const human = problems.map(
    (p) =>
      `  - ${p.variable === '(startup)' ? '' : `${p.variable}: `}${p.message}${'value' in p && p.value !== undefined ? ` (got '${p.value}')` : ''}`,
  );
  const setting = LOG_FORMATS.find((f) => f === process.env.LOG_FORMAT?.toLowerCase()) ?? 'auto';
  if (chooseLogFormat(setting, process.stderr.isTTY) === 'json') {
    new AppLogger({
      level: 'fatal',
      format: 'json',
      destination: pino.destination({ dest: 2, sync: true }),
    }).fatal({ msg: `${what} cannot start`, problems }, 'Startup');
  }
  process.stderr.write(`${what} cannot start:\n${human.join('\n')}\n`);
  process.exit(1);
}

/** The environment as it is, for the supervisor to hand on to the processes it starts. */
export function inheritedEnvironment(): NodeJS.ProcessEnv {
  return { ...process.env };
}

export function loadConfigOrExit(what: string): AppConfig {
  try {
    return loadConfig(process.env);
  } catch (error) {
    exitOnStartupError(what, error);
  }
}

/**
 * PostgreSQL when DATABASE_URL is set, embedded PGlite in the data folder otherwise. The SQL client
 * comes along for the modules that keep their own tables beside the log (relay, projections).
 */
export async function openStore(
  config: AppConfig,
  clock: Clock,
  logger: LoggerService,
): Promise<{ store: EventStore; sql: SqlClient }> {
  const kind = config.databaseUrl ? 'postgres' : 'pglite';
  try {
    const storage = await openStorage({
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
      now: () => clock.now(),
    });
    logger.debug?.(
      { msg: 'event store open', kind, ...(kind === 'pglite' ? { dataDir: config.dataDir } : {}) },
      'Startup',
    );
    return storage;
  } catch (error) {
    throw new StartupError(
      `cannot open the ${kind} event store: ${error instanceof Error ? error.message : String(error)}`,
      kind === 'postgres' ? 'DATABASE_URL' : 'TIMELINE_DATA_DIR',
    );
  }
}
