import type { CliIo } from './io.js';

/**
 * A progress bar on stderr, drawn only when stderr is a terminal: in a pipe or a log file it would
 * be noise, so nothing is written there.
 */
export class Progress {
  private last = 0;
  private drawn = false;
  private readonly enabled: boolean;

  constructor(
    private readonly io: Pick<CliIo, 'stderr'>,
    private readonly label: string,
    private total: number | undefined = undefined,
  ) {
    this.enabled = io.stderr.isTTY === true;
  }

  setTotal(total: number): void {
    this.total = total;
  }

  update(done: number, note = ''): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.last < 100 && (this.total === undefined || done < this.total)) return;
    this.last = now;
    this.drawn = true;
    this.io.stderr.write(
      `\r\x1b[2K${renderProgress(this.label, done, this.total, note, this.io.stderr.columns ?? 80)}`,
    );
  }

  done(): void {
    if (this.enabled && this.drawn) this.io.stderr.write('\r\x1b[2K');
  }
}

export function renderProgress(
  label: string,
  done: number,
  total: number | undefined,
  note: string,
  columns: number,
): string {
  if (total === undefined || total <= 0)
    return `${label} ${done.toLocaleString('en-GB')} ${note}`.trimEnd().slice(0, columns - 1);
  const ratio = Math.min(1, done / total);
  const width = Math.max(10, Math.min(40, columns - label.length - 40));
  const filled = Math.round(ratio * width);
  const bar = `${'#'.repeat(filled)}${'-'.repeat(width - filled)}`;
  const count = `${done.toLocaleString('en-GB')}/${total.toLocaleString('en-GB')}`;
  return `${label} [${bar}] ${String(Math.floor(ratio * 100)).padStart(3)}% ${count} ${note}`
    .trimEnd()
    .slice(0, columns - 1);
}
