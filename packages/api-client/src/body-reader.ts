/**
 * openapi-fetch hands a streamed answer over as its body (`parseAs: 'stream'`) and leaves reading it to the
 * caller: NDJSON (`/api/events`, `/api/replay`, `/api/export`, rebuild progress) line by line, or text as it
 * comes. Read through a stream reader, which every browser and Node has, rather than async iteration.
 */

/** The body as text, chunk by chunk, as it arrives. */
export async function* textChunks(
  body: ReadableStream<Uint8Array> | null | undefined,
): AsyncGenerator<string> {
  if (!body) return;
  const reader = body.getReader();
  const decoder = new TextDecoder();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const text = decoder.decode(value, { stream: true });
      if (text) yield text;
    }
  } finally {
    reader.releaseLock();
  }
  const rest = decoder.decode();
  if (rest) yield rest;
}

/** The body line by line (NDJSON), as it arrives; a last line without a newline is yielded too. */
export async function* bodyLines(
  body: ReadableStream<Uint8Array> | null | undefined,
): AsyncGenerator<string> {
  let buffer = '';
  for await (const text of textChunks(body)) {
    buffer += text;
    let newline = buffer.indexOf('\n');
    while (newline >= 0) {
      yield buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      newline = buffer.indexOf('\n');
    }
  }
  if (buffer) yield buffer;
}
