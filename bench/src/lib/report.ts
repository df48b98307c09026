import { spawnSync } from 'node:child_process';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { kafkaVersion, REPO_ROOT, RESULTS_DIR } from './env.js';

/** Progress on stderr: one line per update on a terminal, at most one every few seconds otherwise. */
export class Progress {
  private lastPrint = 0;
  private readonly tty = process.stderr.isTTY === true;

  constructor(private readonly label: string) {}

  update(text: string, force = false): void {
    const now = Date.now();
    if (!force && now - this.lastPrint < (this.tty ? 200 : 3_000)) return;
    this.lastPrint = now;
    if (this.tty) process.stderr.write(`\r\x1b[2K[${this.label}] ${text}`);
    else process.stderr.write(`[${this.label}] ${text}\n`);
  }

  done(text: string): void {
    if (this.tty) process.stderr.write(`\r\x1b[2K[${this.label}] ${text}\n`);
    else process.stderr.write(`[${this.label}] ${text}\n`);
  }
}

export function say(label: string, text: string): void {
  process.stderr.write(`[${label}] ${text}\n`);
}

/** A pipe table (readable on a terminal and pasteable into Markdown); numbers right-aligned. */
export function table(headers: string[], rows: Array<Array<string | number>>): string {
  const cells = rows.map((row) => row.map((c) => (typeof c === 'number' ? formatNumber(c) : c)));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => (r[i] ?? '').length)));
  const numeric = headers.map((_, i) => rows.every((r) => typeof r[i] === 'number' || r[i] === '–'));
  const line = (row: string[]) =>
    `| ${row.map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (numeric[i] ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`;
  return [line(headers), rule, ...cells.map(line)].join('\n');
}

export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return '–';
  if (Number.isInteger(n) || Math.abs(n) >= 100) return Math.round(n).toLocaleString('en-GB');
  if (Math.abs(n) >= 10) return n.toFixed(1);
  return n.toFixed(2);
}

export interface Machine {
  cores: number;
  cpu: string;
  memoryGiB: number;
  node: string;
  platform: string;
  postgres: string;
  kafka: string;
  /** The commit the tree was at (the working tree may hold more: apps are measured as built). */
  commit: string;
}

function gitCommit(): string {
  const run = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' });
  return run.status === 0 ? run.stdout.trim() : 'unknown';
}

export function machine(postgresVersion: string): Machine {
  const list = cpus();
  return {
    cores: list.length,
    cpu: list[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    postgres: postgresVersion,
    kafka: kafkaVersion(),
    commit: gitCommit(),
  };
}

/**
 * Writes `bench/results/<name>.json` (small, meant to be committed): replaced atomically. `fileName`
 * (without `.json`) keeps a variant of a benchmark's run beside its usual results.
 */
export async function writeResults(
  name: string,
  body: Record<string, unknown>,
  fileName = name,
): Promise<string> {
  await mkdir(RESULTS_DIR, { recursive: true });
  const file = resolve(RESULTS_DIR, `${fileName}.json`);
  const tmp = `${file}.tmp`;
  const content = {
    benchmark: name,
    date: new Date().toISOString(),
    command:
      process.env.BENCH_COMMAND ??
      `pnpm --filter @timeline/bench bench:${name}${process.argv.length > 2 ? ` ${process.argv.slice(2).join(' ')}` : ''}`,
    ...body,
  };
  await writeFile(tmp, `${JSON.stringify(content, null, 2)}\n`);
  await rename(tmp, file);
  return file;
}
