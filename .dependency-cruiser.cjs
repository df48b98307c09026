/**
 * The import rules that keep the architecture clean, checked by `pnpm lint:deps`
 * (node tools/architecture/check-dependencies.mjs).
 * Each rule's name is what a violation prints; tools/test/architecture-rules.unit.spec.ts plants one violation
 * of each in a scratch tree and expects that name.
 *
 * What these rules cannot say is checked beside them: cycles between whole folders, on the graph this cruise
 * builds (tools/architecture/folder-cycles.mjs: dependency-cruiser's own `scope: 'folder'` only links a folder
 * to the folder that directly holds the imported file, so it misses `events/append-events -> replay ->
 * events/read-log`), and SQL on the `events` table, which no import shows
 * (tools/architecture/check-sql-ownership.mjs).
 */

/**
 * Server-side packages, matched both as installed (resolved under node_modules) and as a bare name (what an
 * import of a package the importer does not declare resolves to).
 */
const SERVER_PACKAGE = '(pg|pg-[a-z]+|kafkajs|@nestjs/[^/]+|@electric-sql/pglite)(/|$)';
const SERVER_PACKAGES = [`^${SERVER_PACKAGE}`, `(^|/)node_modules/${SERVER_PACKAGE}`];
/** The apps, as files and as the workspace packages they are published as. */
const APPS = ['^apps/', '^@timeline/(api|cli|web)(/|$)'];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'shared-types-no-server-packages',
      severity: 'error',
      comment:
        'packages/shared-types is the contract between processes and the browser: no database, Kafka or NestJS',
      from: { path: '^packages/shared-types/' },
      to: { path: SERVER_PACKAGES },
    },
    {
      name: 'shared-types-no-node-builtins',
      severity: 'error',
      comment:
        'The contract also runs in the browser (apps/web), so it imports no Node module. Tests and the ' +
        'catalog docs writer (a build-time script, not exported) may.',
      from: {
        path: '^packages/shared-types/src/',
        pathNot: ['\\.spec\\.ts$', '^packages/shared-types/src/catalog/write-docs\\.ts$'],
      },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'api-client-browser-safe',
      severity: 'error',
      comment:
        'packages/api-client is the HTTP client of the web app as well as the CLI: no Node module, no server package',
      from: { path: '^packages/api-client/src/', pathNot: ['\\.spec\\.ts$'] },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'apps-not-importing-apps',
      severity: 'error',
      comment: 'An app talks to another app over HTTP or Kafka, never by importing it',
      from: { path: '^apps/([^/]+)/' },
      to: { path: APPS, pathNot: ['^apps/$1/', '^@timeline/$1(/|$)'] },
    },
    {
      name: 'packages-not-importing-apps',
      severity: 'error',
      comment: 'packages/* are below the apps: they never import one',
      from: { path: '^packages/' },
      to: { path: APPS },
    },
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A file that reaches itself through its imports: no file import cycles',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    // Other workspace packages are read from their built `dist/` (their package.json exports): kept as the
    // end of a dependency, so an import of another app still shows, but not cruised.
    doNotFollow: { path: ['node_modules', '/dist/'] },
    exclude: { path: ['/reports/', '/\\.data/', '^bench/results/', '^infra/kafka/libs/'] },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'types', 'node', 'default'],
      extensions: ['.ts', '.mts', '.js', '.mjs', '.d.ts'],
    },
    skipAnalysisNotInRules: true,
  },
};
