import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

/**
 * Each rule is proven the same way: a scratch tree with exactly one planted violation makes its checker fail
 * with the rule's name, and the clean tree passes every checker.
 */
const ARCHITECTURE = resolve(dirname(fileURLToPath(import.meta.url)), '../architecture');
const CHECKERS = {
  dependencies: join(ARCHITECTURE, 'check-dependencies.mjs'),
  sql: join(ARCHITECTURE, 'check-sql-ownership.mjs'),
};

type Tree = Record<string, string>;

/** A small tree that breaks no rule: an API with an event store, a web app, the shared contract. */
const CLEAN: Tree = {
  'apps/api/src/main.ts':
    "import { appendEvent } from './event-store/store.js';\nexport const main = appendEvent;\n",
  'apps/api/src/event-store/store.ts':
    "import { SCHEMA } from '../../../../packages/shared-types/src/index.js';\n" +
    'export const appendEvent = `INSERT INTO events (position) VALUES ($1)`;\n' +
    'export const readEvents = `SELECT * FROM events WHERE position > $1`;\nexport const schema = SCHEMA;\n',
  'apps/api/src/replay/replay.ts':
    "import { readEvents } from '../event-store/store.js';\n" +
    '// A replay is built from events the store hands over; its own table is events_replayed.\n' +
    'export const replayed = `SELECT * FROM events_replayed`;\nexport const read = readEvents;\n',
  'apps/api/src/events/events.module.ts':
    "import { handle } from './append/handler.js';\nexport const m = handle;\n",
  'apps/api/src/events/shared.ts': 'export const shared = 1;\n',
  'apps/api/src/events/append/handler.ts':
    "import { shared } from '../shared.js';\nimport { read } from '../../replay/replay.js';\n" +
    'export const handle = shared + read.length;\n',
  'apps/web/src/main.ts':
    "import { SCHEMA } from '../../../packages/shared-types/src/index.js';\nexport const s = SCHEMA;\n",
  'packages/shared-types/src/index.ts': "import { z } from 'zod';\nexport const SCHEMA = z.string();\n",
};

const scratchDirs: string[] = [];
afterEach(() => {
  for (const dir of scratchDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function writeTree(tree: Tree): string {
  const root = mkdtempSync(join(tmpdir(), 'architecture-rules-'));
  scratchDirs.push(root);
  for (const [path, text] of Object.entries(tree)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

function check(checker: keyof typeof CHECKERS, tree: Tree) {
  const root = writeTree(tree);
  const run = spawnSync(process.execPath, [CHECKERS[checker]], { cwd: root, encoding: 'utf8' });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

/** Plants `files` into the clean tree and expects the checker to fail with `violation` (rule name first). */
function expectViolation(checker: keyof typeof CHECKERS, files: Tree, violation: string): string {
  const { status, output } = check(checker, { ...CLEAN, ...files });
  expect(output).toContain(`error ${violation}`);
  expect(status).toBe(1);
  return output;
}

/** [what, rule, file, its source]: one planted import, in a file of its own, per line. */
const IMPORT_VIOLATIONS: [string, string, string, string][] = [
  [
    'shared-types importing kafkajs',
    'shared-types-no-server-packages',
    'packages/shared-types/src/topics.ts',
    "import { Kafka } from 'kafkajs';\nexport const k = Kafka;\n",
  ],
  [
    'shared-types importing pg',
    'shared-types-no-server-packages',
    'packages/shared-types/src/store.ts',
    "import pg from 'pg';\nexport const p = pg;\n",
  ],
  [
    'shared-types importing @nestjs/common',
    'shared-types-no-server-packages',
    'packages/shared-types/src/module.ts',
    "import { Injectable } from '@nestjs/common';\nexport const i = Injectable;\n",
  ],
  [
    'an app importing another app by path',
    'apps-not-importing-apps',
    'apps/cli/src/main.ts',
    "import { main } from '../../api/src/main.js';\nexport const m = main;\n",
  ],
  [
    'an app importing another app by package name',
    'apps-not-importing-apps',
    'apps/web/src/api.ts',
    "import { main } from '@timeline/api';\nexport const m = main;\n",
  ],
  [
    'a package importing an app',
    'packages-not-importing-apps',
    'packages/testing/src/api.ts',
    "import { main } from '../../../apps/api/src/main.js';\nexport const m = main;\n",
  ],
];

describe('architecture rules', () => {
  it.each(Object.keys(CHECKERS) as (keyof typeof CHECKERS)[])(
    'the clean tree passes the %s check',
    (checker) => {
      const { status, output } = check(checker, CLEAN);
      expect(output).not.toMatch(/error/);
      expect(status).toBe(0);
    },
  );

  it('shared-types importing a Node module fails shared-types-no-node-builtins, but its tests may', () => {
    const output = expectViolation(
      'dependencies',
      {
        'packages/shared-types/src/files.ts':
          "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n",
        'packages/shared-types/src/files.unit.spec.ts':
          "import { join } from 'node:path';\nexport const j = join;\n",
      },
      'shared-types-no-node-builtins: packages/shared-types/src/files.ts',
    );
    expect(output).not.toContain('files.unit.spec.ts');
  });

  it.each(IMPORT_VIOLATIONS)('%s fails %s', (_, rule, file, source) => {
    expectViolation('dependencies', { [file]: source }, `${rule}: ${file}`);
  });

  it.each([
    ['FROM events', 'SELECT max(position) FROM events WHERE recorded_at <= $1'],
    ['JOIN events', 'SELECT * FROM streams s JOIN events e ON e.stream_id = s.id'],
    ['INSERT INTO "events"', 'INSERT INTO "events" (position) VALUES ($1)'],
    ['UPDATE public.events', 'UPDATE public.events SET type = $1'],
  ])('SQL with %s outside the event store fails with its file and line', (_, sql) => {
    expectViolation(
      'sql',
      {
        'apps/api/src/replay/replay.service.ts': `// The replay reads the log.\nexport const q = \`${sql}\`;\n`,
      },
      'sql-events-table-owned-by-event-store: apps/api/src/replay/replay.service.ts:2:',
    );
  });

  it('a file cycle fails no-circular', () => {
    expectViolation(
      'dependencies',
      {
        'apps/api/src/replay/a.ts': "import { b } from './b.js';\nexport const a = () => b;\n",
        'apps/api/src/replay/b.ts': "import { a } from './a.js';\nexport const b = () => a;\n",
      },
      'no-circular: apps/api/src/replay/a.ts',
    );
  });

  it('folders that reach each other through different files fail no-folder-cycle-whole, with no file cycle', () => {
    const output = expectViolation(
      'dependencies',
      {
        // events/append -> replay (CLEAN) and replay -> events/read-log: no file imports itself back.
        'apps/api/src/replay/log.ts':
          "import { readLog } from '../events/read-log/read.js';\nexport const log = readLog;\n",
        'apps/api/src/events/read-log/read.ts': 'export const readLog = 1;\n',
      },
      'no-folder-cycle-whole: apps/api/src/events → apps/api/src/replay → apps/api/src/events',
    );
    expect(output).toContain('apps/api/src/events/append/handler.ts → apps/api/src/replay/replay.ts');
    expect(output).toContain('apps/api/src/replay/log.ts → apps/api/src/events/read-log/read.ts');
    expect(output).not.toContain('no-circular');
  });

  it('a spec beside its code may use the package test support, which imports the code', () => {
    const run = check('dependencies', {
      ...CLEAN,
      'apps/api/src/replay/replay.unit.spec.ts':
        "import { given } from '../../test/support/given.js';\nimport { read } from './replay.js';\nexport const t = [given, read];\n",
      'apps/api/test/support/given.ts':
        "import { read } from '../../src/replay/replay.js';\nexport const given = read;\n",
    });
    expect(run.output).not.toContain('no-folder-cycle-whole');
    expect(run.status).toBe(0);
  });

  it('production code importing test support still closes a folder cycle', () => {
    expectViolation(
      'dependencies',
      {
        'apps/api/src/replay/uses-test.ts':
          "import { given } from '../../test/support/given.js';\nexport const u = given;\n",
        'apps/api/test/support/given.ts':
          "import { read } from '../../src/replay/replay.js';\nexport const given = read;\n",
      },
      'no-folder-cycle-whole: apps/api/src → apps/api/test → apps/api/src',
    );
  });

  it('the API client importing a Node module fails api-client-browser-safe', () => {
    expectViolation(
      'dependencies',
      {
        'packages/api-client/src/client.ts':
          "import { readFileSync } from 'node:fs';\nexport const read = readFileSync;\n",
      },
      'api-client-browser-safe: packages/api-client/src/client.ts',
    );
  });
});
