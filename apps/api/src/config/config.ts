import { z } from 'zod';
import {
  booleanFlag,
  brokerAddress,
  csvOf,
  optionalText,
  origin,
  tokenList,
  wholeNumber,
} from './env-parsers.js';
import { describeRoles, type Roles, rolesSetting, runsAllRoles } from './roles.js';
import { SECURITY_ENV, type SecurityConfig, securityConfigOf } from './security-config.js';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
/** `auto`: human lines on a terminal, JSON lines when stdout is a pipe or a file. */
export const LOG_FORMATS = ['auto', 'pretty', 'json'] as const;
export type LogFormatSetting = (typeof LOG_FORMATS)[number];
/** kafkajs reports retriable conditions at ERROR and recovers: its DEBUG is for chasing a broker problem. */
export const KAFKA_CLIENT_LOG_LEVELS = ['error', 'debug'] as const;
export type KafkaClientLogLevel = (typeof KAFKA_CLIENT_LOG_LEVELS)[number];

const MAX_BODY_LIMIT_BYTES = 100 * 1024 * 1024;

/** Every environment variable the API reads, with its default. Unknown variables are ignored. */
const EnvSchema = z.object({
  ...SECURITY_ENV,
  PORT: z.preprocess(
    (v) => (v === undefined || v === '' ? '3000' : v),
    z
      .string()
      .regex(/^\d{1,5}$/, 'must be a port number from 0 to 65535')
      .transform(Number)
      .pipe(z.number().max(65_535, 'must be a port number from 0 to 65535')),
  ),
  HOST: z.preprocess(
    (v) => (v === undefined || v === '' ? '127.0.0.1' : v),
    z.string().regex(/^[A-Za-z0-9.:[\]-]{1,255}$/, 'must be a host name or IP address'),
  ),
  DATABASE_URL: optionalText.pipe(
    z
      .string()
      .regex(
        /^postgres(ql)?:\/\/\S+$/,
        'must be a postgres:// or postgresql:// connection URL (unset it to use the embedded store)',
      )
      .optional(),
  ),
  TIMELINE_DATA_DIR: z.preprocess((v) => (v === undefined || v === '' ? './.data' : v), z.string().max(4096)),
  KAFKA_BROKERS: z.preprocess(
    (v) => (v === undefined || v === '' ? '127.0.0.1:9092' : v),
    csvOf(brokerAddress).pipe(z.array(z.string()).min(1, 'must list at least one host:port')),
  ),
  KAFKA_PARTITIONS: z.preprocess(
    (v) => (v === undefined || v === '' ? '3' : v),
    z
      .string()
      .regex(/^\d{1,4}$/, 'must be a whole number of partitions for timeline.events (1 to 1000)')
      .transform(Number)
      .pipe(z.number().min(1, 'must be at least 1').max(1000, 'must be at most 1000')),
  ),
  KAFKA_TOPIC_PREFIX: z.preprocess(
    (v) => v ?? '',
    z.string().regex(/^[A-Za-z0-9._-]{0,100}$/, 'must be at most 100 letters, digits, ".", "_" or "-"'),
  ),
  TIMELINE_WRITE_TOKENS: optionalText.pipe(tokenList.optional()),
  TIMELINE_READ_TOKENS: optionalText.pipe(tokenList.optional()),
  TIMELINE_RATE_LIMIT: z.preprocess(
    (v) => (v === undefined || v === '' ? '600' : v),
    z
      .string()
      .regex(/^\d{1,9}$/, 'must be a whole number of writes per minute (0 turns the limit off)')
      .transform(Number),
  ),
  TIMELINE_CORS_ORIGINS: optionalText.pipe(csvOf(origin).optional()),
  TIMELINE_BODY_LIMIT: z.preprocess(
    (v) => (v === undefined || v === '' ? '1mb' : v),
    z
      .string()
      .regex(/^\d{1,9}(b|kb|mb)?$/i, "must be a size like '512kb' or '1mb'")
      .transform(parseSize)
      .pipe(z.number().min(1024, 'must be at least 1kb').max(MAX_BODY_LIMIT_BYTES, 'must be at most 100mb')),
  ),
  TIMELINE_SSE_HEARTBEAT_MS: wholeNumber('15000', 'a heartbeat interval in milliseconds', 100, 600_000),
  TIMELINE_SSE_MAX_QUEUED: wholeNumber('5000', 'a number of events', 10, 1_000_000),
  TIMELINE_SSE_BATCH_MS: wholeNumber('20', 'a time in milliseconds', 0, 1000),
  // Streaming limits (issue "Hardening"): what one client, a slow consumer or a poison message may hold.
  TIMELINE_SSE_MAX_PER_ADDRESS: wholeNumber('20', 'a number of SSE connections', 1, 100_000),
  TIMELINE_SSE_MAX_CLIENTS: wholeNumber('1000', 'a number of SSE connections', 1, 1_000_000),
  TIMELINE_SSE_DRAIN_TIMEOUT_MS: wholeNumber('30000', 'a time in milliseconds', 100, 3_600_000),
  TIMELINE_SSE_MAX_CATCH_UP: wholeNumber('100000', 'a number of events', 1, 100_000_000),
  TIMELINE_SHUTDOWN_TIMEOUT_MS: wholeNumber('10000', 'a time in milliseconds', 100, 600_000),
  TIMELINE_LIVE_FEED_MAX_PENDING: wholeNumber('10000', 'a number of events', 10, 10_000_000),
  TIMELINE_GAP_FILL_PAGE: wholeNumber('1000', 'a number of events', 1, 100_000),
  TIMELINE_PROJECTOR_MAX_ATTEMPTS: wholeNumber('5', 'a number of attempts', 1, 1000),
  TIMELINE_RELAY_LOCK_CHECK_MS: wholeNumber('5000', 'a time in milliseconds', 100, 600_000),
  TIMELINE_ROLES: rolesSetting,
  TIMELINE_SEED: z.preprocess(
    (v) => (v === undefined || v === '' ? 'true' : String(v).toLowerCase()),
    booleanFlag,
  ),
  KAFKAJS_LOG_LEVEL: z.preprocess(
    (v) => (v === undefined || v === '' ? 'error' : String(v).toLowerCase()),
    z.enum(KAFKA_CLIENT_LOG_LEVELS, { message: `must be one of ${KAFKA_CLIENT_LOG_LEVELS.join(', ')}` }),
  ),
  TIMELINE_WEB_DIR: optionalText.pipe(z.string().max(4096, 'must be a folder path').optional()),
  LOG_LEVEL: z.preprocess(
    (v) =>
      v === undefined || v === ''
        ? 'log'
        : String(v).toLowerCase() === 'info'
          ? 'log'
          : String(v).toLowerCase(),
    z.enum(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')} (or info)` }),
  ),
  LOG_FORMAT: z.preprocess(
    (v) => (v === undefined || v === '' ? 'auto' : String(v).toLowerCase()),
    z.enum(LOG_FORMATS, { message: `must be one of ${LOG_FORMATS.join(', ')}` }),
  ),
});

export interface AppConfig {
  /** What this process runs (config/roles.ts); all of them unless TIMELINE_ROLES says otherwise. */
  roles: Roles;
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  kafka: { brokers: string[]; topicPrefix: string; partitions: number; clientLogLevel: KafkaClientLogLevel };
  writeTokens: string[];
  readTokens: string[] | undefined;
  /** Writes per minute per client; 0 means no limit. */
  rateLimitPerMinute: number;
  corsOrigins: string[];
  bodyLimitBytes: number;
  /** SSE: a heartbeat every this many ms; a client this many events behind is closed (it resumes). */
  /** batchMs: live events reach the SSE sessions at most once per this long (one write per client each time). */
  sse: { heartbeatMs: number; maxQueued: number; batchMs: number };
  limits: StreamingLimits;
  seed: boolean;
  logLevel: LogLevel;
  logFormat: LogFormatSetting;
  /** The built web app to serve at `/`; unset: the sibling `apps/web/dist`, if built. */
  webDir: string | undefined;
  /** Who may do what, and how much an anonymous client may ask for (security-config.ts). */
  security: SecurityConfig;
}

/** Bounds on what streaming holds per client and per message (docs/operations.md, Security). */
export interface StreamingLimits {
  sseMaxPerAddress: number;
  sseMaxClients: number;
  /** A client whose socket does not drain within this long is disconnected. */
  sseDrainTimeoutMs: number;
  /** A client further behind than this is told to read /api/events or /api/replay instead. */
  sseMaxCatchUp: number;
  /** From SIGTERM to exit at most. */
  shutdownTimeoutMs: number;
  /** Out-of-order events the live feed holds before it pauses consuming. */
  liveFeedMaxPending: number;
  /** Events per store read when the live feed fills a hole. */
  gapFillPage: number;
  /** Tries of one message before the projector dead-letters it. */
  projectorMaxAttempts: number;
  /** How often the active relay checks its lock connection. */
  relayLockCheckMs: number;
}

export interface ConfigProblem {
  variable: string;
  message: string;
  /** What the variable holds, unless it is a secret. */
  value?: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: ConfigProblem[]) {
    super(
      `invalid configuration: ${problems.map((p) => `${p.variable} ${p.message}${p.value === undefined ? '' : ` (got '${p.value}')`}`).join('; ')}`,
    );
    this.name = 'ConfigError';
  }
}

const SECRET_VARIABLES = new Set([
  'DATABASE_URL',
  'TIMELINE_WRITE_TOKENS',
  'TIMELINE_READ_TOKENS',
  'TIMELINE_ADMIN_TOKENS',
  'TIMELINE_SESSION_SECRET',
]);

/** Reads and validates the environment. Throws ConfigError naming every wrong variable. */
export function loadConfig(env: NodeJS.ProcessEnv): AppConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue): ConfigProblem => {
      const variable = String(issue.path[0] ?? '(environment)');
      const raw = env[variable];
      const problem: ConfigProblem = { variable, message: issue.message };
      if (raw !== undefined && !SECRET_VARIABLES.has(variable)) problem.value = raw.slice(0, 200);
      return problem;
    });
    throw new ConfigError(problems);
  }
  const e = parsed.data;
  if (!e.DATABASE_URL && !runsAllRoles(e.TIMELINE_ROLES)) {
    // PGlite is one process's store: over its socket server every connection shares one session, so the
    // relay's advisory lock would not exclude a second relay and NOTIFY would not reach another process.
    throw new ConfigError([
      {
        variable: 'TIMELINE_ROLES',
        message: `the embedded store (PGlite) runs every role in one process; set DATABASE_URL to a PostgreSQL database to run roles apart (or unset TIMELINE_ROLES)`,
        value: describeRoles(e.TIMELINE_ROLES),
      },
    ]);
  }
  return {
    roles: e.TIMELINE_ROLES,
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.TIMELINE_DATA_DIR,
    kafka: {
      brokers: e.KAFKA_BROKERS,
      topicPrefix: e.KAFKA_TOPIC_PREFIX,
      partitions: e.KAFKA_PARTITIONS,
      clientLogLevel: e.KAFKAJS_LOG_LEVEL,
    },
    writeTokens: e.TIMELINE_WRITE_TOKENS ?? [],
    readTokens: e.TIMELINE_READ_TOKENS?.length ? e.TIMELINE_READ_TOKENS : undefined,
    rateLimitPerMinute: e.TIMELINE_RATE_LIMIT,
    corsOrigins: e.TIMELINE_CORS_ORIGINS ?? [],
    bodyLimitBytes: e.TIMELINE_BODY_LIMIT,
    sse: {
      heartbeatMs: e.TIMELINE_SSE_HEARTBEAT_MS,
      maxQueued: e.TIMELINE_SSE_MAX_QUEUED,
      batchMs: e.TIMELINE_SSE_BATCH_MS,
    },
    limits: {
      sseMaxPerAddress: e.TIMELINE_SSE_MAX_PER_ADDRESS,
      sseMaxClients: e.TIMELINE_SSE_MAX_CLIENTS,
      sseDrainTimeoutMs: e.TIMELINE_SSE_DRAIN_TIMEOUT_MS,
      sseMaxCatchUp: e.TIMELINE_SSE_MAX_CATCH_UP,
      shutdownTimeoutMs: e.TIMELINE_SHUTDOWN_TIMEOUT_MS,
      liveFeedMaxPending: e.TIMELINE_LIVE_FEED_MAX_PENDING,
      gapFillPage: e.TIMELINE_GAP_FILL_PAGE,
      projectorMaxAttempts: e.TIMELINE_PROJECTOR_MAX_ATTEMPTS,
      relayLockCheckMs: e.TIMELINE_RELAY_LOCK_CHECK_MS,
    },
    seed: e.TIMELINE_SEED,
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT,
    webDir: e.TIMELINE_WEB_DIR,
    security: securityConfigOf(e),
  };
}

function parseSize(value: string): number {
  const match = /^(\d+)(b|kb|mb)?$/i.exec(value)!;
  const unit = (match[2] ?? 'b').toLowerCase();
  const factor = unit === 'mb' ? 1024 * 1024 : unit === 'kb' ? 1024 : 1;
  return Number(match[1]) * factor;
}
