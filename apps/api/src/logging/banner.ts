import { resolve } from 'node:path';
import type { AppConfig } from '../config/config.js';
import { describeRoles } from '../config/roles.js';
import type { AppLogger } from './logger.js';

/** What a person needs once the server listens: where it is, what it stores in, where writes need a token from. */
export interface StartupFacts {
  url: string;
  port: number;
  config: Pick<AppConfig, 'databaseUrl' | 'dataDir' | 'kafka'> & Partial<Pick<AppConfig, 'roles'>>;
  /** The generated write token's file, when no TIMELINE_WRITE_TOKENS were given. */
  tokenFile: string | undefined;
  /** The web app's folder, when it is built. */
  webDir: string | undefined;
}

/** The store without its password: `postgres db-host:5432/timeline`, or the embedded store's folder. */
export function describeStore(config: StartupFacts['config']): {
  store: string;
  database?: string;
  dataDir?: string;
} {
  if (!config.databaseUrl) return { store: 'pglite', dataDir: resolve(config.dataDir) };
  try {
    const url = new URL(config.databaseUrl);
    return { store: 'postgres', database: `${url.host}${url.pathname}` };
  } catch {
    return { store: 'postgres' };
  }
}

function listeningFields(facts: StartupFacts) {
  return {
    url: facts.url,
    port: facts.port,
    ...(facts.config.roles ? { roles: describeRoles(facts.config.roles) } : {}),
    ...describeStore(facts.config),
    brokers: facts.config.kafka.brokers.join(','),
    ...(facts.config.kafka.topicPrefix ? { topicPrefix: facts.config.kafka.topicPrefix } : {}),
    ...(facts.tokenFile ? { tokenFile: facts.tokenFile } : {}),
    webDir: facts.webDir ?? null,
  };
}

export function bannerText(facts: StartupFacts): string {
  const fields = listeningFields(facts);
  const rows: Array<[string, string]> = [
    ...(fields.roles && fields.roles !== 'all' ? [['roles', fields.roles] as [string, string]] : []),
    [
      'store',
      fields.store === 'pglite' ? `pglite in ${fields.dataDir}` : `postgres ${fields.database ?? ''}`,
    ],
    ['kafka', fields.brokers + (fields.topicPrefix ? ` (topics prefixed ${fields.topicPrefix})` : '')],
    ...(fields.tokenFile
      ? [['write token', `in ${fields.tokenFile} (no TIMELINE_WRITE_TOKENS set)`] as [string, string]]
      : []),
    ...(facts.config.roles && !facts.config.roles.has('api')
      ? []
      : [
          [
            'web app',
            fields.webDir ? `served from ${fields.webDir}` : 'not built: only the API is served (pnpm build)',
          ] as [string, string],
        ]),
  ];
  return [`Timeline API listening on ${fields.url}`, ...rows.map(([k, v]) => `    ${k.padEnd(13)}${v}`)].join(
    '\n',
  );
}

/**
 * One start-up banner once the server listens. JSON gets the facts as fields of the `listening` line
 * (test harnesses and collectors read the port from it); a terminal gets them as a short block.
 */
export function logListening(logger: AppLogger, facts: StartupFacts): void {
  if (logger.format === 'pretty') logger.log({ msg: bannerText(facts) }, 'Startup');
  else logger.log({ msg: 'listening', ...listeningFields(facts) }, 'Startup');
}
