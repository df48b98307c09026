import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module.js';
import { exitOnStartupError, loadConfigOrExit, openStore } from './app/startup.js';
import type { AppConfig } from './config/config.js';
import { StartupError } from './config/startup-error.js';
import { resolveWriteTokens } from './config/write-tokens.js';
import type { EventStore } from './event-store/event-store.port.js';
import type { SqlClient } from './event-store/sql-client.js';
import { configureHttp } from './http/configure-http.js';
import { serveWeb } from './web/serve-web.js';
import { logListening } from './logging/banner.js';
import { type AppLogger, loggerFor } from './logging/logger.js';
import { seedOnStart } from './seed/seed-on-start.js';
import { systemClock } from './shared/clock.js';

const NAME = 'Timeline API';

async function start(config: AppConfig, logger: AppLogger) {
  const clock = systemClock;
  let store: EventStore | undefined;
  let sql: SqlClient | undefined;
  let app: NestExpressApplication | undefined;
  try {
    const tokens = await resolveWriteTokens(config);
    if (tokens.generatedFile) {
      logger.debug(
        {
          msg: 'no TIMELINE_WRITE_TOKENS set: writes use the token in this file',
          tokenFile: tokens.generatedFile,
        },
        'Startup',
      );
    }
    ({ store, sql } = await openStore(config, clock, logger));
    app = await NestFactory.create<NestExpressApplication>(
      AppModule.forRoot({ config, store, sql, clock, writeTokens: tokens.tokens }),
      { bodyParser: false, logger, abortOnError: false },
    );
    configureHttp(app, config);
    const webDir = serveWeb(app, config.webDir);
    logger.debug(
      webDir
        ? { msg: 'serving the web app', dir: webDir }
        : { msg: 'web app not built: only the API is served (pnpm build builds it)' },
      'Startup',
    );
    await app.init();
    if (config.seed) await seedOnStart(store, app.get(CommandBus), logger);
    await app.listen(config.port, config.host).catch((error: unknown) => {
      throw listenError(error, config);
    });
    return { app, store, tokenFile: tokens.generatedFile, webDir };
  } catch (error) {
    await app?.close().catch(() => undefined);
    await store?.close().catch(() => undefined);
    exitOnStartupError(NAME, error);
  }
}

/** A port in use or not ours to take is a configuration problem: name the variables. */
function listenError(error: unknown, config: AppConfig): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE')
    return new StartupError(`port ${config.port} on ${config.host} is already in use`, 'PORT');
  if (code === 'EACCES') return new StartupError(`no permission to listen on port ${config.port}`, 'PORT');
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND')
    return new StartupError(`cannot listen on host ${config.host}`, 'HOST');
  return error;
}

async function main(): Promise<void> {
  const config = loadConfigOrExit(NAME);
  const logger = loggerFor(config);
  // Components that log through Nest's static Logger (the kafkajs bridge among them) write here too.
  Logger.overrideLogger(logger);
  const { app, store, tokenFile, webDir } = await start(config, logger);

  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  logListening(logger, { url: `http://${host}:${port}`, port, config, tokenFile, webDir });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log({ msg: 'stopping', signal }, 'Startup');
    await app
      .close()
      .catch((error: unknown) =>
        logger.error({ msg: 'error while stopping HTTP', error: String(error) }, undefined, 'Startup'),
      );
    await store
      .close()
      .catch((error: unknown) =>
        logger.error({ msg: 'error while closing the store', error: String(error) }, undefined, 'Startup'),
      );
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

void main();
