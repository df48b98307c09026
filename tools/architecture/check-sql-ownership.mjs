#!/usr/bin/env node
/**
 * Only the event store touches the `events` table: every other part of the API reads the log through it.
 * No import shows a table, so this scans the API's sources for SQL naming `events` (not `events_*`) and fails
 * naming the file and line of each one outside apps/api/src/event-store/.
 *
 *   node tools/architecture/check-sql-ownership.mjs [root]      (root: the repo, default the working dir)
 *
 * SQL is recognised by its upper-case keywords, the way the code base writes it, so prose in comments
 * ("built from events") does not count.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

const RULE_NAME = 'sql-events-table-owned-by-event-store';
const SOURCES = 'apps/api/src';
const OWNER = 'apps/api/src/event-store/';

// FROM/JOIN/INTO/UPDATE/TABLE/TRUNCATE/REFERENCES/ON (index) followed by the table, optionally schema-qualified
// or quoted; the name must end there.
const EVENTS_TABLE_SQL =
  /\b(?:FROM|JOIN|INTO|UPDATE|TABLE|TRUNCATE|REFERENCES|ON)\s+(?:ONLY\s+)?(?:"?public"?\.)?"?events"?(?![\w$])/g;

function* typeScriptFiles(dir) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && entry.name !== 'dist') yield* typeScriptFiles(path);
    } else if (entry.isFile() && /\.(ts|mts)$/.test(entry.name)) {
      yield path;
    }
  }
}

/** Every SQL mention of `events` outside the event store: [{ file, line, text }]. */
function findEventsTableSql(root) {
  const found = [];
  for (const path of typeScriptFiles(join(root, SOURCES))) {
    const file = relative(root, path).split(sep).join('/');
    if (file.startsWith(OWNER)) continue;
    const lines = readFileSync(path, 'utf8').split('\n');
    lines.forEach((text, index) => {
      EVENTS_TABLE_SQL.lastIndex = 0;
      if (EVENTS_TABLE_SQL.test(text)) found.push({ file, line: index + 1, text: text.trim() });
    });
  }
  return found;
}

const found = findEventsTableSql(process.argv[2] ?? process.cwd());
for (const { file, line, text } of found) {
  console.log(`  error ${RULE_NAME}: ${file}:${line}: ${text}`);
}
if (found.length > 0) {
  console.log(`\nx ${found.length} SQL mention(s) of the events table outside ${OWNER}`);
  process.exitCode = 1;
} else {
  console.log(`✔ only ${OWNER} names the events table in SQL`);
}
