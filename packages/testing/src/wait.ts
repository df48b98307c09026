export interface WaitOptions {
  /** Give up after this long (default 30 s). */
  timeoutMs?: number;
  /** Pause between probes (default 100 ms). */
  intervalMs?: number;
}

/**
 * Polls `probe` until it returns something other than `undefined` or `false`, and resolves with it.
 * A probe that throws ends the wait with its error: a probe that should ride out failures (a server
 * still starting) catches them itself. `what` may be a function so that the message can say what
 * was last seen at the moment the wait gave up.
 */
export async function waitFor<T>(
  what: string | (() => string),
  probe: () => Promise<T | undefined | false>,
  { timeoutMs = 30_000, intervalMs = 100 }: WaitOptions = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${typeof what === 'string' ? what : what()}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/**
 * `waitFor` with a suite's own defaults, in the positional shape the specs call it with:
 * `wait(what, probe, timeoutMs?)`.
 */
export function poller(defaults: { timeoutMs: number; intervalMs: number }) {
  return <T>(
    what: string,
    probe: () => Promise<T | undefined | false>,
    timeoutMs = defaults.timeoutMs,
  ): Promise<T> => waitFor(what, probe, { timeoutMs, intervalMs: defaults.intervalMs });
}
