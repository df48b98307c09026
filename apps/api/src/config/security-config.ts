import { isIP } from 'node:net';
import { z } from 'zod';
import { booleanFlag, csvOf, optionalText, tokenList, wholeNumber } from './env-parsers.js';

/** Names Fastify's `trustProxy` (proxy-addr) understands besides addresses and CIDRs. */
const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

const proxyAddress = z.string().refine((value) => {
  if (PROXY_NAMES.has(value)) return true;
  const [address, prefix, ...rest] = value.split('/');
  const family = isIP(address ?? '');
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}, 'each proxy must be an IP address, a CIDR range (10.0.0.0/8) or loopback, linklocal, uniquelocal');

const hostName = z
  .string()
  .regex(
    /^(\*|[A-Za-z0-9.-]{1,253}|\[[0-9A-Fa-f:.]+\])$/,
    'each host must be a host name or IP address, or *',
  )
  .transform((host) => host.toLowerCase());

/**
 * A site allowed to frame `/embed`, as a CSP `frame-ancestors` source: scheme, host (a leading `*.`
 * for its subdomains) and optional port, nothing else: a path, a quote or a space could widen or
 * break the policy.
 */
const embedOrigin = z
  .string()
  .regex(
    /^https?:\/\/(\*\.)?([A-Za-z0-9-]+\.)*[A-Za-z0-9-]+(:\d{1,5})?$|^https?:\/\/\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/,
    'each origin must be scheme://host[:port] (e.g. https://news.example.org, https://*.example.org)',
  )
  .transform((origin) => origin.toLowerCase());

/** The settings that bound what a client, above all an anonymous one, can make the API do. */
export const SECURITY_ENV = {
  TIMELINE_ADMIN_TOKENS: optionalText.pipe(tokenList.optional()),
  TIMELINE_AUTH_FAILURE_LIMIT: wholeNumber('10', 'a number of failed token checks per minute', 0, 1_000_000),
  TIMELINE_READ_RATE_LIMIT: wholeNumber(
    '600',
    'a number of reads per minute (0 turns the limit off)',
    0,
    1e9,
  ),
  TIMELINE_MAX_CONCURRENT_FOLDS: wholeNumber('2', 'a number of folds at once', 1, 64),
  TIMELINE_ALLOWED_HOSTS: optionalText.pipe(csvOf(hostName).optional()),
  TIMELINE_TRUSTED_PROXIES: optionalText.pipe(csvOf(proxyAddress).optional()),
  TIMELINE_SESSION_SECRET: optionalText.pipe(
    z.string().min(32, 'must be at least 32 characters (e.g. from `openssl rand -hex 32`)').optional(),
  ),
  TIMELINE_EMBED_ORIGINS: optionalText.pipe(csvOf(embedOrigin).optional()),
  TIMELINE_COOKIE_SECURE: z.preprocess(
    (v) => (v === undefined || v === '' ? 'false' : String(v).toLowerCase()),
    booleanFlag,
  ),
};

const SecurityEnvSchema = z.object(SECURITY_ENV);
type SecurityEnv = z.output<typeof SecurityEnvSchema>;

export interface SecurityConfig {
  /** Tokens for /api/admin/*; none: generated for the embedded store, admin closed on PostgreSQL. */
  adminTokens: string[];
  /** Failed token checks per client per minute before 429; 0 means no limit. */
  authFailuresPerMinute: number;
  /** Reads per client per minute; 0 means no limit. */
  readRateLimitPerMinute: number;
  /** Folds of the store (asOf reads) running at once. */
  maxConcurrentFolds: number;
  /** Host names accepted besides loopback and HOST; `*` accepts any. */
  allowedHosts: string[];
  /** Proxies whose X-Forwarded-For / -Proto are believed (Fastify's `trustProxy`). */
  trustedProxies: string[];
  /** Signs read sessions; unset: generated (embedded: kept in the data folder). */
  sessionSecret: string | undefined;
  /** Mark the read-session cookie Secure even when the request did not come over HTTPS. */
  cookieSecure: boolean;
  /** Sites that may show `/embed` in a frame (CSP frame-ancestors); none: no site may frame anything. */
  embedOrigins: string[];
}

export function securityConfigOf(e: SecurityEnv): SecurityConfig {
  return {
    adminTokens: e.TIMELINE_ADMIN_TOKENS ?? [],
    authFailuresPerMinute: e.TIMELINE_AUTH_FAILURE_LIMIT,
    readRateLimitPerMinute: e.TIMELINE_READ_RATE_LIMIT,
    maxConcurrentFolds: e.TIMELINE_MAX_CONCURRENT_FOLDS,
    allowedHosts: e.TIMELINE_ALLOWED_HOSTS ?? [],
    trustedProxies: e.TIMELINE_TRUSTED_PROXIES ?? [],
    sessionSecret: e.TIMELINE_SESSION_SECRET,
    cookieSecure: e.TIMELINE_COOKIE_SECURE,
    embedOrigins: e.TIMELINE_EMBED_ORIGINS ?? [],
  };
}
