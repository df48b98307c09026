import { isIP } from 'node:net';
import { splitCommaList } from '@timeline/shared-types';
import { z } from 'zod';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
/** `auto`: human lines on a terminal, JSON lines when stdout is a pipe or a file. */
export const LOG_FORMATS = ['auto', 'pretty', 'json'] as const;
export type LogFormatSetting = (typeof LOG_FORMATS)[number];
/** kafkajs reports retriable conditions at ERROR and recovers: its DEBUG is for chasing a broker problem. */
export const KAFKA_CLIENT_LOG_LEVELS = ['error', 'debug'] as const;
export type KafkaClientLogLevel = (typeof KAFKA_CLIENT_LOG_LEVELS)[number];

const MAX_BODY_LIMIT_BYTES = 100 * 1024 * 1024;
const MIN_TOKEN_LENGTH = 16;

/** `VAR=` in a shell or a .env file means "not set", not "set to nothing". */
const optionalText = z.preprocess(
  (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
  z.string().optional(),
);

function csvOf<T>(item: z.ZodType<T, string>) {
  return z.string().transform(splitCommaList).pipe(z.array(item));
}

const tokenList = csvOf(
  z
    .string()
    .min(MIN_TOKEN_LENGTH, `each token must be at least ${MIN_TOKEN_LENGTH} characters`)
    .max(512, 'each token must be at most 512 characters')
    .regex(/^[\x21-\x7e]+$/, 'tokens are printable ASCII without spaces'),
);

const brokerAddress = z.string().refine((broker) => {
  const match = /^(.+):(\d{1,5})$/.exec(broker);
  if (!match) return false;
  const host = match[1]!.replace(/^\[(.*)\]$/, '$1');
  const port = Number(match[2]);
  return port >= 1 && port <= 65_535 && (isIP(host) !== 0 || /^[A-Za-z0-9.-]+$/.test(host));
}, 'each broker must be host:port');

const origin = z.string().refine((value) => {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value;
  } catch {
    return false;
  }
}, 'each origin must be scheme://host[:port] with no path or trailing slash, e.g. https://timeline.example.org');

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: "must be 'true' or 'false'" })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** Every environment variable the API reads, with its default. Unknown variables are ignored. */
/** A whole number from the environment, with a default, checked against a range. */
function wholeNumber(fallback: string, what: string, min: number, max: number) {
  return z.preprocess(
    (v) => (v === undefined || v === '' ? fallback : v),
    z
      .string()
      .regex(/^\d{1,9}$/, `must be ${what} (a whole number)`)
      .transform(Number)
      .pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`)),
  );
}

const EnvSchema = z.object({
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
  sse: { heartbeatMs: number; maxQueued: number };
  seed: boolean;
  logLevel: LogLevel;
  logFormat: LogFormatSetting;
  /** The built web app to serve at `/`; unset: the sibling `apps/web/dist`, if built. */
  webDir: string | undefined;
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

const SECRET_VARIABLES = new Set(['DATABASE_URL', 'TIMELINE_WRITE_TOKENS', 'TIMELINE_READ_TOKENS']);

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
  return {
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
    sse: { heartbeatMs: e.TIMELINE_SSE_HEARTBEAT_MS, maxQueued: e.TIMELINE_SSE_MAX_QUEUED },
    seed: e.TIMELINE_SEED,
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT,
    webDir: e.TIMELINE_WEB_DIR,
  };
}

function parseSize(value: string): number {
  const match = /^(\d+)(b|kb|mb)?$/i.exec(value)!;
  const unit = (match[2] ?? 'b').toLowerCase();
  const factor = unit === 'mb' ? 1024 * 1024 : unit === 'kb' ? 1024 : 1;
  return Number(match[1]) * factor;
}
