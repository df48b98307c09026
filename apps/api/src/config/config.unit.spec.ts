import { describe, expect, it } from 'vitest';
import { thrownBy } from '../../test/assertions/thrown.js';
import { type AppConfig, ConfigError, loadConfig } from './config.js';

const problemsOf = (env: NodeJS.ProcessEnv) => thrownBy(() => loadConfig(env), ConfigError).problems;

describe('loadConfig', () => {
  it('given an empty environment, applies every default', () => {
    expect(loadConfig({})).toEqual({
      roles: new Set(['api', 'relay', 'projector', 'gateway']),
      port: 3000,
      host: '127.0.0.1',
      databaseUrl: undefined,
      dataDir: './.data',
      kafka: { brokers: ['127.0.0.1:9092'], topicPrefix: '', partitions: 3, clientLogLevel: 'error' },
      writeTokens: [],
      readTokens: undefined,
      rateLimitPerMinute: 600,
      corsOrigins: [],
      bodyLimitBytes: 1024 * 1024,
      sse: { heartbeatMs: 15_000, maxQueued: 5_000, batchMs: 20 },
      limits: {
        sseMaxPerAddress: 20,
        sseMaxClients: 1000,
        sseDrainTimeoutMs: 30_000,
        sseMaxCatchUp: 100_000,
        shutdownTimeoutMs: 10_000,
        liveFeedMaxPending: 10_000,
        gapFillPage: 1000,
        projectorMaxAttempts: 5,
        relayLockCheckMs: 5000,
      },
      seed: true,
      logLevel: 'log',
      logFormat: 'auto',
      webDir: undefined,
      security: {
        adminTokens: [],
        authFailuresPerMinute: 10,
        readRateLimitPerMinute: 600,
        maxConcurrentFolds: 2,
        allowedHosts: [],
        trustedProxies: [],
        sessionSecret: undefined,
        cookieSecure: false,
        embedOrigins: [],
      },
    });
  });

  it('reads the Kafka client log level and the web folder through the schema, refusing unknown levels', () => {
    const config = loadConfig({ KAFKAJS_LOG_LEVEL: 'DEBUG', TIMELINE_WEB_DIR: '/srv/timeline-web' });
    expect(config.kafka.clientLogLevel).toBe('debug');
    expect(config.webDir).toBe('/srv/timeline-web');
    expect(loadConfig({ KAFKAJS_LOG_LEVEL: '', TIMELINE_WEB_DIR: ' ' })).toMatchObject({
      kafka: { clientLogLevel: 'error' },
      webDir: undefined,
    });
    expect(problemsOf({ KAFKAJS_LOG_LEVEL: 'chatty' })).toEqual([
      { variable: 'KAFKAJS_LOG_LEVEL', message: 'must be one of error, debug', value: 'chatty' },
    ]);
  });

  it('reads the log format through the schema: auto by default, refusing unknown formats', () => {
    expect(loadConfig({ LOG_FORMAT: 'JSON' }).logFormat).toBe('json');
    expect(loadConfig({ LOG_FORMAT: 'pretty' }).logFormat).toBe('pretty');
    expect(loadConfig({ LOG_FORMAT: '' }).logFormat).toBe('auto');
    expect(problemsOf({ LOG_FORMAT: 'yaml' })).toEqual([
      { variable: 'LOG_FORMAT', message: 'must be one of auto, pretty, json', value: 'yaml' },
    ]);
  });

  it('checks the SSE settings at start instead of letting NaN reach a timer', () => {
    expect(
      loadConfig({
        TIMELINE_SSE_HEARTBEAT_MS: '2500',
        TIMELINE_SSE_MAX_QUEUED: '100',
        TIMELINE_SSE_BATCH_MS: '0',
      }).sse,
    ).toEqual({ heartbeatMs: 2500, maxQueued: 100, batchMs: 0 });
    expect(problemsOf({ TIMELINE_SSE_BATCH_MS: '5000' })).toEqual([
      { variable: 'TIMELINE_SSE_BATCH_MS', message: 'must be at most 1000', value: '5000' },
    ]);
    expect(problemsOf({ TIMELINE_SSE_HEARTBEAT_MS: 'often', TIMELINE_SSE_MAX_QUEUED: '3' })).toEqual([
      {
        variable: 'TIMELINE_SSE_HEARTBEAT_MS',
        message: 'must be a heartbeat interval in milliseconds (a whole number)',
        value: 'often',
      },
      { variable: 'TIMELINE_SSE_MAX_QUEUED', message: 'must be at least 10', value: '3' },
    ]);
  });

  it('reads the streaming limits through the schema, refusing values that would turn a limit off', () => {
    const settings: [string, keyof AppConfig['limits'], number][] = [
      ['TIMELINE_SSE_MAX_PER_ADDRESS', 'sseMaxPerAddress', 2],
      ['TIMELINE_SSE_MAX_CLIENTS', 'sseMaxClients', 50],
      ['TIMELINE_SSE_DRAIN_TIMEOUT_MS', 'sseDrainTimeoutMs', 1500],
      ['TIMELINE_SSE_MAX_CATCH_UP', 'sseMaxCatchUp', 10],
      ['TIMELINE_SHUTDOWN_TIMEOUT_MS', 'shutdownTimeoutMs', 3000],
      ['TIMELINE_LIVE_FEED_MAX_PENDING', 'liveFeedMaxPending', 100],
      ['TIMELINE_GAP_FILL_PAGE', 'gapFillPage', 50],
      ['TIMELINE_PROJECTOR_MAX_ATTEMPTS', 'projectorMaxAttempts', 3],
      ['TIMELINE_RELAY_LOCK_CHECK_MS', 'relayLockCheckMs', 500],
    ];
    const { limits } = loadConfig(
      Object.fromEntries(settings.map(([variable, , value]) => [variable, String(value)])),
    );
    expect(limits).toEqual(Object.fromEntries(settings.map(([, key, value]) => [key, value])));
    expect(problemsOf({ TIMELINE_SSE_MAX_PER_ADDRESS: '0', TIMELINE_SHUTDOWN_TIMEOUT_MS: 'soon' })).toEqual([
      { variable: 'TIMELINE_SSE_MAX_PER_ADDRESS', message: 'must be at least 1', value: '0' },
      {
        variable: 'TIMELINE_SHUTDOWN_TIMEOUT_MS',
        message: 'must be a time in milliseconds (a whole number)',
        value: 'soon',
      },
    ]);
  });

  it('given explicit values, parses lists, sizes and flags', () => {
    const config = loadConfig({
      PORT: '8080',
      HOST: '0.0.0.0',
      DATABASE_URL: 'postgres://u:p@db:5432/timeline',
      KAFKA_BROKERS: 'a:9092, b:9093',
      KAFKA_TOPIC_PREFIX: 'dev.',
      TIMELINE_WRITE_TOKENS: 'aaaaaaaaaaaaaaaa,bbbbbbbbbbbbbbbbbbbb',
      TIMELINE_READ_TOKENS: 'cccccccccccccccc',
      TIMELINE_RATE_LIMIT: '0',
      TIMELINE_CORS_ORIGINS: 'https://a.example,http://localhost:5173',
      TIMELINE_BODY_LIMIT: '512kb',
      TIMELINE_SEED: 'false',
      LOG_LEVEL: 'info',
    });
    expect(config).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      databaseUrl: 'postgres://u:p@db:5432/timeline',
      kafka: { brokers: ['a:9092', 'b:9093'], topicPrefix: 'dev.' },
      writeTokens: ['aaaaaaaaaaaaaaaa', 'bbbbbbbbbbbbbbbbbbbb'],
      readTokens: ['cccccccccccccccc'],
      rateLimitPerMinute: 0,
      corsOrigins: ['https://a.example', 'http://localhost:5173'],
      bodyLimitBytes: 512 * 1024,
      seed: false,
      logLevel: 'log',
    });
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '', TIMELINE_WRITE_TOKENS: ' ' })).toMatchObject({
      port: 3000,
      databaseUrl: undefined,
      writeTokens: [],
    });
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'mysql://x'],
    ['KAFKA_BROKERS', 'no-port'],
    ['TIMELINE_RATE_LIMIT', '-1'],
    ['TIMELINE_CORS_ORIGINS', 'https://a.example/'],
    ['TIMELINE_BODY_LIMIT', 'lots'],
    ['TIMELINE_BODY_LIMIT', '1gb'],
    ['TIMELINE_SEED', 'maybe'],
    ['TIMELINE_ROLES', 'api,indexer'],
    ['TIMELINE_ROLES', ','],
    ['LOG_LEVEL', 'loud'],
  ])('given %s=%s, names the variable', (variable, value) => {
    const problems = problemsOf({ [variable]: value });
    expect(problems.map((p) => p.variable)).toEqual([variable]);
    // A connection URL may carry a password, so it is never echoed.
    expect(problems[0]?.value).toBe(variable === 'DATABASE_URL' ? undefined : value);
  });

  it('reads TIMELINE_ROLES as a comma list of roles, all of them by default and for `all`', () => {
    const postgres = { DATABASE_URL: 'postgres://db/timeline' };
    expect([...loadConfig({ ...postgres, TIMELINE_ROLES: ' gateway , projector,gateway' }).roles]).toEqual([
      'gateway',
      'projector',
    ]);
    expect(loadConfig({ ...postgres, TIMELINE_ROLES: 'all' }).roles.size).toBe(4);
    expect(loadConfig({ TIMELINE_ROLES: 'api,relay,projector,gateway' }).roles.size).toBe(4);
  });

  it('refuses roles apart on the embedded store, saying to use PostgreSQL', () => {
    const problems = problemsOf({ TIMELINE_ROLES: 'projector,api' });
    expect(problems).toEqual([
      {
        variable: 'TIMELINE_ROLES',
        message: expect.stringContaining('set DATABASE_URL to a PostgreSQL database'),
        value: 'api,projector',
      },
    ]);
  });

  it('refuses short tokens without echoing the secret', () => {
    const problems = problemsOf({ TIMELINE_WRITE_TOKENS: 'short' });
    expect(problems).toEqual([
      { variable: 'TIMELINE_WRITE_TOKENS', message: 'each token must be at least 16 characters' },
    ]);
  });

  it('reports every wrong variable at once', () => {
    const problems = problemsOf({ PORT: 'x', LOG_LEVEL: 'y' });
    expect(problems.map((p) => p.variable).sort()).toEqual(['LOG_LEVEL', 'PORT']);
  });
});
