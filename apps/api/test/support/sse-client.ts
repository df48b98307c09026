import { type EventEnvelope, SseParser } from '@timeline/shared-types';

export interface SseCapture {
  events: EventEnvelope[];
  controls: Array<{ event: string; data: string; id?: string }>;
  status: number;
  close: () => void;
  closed: Promise<void>;
}

/** Connects to an SSE endpoint with fetch and collects what it receives. */
export async function openSse(url: string, headers: Record<string, string> = {}): Promise<SseCapture> {
  const controller = new AbortController();
  const response = await fetch(url, {
    headers: { accept: 'text/event-stream', ...headers },
    signal: controller.signal,
  });
  const capture: SseCapture = {
    events: [],
    controls: [],
    status: response.status,
    close: () => controller.abort(),
    closed: Promise.resolve(),
  };
  if (!response.body) return capture;
  const parser = new SseParser();
  const decoder = new TextDecoder();
  capture.closed = (async () => {
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        for (const message of parser.push(decoder.decode(chunk, { stream: true }))) {
          if (message.event === 'message') capture.events.push(JSON.parse(message.data) as EventEnvelope);
          else capture.controls.push(message);
        }
      }
    } catch {
      // aborted by the test
    }
  })();
  return capture;
}
