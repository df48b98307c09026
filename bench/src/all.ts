/**
 * Runs every benchmark, one after another (never two at once: they would measure each other), each
 * in its own process with the same options. Results land in bench/results/*.json.
 */
import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseBenchArgs } from './lib/args.js';

const BENCHMARKS = ['append', 'latency', 'relay', 'replay'] as const;

parseBenchArgs(); // validates the options (and answers --help) before anything starts
const here = dirname(fileURLToPath(import.meta.url));
const failed: string[] = [];
const t0 = performance.now();
for (const name of BENCHMARKS) {
  process.stderr.write(`\n=== ${name} ===\n`);
  const run = spawnSync(process.execPath, [resolve(here, `${name}.js`), ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: {
      ...process.env,
      BENCH_COMMAND: ['pnpm --filter @timeline/bench bench', ...process.argv.slice(2)].join(' '),
    },
  });
  if (run.status !== 0) failed.push(`${name} (exit ${run.status ?? run.signal})`);
}
process.stderr.write(`\nall benchmarks: ${Math.round((performance.now() - t0) / 1000)} s\n`);
if (failed.length > 0) {
  process.stderr.write(`failed: ${failed.join(', ')}\n`);
  process.exit(1);
}
