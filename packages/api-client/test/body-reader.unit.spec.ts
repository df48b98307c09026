import { describe, expect, it } from 'vitest';
import { bodyLines, textChunks } from '../src/body-reader.js';

/** A body that arrives in the given pieces, split inside lines and inside a multi-byte character. */
function body(...pieces: Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const piece of pieces) controller.enqueue(piece);
      controller.close();
    },
  });
}

const collect = async (lines: AsyncIterable<string>) => {
  const all: string[] = [];
  for await (const line of lines) all.push(line);
  return all;
};

describe('body readers', () => {
  const bytes = new TextEncoder().encode('{"a":1}\n{"title":"Jürgen"}\n{"last":true}');
  const umlaut = bytes.indexOf(0xc3) + 1;
  const pieces = () => body(bytes.slice(0, 3), bytes.slice(3, umlaut), bytes.slice(umlaut));

  it('yields NDJSON lines as they complete, the unterminated last one too', async () => {
    expect(await collect(bodyLines(pieces()))).toEqual(['{"a":1}', '{"title":"Jürgen"}', '{"last":true}']);
  });

  it('yields text chunk by chunk without splitting a character', async () => {
    expect((await collect(textChunks(pieces()))).join('')).toBe(new TextDecoder().decode(bytes));
  });

  it('yields nothing for no body', async () => {
    expect(await collect(bodyLines(null))).toEqual([]);
  });
});
