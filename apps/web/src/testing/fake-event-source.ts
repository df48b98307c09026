type Handler = ((this: EventSource, ev: Event) => unknown) | null;

/**
 * An EventSource the test drives: it opens, fails and delivers messages when told to. It has the shape
 * of the stream's `MinimalEventSource` without importing it, so test support depends on no app folder.
 */
export class FakeEventSource {
  onopen: Handler = null;
  onerror: Handler = null;
  closed = false;
  private readonly listeners = new Map<string, Array<(e: MessageEvent<string>) => void>>();
  constructor(readonly url: string) {}
  addEventListener(type: string, listener: (e: MessageEvent<string>) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  close(): void {
    this.closed = true;
  }
  emit(type: string, data: string): void {
    for (const l of this.listeners.get(type) ?? []) l({ data } as MessageEvent<string>);
  }
  open(): void {
    this.onopen?.call(this as unknown as EventSource, new Event('open'));
  }
  fail(): void {
    this.onerror?.call(this as unknown as EventSource, new Event('error'));
  }
}
