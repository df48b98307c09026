#!/usr/bin/env node
// Adds up every vitest JSON report (`**/reports/vitest.json`, written by vitest.shared.ts) under the repo
// and prints one closing line: `tests: N passed, N failed, N skipped`.
// Exit code: 0 only if at least one report exists, at least one test passed and nothing failed.
//   node .ci/summarize.mjs [rootDir]
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';

const root = resolve(process.argv[2] ?? process.cwd());
const SKIP_DIRS = new Set(['node_modules', '.git', '.turbo', 'dist', '.data']);

function findReports(dir, out = []) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name)) findReports(path, out);
    } else if (e.isFile() && e.name === 'vitest.json' && basename(dir) === 'reports') {
      out.push(path);
    }
  }
  return out;
}

const num = (v) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

let passed = 0;
let failed = 0;
let skipped = 0;
const reports = findReports(root).sort();
for (const file of reports) {
  const where = relative(root, file);
  let report;
  try {
    report = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    // An unreadable report counts as a failure: something crashed while writing it.
    failed += 1;
    console.log(`  - ${where}: unreadable (${err instanceof Error ? err.message : String(err)})`);
    continue;
  }
  const p = num(report.numPassedTests);
  let f = num(report.numFailedTests);
  const s = num(report.numPendingTests) + num(report.numTodoTests);
  // A test file that failed to load/collect has status "failed" but no failed test: count it once.
  const brokenFiles = (Array.isArray(report.testResults) ? report.testResults : []).filter(
    (r) =>
      r?.status === 'failed' &&
      !(Array.isArray(r.assertionResults) ? r.assertionResults : []).some((a) => a?.status === 'failed'),
  ).length;
  f += brokenFiles;
  passed += p;
  failed += f;
  skipped += s;
  const extra = brokenFiles ? ` (${brokenFiles} file(s) failed to run)` : '';
  console.log(`  - ${where} -> passed ${p}, failed ${f}, skipped ${s}${extra}`);
}

if (reports.length === 0) {
  console.log('  (no reports/vitest.json found: did the tests run?)');
}
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(reports.length > 0 && passed > 0 && failed === 0 ? 0 : 1);
