#!/usr/bin/env node
/**
 * The import rules of .dependency-cruiser.cjs, plus cycles between whole folders (folder-cycles.mjs), in one
 * cruise of the tree. Prints dependency-cruiser's usual `err` report followed by the folder cycles, and exits
 * non-zero when either found an error.
 *
 *   node tools/architecture/check-dependencies.mjs [path ...]
 *
 * Paths are relative to the working directory, which is also where the rules' paths start (the repo root for
 * `pnpm lint:deps`, a scratch tree in the rules' tests). Without paths: every top-level folder that holds
 * code (those that exist of apps, packages, bench, infra, tools).
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cruise, format } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import { findFolderCycles, formatFolderCycles } from './folder-cycles.mjs';

const CONFIG = join(dirname(fileURLToPath(import.meta.url)), '../../.dependency-cruiser.cjs');
const DEFAULT_ROOTS = ['apps', 'packages', 'bench', 'infra', 'tools'];

const roots =
  process.argv.length > 2 ? process.argv.slice(2) : DEFAULT_ROOTS.filter((root) => existsSync(root));
const options = await extractDepcruiseOptions(CONFIG);
const { output: result } = await cruise(roots, options);

const rules = await format(result, { outputType: 'err' });
const cycles = findFolderCycles(result.modules);

process.stdout.write(rules.output);
if (cycles.length > 0) {
  process.stdout.write(
    `\n${formatFolderCycles(cycles)}\nx ${cycles.length} cycle(s) between whole folders.\n`,
  );
}
process.exitCode = rules.exitCode > 0 || cycles.length > 0 ? 1 : 0;
