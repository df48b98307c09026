import { defineConfig } from 'vitest/config';

/**
 * Every package runs vitest with the same conventions: tests are named by kind
 * (`*.unit.spec.ts`, `*.int.spec.ts`, `*.e2e.spec.ts`) and each run leaves a JSON
 * report under `reports/` that `.ci/summarize.mjs` adds up into "N passed, N failed".
 * `TEST_KIND=unit|int|e2e` narrows a run to one kind.
 */
export function timelineVitestConfig(options: { testTimeout?: number; fileParallelism?: boolean } = {}) {
  const kind = process.env.TEST_KIND;
  const pattern = kind ? `**/*.${kind}.spec.ts` : '**/*.spec.ts';
  return defineConfig({
    test: {
      include: [`src/${pattern}`, `test/${pattern}`],
      exclude: ['**/node_modules/**', '**/dist/**'],
      reporters: ['default', 'json'],
      outputFile: { json: 'reports/vitest.json' },
      testTimeout: options.testTimeout ?? 20_000,
      hookTimeout: options.testTimeout ?? 60_000,
      fileParallelism: options.fileParallelism ?? true,
    },
  });
}
