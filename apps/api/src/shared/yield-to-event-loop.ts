/**
 * Embedded PGlite runs queries on this thread and resolves them at once: without a pause between
 * pages, a long fold or replay would keep HTTP requests and timers waiting until it ends.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
