import { isUtf8 } from 'node:buffer';
import { HttpException, HttpStatus } from '@nestjs/common';
import { ValidationError, type ValidationIssue } from '@timeline/shared-types';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';

/** Deeper than any event needs; deep enough nesting would otherwise exhaust the stack downstream. */
export const MAX_JSON_DEPTH = 32;
const JSON_TYPES = ['application/json', 'application/*+json'];
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

class UnsupportedMediaTypeException extends HttpException {
  constructor(message: string) {
    super(message, HttpStatus.UNSUPPORTED_MEDIA_TYPE);
  }
}

/**
 * The body pipeline: JSON only, at most `limitBytes`, valid UTF-8, bounded nesting, and no string
 * that PostgreSQL's jsonb would refuse (NUL, lone surrogates), each refused with a 4xx that names it.
 */
export function jsonBody(limitBytes: number): RequestHandler[] {
  const parse = express.json({
    limit: limitBytes,
    strict: true,
    type: JSON_TYPES,
    verify: verifyBeforeParse,
  });
  // Only methods whose routes take a body: a GET's body is never read (Node discards it), since reads
  // are not authenticated ahead of the parser the way writes are.
  const parseJson: RequestHandler = (request, response, next) =>
    BODY_METHODS.has(request.method)
      ? parse(request, response, (error?: unknown) =>
          next(error === undefined ? undefined : bodyRejection(error, limitBytes)),
        )
      : next();
  return [requireJsonContentType, parseJson, inspectJson];
}

/**
 * Body-parser's errors, restated for the client. Nest would otherwise flatten them to their status
 * and a terse message; anything that is not a client error stays as it is (a 500, logged).
 */
function bodyRejection(error: unknown, limitBytes: number): unknown {
  const { type, status, message } = error as { type?: unknown; status?: unknown; message?: unknown };
  const text = typeof message === 'string' ? message : 'unreadable body';
  switch (type) {
    case 'entity.too.large':
      return new HttpException(
        `request body is larger than the limit of ${limitBytes} bytes (TIMELINE_BODY_LIMIT)`,
        HttpStatus.PAYLOAD_TOO_LARGE,
      );
    case 'entity.parse.failed':
      return new HttpException(`malformed JSON: ${text}`, HttpStatus.BAD_REQUEST);
    case 'entity.too.deep':
      return new HttpException(
        `request body nesting is deeper than ${MAX_JSON_DEPTH} levels`,
        HttpStatus.BAD_REQUEST,
      );
    case 'entity.encoding.invalid':
    case 'entity.verify.failed':
      return new HttpException('request body is not valid UTF-8', HttpStatus.BAD_REQUEST);
    case 'charset.unsupported':
    case 'encoding.unsupported':
      return new UnsupportedMediaTypeException(`${text}: send UTF-8 JSON without content encoding`);
    default:
      return typeof status === 'number' && status >= 400 && status < 500
        ? new HttpException(text, status)
        : error;
  }
}

function requireJsonContentType(request: Request, _response: Response, next: NextFunction): void {
  if (!BODY_METHODS.has(request.method)) {
    next();
    return;
  }
  const hasBody =
    request.headers['transfer-encoding'] !== undefined || Number(request.headers['content-length'] ?? 0) > 0;
  next(
    hasBody && !request.is(JSON_TYPES)
      ? new UnsupportedMediaTypeException("request body must be JSON: send 'Content-Type: application/json'")
      : undefined,
  );
}

/**
 * Bodies whose text holds a `\u` escape. Only an escape can put NUL or a lone surrogate into a parsed
 * string (JSON refuses a raw control character, and valid UTF-8 cannot encode a surrogate), and the
 * nesting was bounded before parsing: a body without one needs no walk after it.
 */
const escapedBodies = new WeakSet<object>();

/** Body-parser's hook between reading the bytes and parsing them: what is cheap to refuse unparsed. */
function verifyBeforeParse(request: object, _response: unknown, buffer: Buffer): void {
  if (!isUtf8(buffer)) throw bodyError('request body is not valid UTF-8', 'entity.encoding.invalid');
  if (jsonDepthExceeds(buffer, MAX_JSON_DEPTH))
    throw bodyError(`request body nesting is deeper than ${MAX_JSON_DEPTH} levels`, 'entity.too.deep');
  if (buffer.includes('\\u')) escapedBodies.add(request);
}

function bodyError(message: string, type: string): Error {
  return Object.assign(new Error(message), { status: 400, expose: true, type });
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

function inspectJson(request: Request, _response: Response, next: NextFunction): void {
  if (request.body === undefined || !escapedBodies.has(request)) {
    next();
    return;
  }
  const issues = inspectJsonValue(request.body);
  next(issues.length > 0 ? new ValidationError(issues, 'request body') : undefined);
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
