/** One Server-Sent Events message as the gateway sends it: `id` is the log position. */
export interface SseMessage {
  id?: string;
  event: string;
  data: string;
}

/**
 * An incremental parser for `text/event-stream` (the WHATWG framing), for clients without
 * EventSource: the CLI's `tail` and the tests. Feed it text chunks; it returns complete messages.
 */
export class SseParser {
  private buffer = '';
  private data: string[] = [];
  private event = '';
  private id: string | undefined;

  push(chunk: string): SseMessage[] {
    this.buffer += chunk;
    const messages: SseMessage[] = [];
    for (;;) {
      const newline = this.buffer.search(/\r\n|\r|\n/);
      if (newline < 0) break;
      const line = this.buffer.slice(0, newline);
      const width = this.buffer.startsWith('\r\n', newline) ? 2 : 1;
      this.buffer = this.buffer.slice(newline + width);
      if (line === '') {
        if (this.data.length > 0 || this.event) {
          const message: SseMessage = { event: this.event || 'message', data: this.data.join('\n') };
          if (this.id !== undefined) message.id = this.id;
          messages.push(message);
        }
        this.data = [];
        this.event = '';
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'data') this.data.push(value);
      else if (field === 'event') this.event = value;
      else if (field === 'id') this.id = value;
    }
    return messages;
  }
}
