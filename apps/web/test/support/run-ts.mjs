#!/usr/bin/env node
/**
 * Runs a TypeScript support script (Node 20 cannot strip types): the module is loaded through Vite's
 * module runner, then its exported `main(args)` is called with the remaining arguments.
 *   node test/support/run-ts.mjs test/support/screenshots.ts --url http://127.0.0.1:3000
 */
import { resolve } from 'node:path';
import { runnerImport } from 'vite';

const [file, ...args] = process.argv.slice(2);
if (!file) {
  console.error('usage: node test/support/run-ts.mjs <script.ts> [args…]');
  process.exit(2);
}
const { module } = await runnerImport(resolve(file), { logLevel: 'error' });
if (typeof module.main !== 'function') {
  console.error(`${file} exports no main(args) function`);
  process.exit(2);
}
try {
  process.exitCode = (await module.main(args)) ?? 0;
} catch (error) {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
}
