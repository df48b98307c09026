/**
 * Resolves with `work`, or rejects with `aborted()` as soon as `signal` aborts, whichever comes
 * first: a broker that does not answer, or output nobody reads, must not make Ctrl-C wait.
 */
export function unlessAborted<T>(
  work: Promise<T>,
  signal: AbortSignal | undefined,
  aborted: () => Error,
): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) {
    work.catch(() => undefined);
    return Promise.reject(aborted());
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(aborted());
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** Waits for `work` to settle, but no longer than `ms` when given (whatever it does, nothing is thrown). */
export function settleWithin(work: Promise<unknown>, ms: number | undefined): Promise<void> {
  const settled = work.then(
    () => undefined,
    () => undefined,
  );
  if (ms === undefined) return settled;
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    timer.unref?.();
    void settled.then(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
