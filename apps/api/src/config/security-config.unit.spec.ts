import { describe, expect, it } from 'vitest';
import { thrownBy } from '../../test/assertions/thrown.js';
import { ConfigError, loadConfig } from './config.js';

const problemsOf = (env: NodeJS.ProcessEnv) => thrownBy(() => loadConfig(env), ConfigError).problems;

describe('security settings', () => {
  it('parses every security setting', () => {
    expect(
      loadConfig({
        TIMELINE_ADMIN_TOKENS: 'admin-token-0123456789, admin-token-abcdefghij',
        TIMELINE_AUTH_FAILURE_LIMIT: '3',
        TIMELINE_READ_RATE_LIMIT: '0',
        TIMELINE_MAX_CONCURRENT_FOLDS: '4',
        TIMELINE_ALLOWED_HOSTS: 'Timeline.Example.org,10.0.0.5',
        TIMELINE_TRUSTED_PROXIES: '10.0.0.0/8, ::1, loopback',
        TIMELINE_SESSION_SECRET: 's'.repeat(32),
        TIMELINE_COOKIE_SECURE: 'true',
        TIMELINE_EMBED_ORIGINS: 'https://News.example.org, https://*.example.com:8443',
      }).security,
    ).toEqual({
      adminTokens: ['admin-token-0123456789', 'admin-token-abcdefghij'],
      authFailuresPerMinute: 3,
      readRateLimitPerMinute: 0,
      maxConcurrentFolds: 4,
      allowedHosts: ['timeline.example.org', '10.0.0.5'],
      trustedProxies: ['10.0.0.0/8', '::1', 'loopback'],
      sessionSecret: 's'.repeat(32),
      cookieSecure: true,
      embedOrigins: ['https://news.example.org', 'https://*.example.com:8443'],
    });
    expect(loadConfig({}).security.embedOrigins).toEqual([]);
  });

  it.each([
    ['TIMELINE_AUTH_FAILURE_LIMIT', 'many'],
    ['TIMELINE_READ_RATE_LIMIT', '-5'],
    ['TIMELINE_MAX_CONCURRENT_FOLDS', '0'],
    ['TIMELINE_MAX_CONCURRENT_FOLDS', '65'],
    ['TIMELINE_ALLOWED_HOSTS', 'evil host'],
    ['TIMELINE_TRUSTED_PROXIES', '10.0.0.0/33'],
    ['TIMELINE_TRUSTED_PROXIES', 'proxy.example'],
    ['TIMELINE_COOKIE_SECURE', 'sometimes'],
    ['TIMELINE_EMBED_ORIGINS', "https://a.example; script-src 'unsafe-inline'"],
    ['TIMELINE_EMBED_ORIGINS', 'https://a.example/path'],
    ['TIMELINE_EMBED_ORIGINS', '*'],
  ])('given %s=%s, names the variable', (variable, value) => {
    const problems = problemsOf({ [variable]: value });
    expect(problems.map((p) => p.variable)).toEqual([variable]);
    expect(problems[0]?.value).toBe(value);
  });

  it('never echoes an admin token or the session secret', () => {
    expect(problemsOf({ TIMELINE_ADMIN_TOKENS: 'short', TIMELINE_SESSION_SECRET: 'short' })).toEqual([
      { variable: 'TIMELINE_ADMIN_TOKENS', message: 'each token must be at least 16 characters' },
      {
        variable: 'TIMELINE_SESSION_SECRET',
        message: 'must be at least 32 characters (e.g. from `openssl rand -hex 32`)',
      },
    ]);
  });
});
