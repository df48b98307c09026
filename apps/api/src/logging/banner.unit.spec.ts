import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { capturedJson, capturedPretty } from '../../test/support/captured-logger.js';
import { bannerText, describeStore, logListening, type StartupFacts } from './banner.js';

const kafka = {
  brokers: ['127.0.0.1:9092', 'k2:9093'],
  topicPrefix: '',
  partitions: 3,
  clientLogLevel: 'error' as const,
};
const embedded: StartupFacts = {
  url: 'http://127.0.0.1:3000',
  port: 3000,
  config: { databaseUrl: undefined, dataDir: './.data', kafka },
  tokenFile: '/srv/.data/write-token',
  webDir: undefined,
};

describe('start-up banner', () => {
  it('names a PostgreSQL store by host and database, never with its password', () => {
    expect(
      describeStore({
        databaseUrl: 'postgres://timeline:s3cret@db.example:5432/timeline',
        dataDir: '.',
        kafka,
      }),
    ).toEqual({ store: 'postgres', database: 'db.example:5432/timeline' });
    expect(describeStore(embedded.config)).toEqual({ store: 'pglite', dataDir: resolve('./.data') });
  });

  it('shows the URL, the store, the brokers, the token file and the web app, one per line', () => {
    expect(bannerText(embedded).split('\n')).toEqual([
      'Timeline API listening on http://127.0.0.1:3000',
      `    store        pglite in ${resolve('./.data')}`,
      '    kafka        127.0.0.1:9092,k2:9093',
      '    write token  in /srv/.data/write-token (no TIMELINE_WRITE_TOKENS set)',
      '    web app      not built: only the API is served (pnpm build)',
    ]);
    const configured = bannerText({ ...embedded, tokenFile: undefined, webDir: '/srv/web' });
    expect(configured).not.toContain('write token');
    expect(configured).toContain('web app      served from /srv/web');
  });

  it('is one block at a terminal and one `listening` line with the same facts in JSON', () => {
    const pretty = capturedPretty();
    logListening(pretty.logger, embedded);
    expect(pretty.text()).toContain(`INFO: Startup ${bannerText(embedded)}\n`);

    const json = capturedJson();
    logListening(json.logger, embedded);
    expect(json.entries()).toEqual([
      expect.objectContaining({
        level: 'info',
        component: 'Startup',
        msg: 'listening',
        url: 'http://127.0.0.1:3000',
        port: 3000,
        store: 'pglite',
        dataDir: resolve('./.data'),
        brokers: '127.0.0.1:9092,k2:9093',
        tokenFile: '/srv/.data/write-token',
        webDir: null,
      }),
    ]);
  });
});
