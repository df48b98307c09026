import { isUtf8 } from 'node:buffer';
import { HttpException, HttpStatus } from '@nestjs/common';
import { ValidationError, type ValidationIssue } from '@timeline/shared-types';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/** Deeper than any event needs; deep enough nesting would otherwise exhaust the stack downstream. */
export const MAX_JSON_DEPTH = 32;
/** `application/json` and any `application/…+json`, parameters allowed. */
const JSON_TYPE = /^application\/(?:json|[^;\s/]+\+json)\s*(?:;|$)/i;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

class UnsupportedMediaTypeException extends HttpException {
  constructor(message: string) {
    super(message, HttpStatus.UNSUPPORTED_MEDIA_TYPE);
  }
}

/**
 * The body pipeline, as Fastify content-type parsers: JSON only, at most `limitBytes`, valid UTF-8,
 * bounded nesting, and no string that PostgreSQL's jsonb would refuse (NUL, lone surrogates), each
 * refused with a 4xx that names it. Fastify reads a body only for methods that carry one, after the
 * `preParsing` step that authorises writes (configure-http.ts): nothing here runs for a refused client.
 *
 * Hand-written rather than Fastify's JSON parser: that one says neither which limit a body passed nor
 * why a body is not UTF-8, and does not bound nesting before parsing.
 */
export function registerJsonBody(fastify: FastifyInstance, limitBytes: number): void {
  fastify.removeAllContentTypeParsers();
  const json = (request: FastifyRequest, payload: NodeJS.ReadableStream): Promise<unknown> =>
    readBody(request, payload, limitBytes).then(parseJsonBody);
  fastify.addContentTypeParser(JSON_TYPE, json);
  // Any other type, or none, with a body.
  fastify.addContentTypeParser('*', () =>
    Promise.reject(
      new UnsupportedMediaTypeException("request body must be JSON: send 'Content-Type: application/json'"),
    ),
  );
}

/** The body's bytes: UTF-8 JSON only, no content encoding, at most `limitBytes` (checked as they come). */
async function readBody(
  request: FastifyRequest,
  payload: NodeJS.ReadableStream,
  limitBytes: number,
): Promise<Buffer> {
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(request.headers['content-type'] ?? '')?.[1];
  if (charset && !/^utf-?8$/i.test(charset))
    throw new UnsupportedMediaTypeException(
      `unsupported charset "${charset.toUpperCase().slice(0, 40)}": send UTF-8 JSON without content encoding`,
    );
  const encoding = request.headers['content-encoding'];
  if (encoding && encoding.toLowerCase() !== 'identity')
    throw new UnsupportedMediaTypeException(
      `unsupported content encoding "${encoding.slice(0, 40)}": send UTF-8 JSON without content encoding`,
    );
  const tooLarge = () =>
    new HttpException(
      `request body is larger than the limit of ${limitBytes} bytes (TIMELINE_BODY_LIMIT)`,
      HttpStatus.PAYLOAD_TOO_LARGE,
    );
  if (Number(request.headers['content-length'] ?? 0) > limitBytes) throw tooLarge();
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of payload as AsyncIterable<Buffer>) {
    length += chunk.length;
    if (length > limitBytes) throw tooLarge();
    chunks.push(chunk);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, length);
}

/**
 * The checks cheap to make on the bytes before parsing, the strict parse, and the walk for NUL and lone
 * surrogates only when the text holds a `\u` escape: only an escape can put either into a parsed string
 * (JSON refuses a raw control character, and valid UTF-8 cannot encode a surrogate), and the nesting
 * was bounded before parsing. An empty body is `{}`, as a body-less request was under Express.
 */
function parseJsonBody(bytes: Buffer): unknown {
  if (bytes.length === 0) return {};
  if (!isUtf8(bytes)) throw new HttpException('request body is not valid UTF-8', HttpStatus.BAD_REQUEST);
  if (jsonDepthExceeds(bytes, MAX_JSON_DEPTH))
    throw new HttpException(
      `request body nesting is deeper than ${MAX_JSON_DEPTH} levels`,
      HttpStatus.BAD_REQUEST,
    );
  const text = bytes.toString('utf8');
  const first = /^[ \t\n\r]*(.)/.exec(text)?.[1];
  if (first !== '{' && first !== '[')
    throw new HttpException('malformed JSON: the body must be an object or an array', HttpStatus.BAD_REQUEST);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new HttpException(`malformed JSON: ${(error as Error).message}`, HttpStatus.BAD_REQUEST);
  }
  if (bytes.includes('\\u')) {
    const issues = inspectJsonValue(value);
    if (issues.length > 0) throw new ValidationError(issues, 'request body');
  }
  return value;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACKET = 0x5b;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACKET = 0x5d;
const CLOSE_BRACE = 0x7d;

/**
 * Whether arrays and objects nest deeper than `limit` in this JSON text, by one pass over its bytes
 * (brackets inside strings do not count). Malformed text is left to the parser: this only has to
 * keep a deep `[[[…]]]` from being parsed at all.
 */
export function jsonDepthExceeds(bytes: Uint8Array, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!;
    if (inString) {
      if (byte === BACKSLASH) i++;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) inString = true;
    else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
      if (++depth > limit) return true;
    } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) depth--;
  }
  return false;
}

/** An iterative walk (a recursive one is what deep nesting would break), reporting the first few problems. */
export function inspectJsonValue(root: unknown): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const stack: Array<{ value: unknown; path: string[] }> = [{ value: root, path: [] }];
  while (stack.length > 0 && issues.length < 10) {
    const { value, path } = stack.pop()!;
    if (typeof value === 'string') {
      const problem = stringProblem(value);
      if (problem) issues.push({ path: path.join('.'), message: problem });
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (path.length >= MAX_JSON_DEPTH) {
      issues.push({ path: path.join('.'), message: `nesting is deeper than ${MAX_JSON_DEPTH} levels` });
      continue;
    }
    for (const [key, child] of Object.entries(value)) {
      const problem = stringProblem(key);
      if (problem) issues.push({ path: [...path, key].join('.'), message: `key ${problem}` });
      stack.push({ value: child, path: [...path, key] });
    }
  }
  return issues;
}

function stringProblem(value: string): string | undefined {
  if (value.includes('\u0000')) return 'must not contain the NUL character';
  if (LONE_SURROGATE.test(value)) return 'must not contain unpaired UTF-16 surrogates';
  return undefined;
}
