import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

/**
 * patches/kafkajs@2.2.4.patch changes how kafkajs encodes and decodes records (for CPU, docs/benchmarks.md
 * "Appends at peer speed"): these pin the wire format it must still write and read.
 */
const require = createRequire(import.meta.url);
const internal = (path: string) => require(`kafkajs/src/protocol/${path}`) as unknown;

type EncoderLike = {
  writeVarInt(v: number): EncoderLike;
  writeUVarInt(v: number): EncoderLike;
  buffer: Buffer;
};
const Encoder = internal('encoder.js') as new () => EncoderLike;
const Decoder = internal('decoder.js') as new (buffer: Buffer) => unknown;
const crc32C = internal('recordBatch/crc32C/index.js') as (buffer: Buffer) => number;
const encodeRecord = internal('recordBatch/record/v0/index.js') as (record: {
  offsetDelta: number;
  timestampDelta: number;
  key: string;
  value: string;
  headers: Record<string, string | string[]>;
}) => EncoderLike;
const decodeRecord = internal('recordBatch/record/v0/decoder.js') as (
  decoder: unknown,
  context: Record<string, unknown>,
) => { offset: string; key: Buffer; value: Buffer; headers: Record<string, Buffer | Buffer[]> };

describe('kafkajs as patched', () => {
  it('writes varints as the protocol does (zigzag LEB128)', () => {
    const bytes = (v: number) => [...new Encoder().writeVarInt(v).buffer];
    expect(bytes(0)).toEqual([0]);
    expect(bytes(-1)).toEqual([1]);
    expect(bytes(1)).toEqual([2]);
    expect(bytes(150)).toEqual([0xac, 0x02]);
    expect(bytes(-(2 ** 31))).toEqual([0xff, 0xff, 0xff, 0xff, 0x0f]);
    expect([...new Encoder().writeUVarInt(300).buffer]).toEqual([0xac, 0x02]);
  });

  it('computes CRC-32C: the check value, and the same at every length around the 8-byte steps', () => {
    expect(crc32C(Buffer.from('123456789'))).toBe(0xe3069283);
    const bitwise = (buffer: Buffer) => {
      let crc = 0xffffffff;
      for (const byte of buffer) {
        crc ^= byte;
        for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
      }
      return (crc ^ 0xffffffff) >>> 0;
    };
    for (let length = 0; length < 40; length++) {
      const buffer = Buffer.from(Array.from({ length }, (_, i) => (i * 37 + length) & 0xff));
      expect(crc32C(buffer)).toBe(bitwise(buffer));
    }
  });

  it('reads back a record with its headers, a repeated header as an array', () => {
    const encoded = encodeRecord({
      offsetDelta: 3,
      timestampDelta: 5,
      key: 'stream-1',
      value: '{"position":42}',
      headers: { position: '42', ce_id: 'abc', repeated: ['1', '2'] },
    }).buffer;
    let length = 0;
    while ((encoded[length]! & 0x80) !== 0) length += 1;
    const record = decodeRecord(new Decoder(encoded.subarray(length + 1)), {
      firstOffset: '10',
      firstTimestamp: 1_700_000_000_000,
      magicByte: 2,
    });
    expect(record.offset).toBe('13');
    expect(record.key.toString()).toBe('stream-1');
    expect(record.value.toString()).toBe('{"position":42}');
    expect(Object.keys(record.headers)).toEqual(['position', 'ce_id', 'repeated']);
    expect(record.headers.position?.toString()).toBe('42');
    expect((record.headers.repeated as Buffer[]).map(String)).toEqual(['1', '2']);
  });
});
