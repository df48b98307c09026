import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module.js';
import { exitOnStartupError, inheritedEnvironment, loadConfigOrExit, openStore } from './app/startup.js';
import type { AppConfig } from './config/config.js';
import { StartupError } from './config/startup-error.js';
import { type ResolvedCredentials, resolveCredentials } from './config/write-tokens.js';
import type { EventStore } from './event-store/event-store.port.js';
import type { SqlClient } from './event-store/sql-client.js';
import { configureCors, configureHttp, httpServerOptions } from './http/configure-http.js';
import { ACCESS_POLICY, type AccessPolicy } from './http/security/access-policy.js';
import { serveWeb } from './web/serve-web.js';
import { logListening } from './logging/banner.js';
import { type AppLogger, loggerFor } from './logging/logger.js';
import { seedOnStart } from './seed/seed-on-start.js';
import { systemClock } from './shared/clock.js';
import { parseRoleCounts, wantsProcesses } from './supervisor/process-plan.js';
import { superviseProcesses } from './supervisor/supervisor.js';
import type { OpenStreams } from './streaming/sse-admission.js';
import { OPEN_STREAMS } from './streaming/streaming.tokens.js';

const NAME = 'Timeline API';

async function start(config: AppConfig, logger: AppLogger) {
  const clock = systemClock;
  let store: EventStore | undefined;
  let sql: SqlClient | undefined;
  let app: NestFastifyApplication | undefined;
  try {
    const credentials = await resolveCredentials(config);
    logCredentials(credentials, logger);
    ({ store, sql } = await openStore(config, clock, logger));
    app = await NestFactory.create<NestFastifyApplication>(
      AppModule.forRoot({ config, store, sql, clock, credentials }),
      new FastifyAdapter(httpServerOptions(config)),
      { bodyParser: false, logger, abortOnError: false },
    );
    configureHttp(app.getHttpAdapter().getInstance(), app.get<AccessPolicy>(ACCESS_POLICY), config);
    configureCors(app, config);
    const api = config.roles.has('api');
    // The web app is the api role's: a process without it serves only its role's routes.
    const webDir = api ? serveWeb(app, config.webDir, config.security.embedOrigins) : undefined;
    if (api)
      logger.debug(
        webDir
          ? { msg: 'serving the web app', dir: webDir }
          : { msg: 'web app not built: only the API is served (pnpm build builds it)' },
        'Startup',
      );
    await app.init();
    if (config.seed && api) await seedOnStart(store, app.get(CommandBus), logger);
    await app.listen(config.port, config.host).catch((error: unknown) => {
      throw listenError(error, config);
    });
    return { app, store, tokenFile: credentials.generatedFiles.writeToken, webDir };
  } catch (error) {
    await app?.close().catch(() => undefined);
    await store?.close().catch(() => undefined);
    exitOnStartupError(NAME, error);
  }
}

/** Where generated credentials are (never what they are), and that administration is closed without one. */
function logCredentials(credentials: ResolvedCredentials, logger: AppLogger): void {
  const { writeToken, adminToken } = credentials.generatedFiles;
  // The start-up banner shows the write-token file; this line is for the JSON log.
  if (writeToken)
    logger.debug(
      { msg: 'no TIMELINE_WRITE_TOKENS set: writes use the token in this file', tokenFile: writeToken },
      'Startup',
    );
  if (adminToken)
    logger.log(
      {
        msg: 'no TIMELINE_ADMIN_TOKENS set: /api/admin/* uses the token in this file',
        tokenFile: adminToken,
      },
      'Startup',
    );
  if (!credentials.adminTokens)
    logger.warn({ msg: 'no TIMELINE_ADMIN_TOKENS set: /api/admin/* answers 403 until it is' }, 'Startup');
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

/** `pnpm start --processes [--api N ...]`: every role in processes of its own (supervisor/). */
async function supervise(argv: string[]): Promise<void> {
  try {
    const counts = parseRoleCounts(argv);
    const config = loadConfigOrExit(NAME);
    await superviseProcesses({ main: process.argv[1]!, env: inheritedEnvironment(), config, counts });
    process.exit(0);
  } catch (error) {
    exitOnStartupError(`${NAME} (--processes)`, error);
  }
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (wantsProcesses(argv)) return supervise(argv);
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
    const timeoutMs = config.limits.shutdownTimeoutMs;
    logger.log({ msg: 'stopping', signal, timeoutMs }, 'Startup');
    // Past the bound the process exits anyway: an orchestrator's SIGKILL would be worse.
    setTimeout(() => {
      logger.error({ msg: 'shutdown did not finish in time; exiting', timeoutMs }, undefined, 'Startup');
      process.exit(1);
    }, timeoutMs).unref();
    const stopped = (what: string) => (error: unknown) =>
      logger.error({ msg: `error while ${what}`, error: String(error) }, undefined, 'Startup');
    await endConnections(app, timeoutMs);
    // The shutdown hooks: the relay writes its checkpoint, the consumers leave their groups.
    await app.close().catch(stopped('stopping the application'));
    await store.close().catch(stopped('closing the store'));
    logger.log({ msg: 'stopped: store closed' }, 'Startup');
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
  // A role process of `--processes` has an IPC channel to its supervisor, which closes when the
  // supervisor dies, even by SIGKILL: stop then, rather than run on as an orphan nothing restarts or stops.
  if (process.connected) {
    process.channel?.unref();
    process.once('disconnect', () => void stop('supervisor gone'));
  }
}

/**
 * Stops accepting, ends the open event streams (SSE clients are told when to come back), and gives
 * the other requests a grace of a quarter of the shutdown bound before their connections are cut:
 * `server.close()` alone waits for every open stream, and the shutdown hooks would never run.
 */
async function endConnections(app: NestFastifyApplication, timeoutMs: number): Promise<void> {
  const server = app.getHttpServer();
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  app.get<symbol, OpenStreams>(OPEN_STREAMS, { strict: false }).closeAll('server shutting down');
  server.closeIdleConnections();
  const grace = new Promise<void>((resolve) => setTimeout(resolve, Math.min(2_000, timeoutMs / 4)).unref());
  await Promise.race([closed, grace]);
  server.closeAllConnections();
  await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 500).unref())]);
}

void main();
