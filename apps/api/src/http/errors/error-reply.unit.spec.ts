import { NotFoundException } from '@nestjs/common';
import { ValidationError } from '@timeline/shared-types';
import { describe, expect, it } from 'vitest';
import {
  EventIdConflictError,
  StoreUnavailableError,
  WrongExpectedVersionError,
} from '../../event-store/event-store.port.js';
import { ConflictError } from '../../shared/conflict.error.js';
import { toErrorReply } from './error-reply.js';
import { MissingCredentialsException, RateLimitedException, RetryLaterException } from './http-errors.js';

describe('toErrorReply', () => {
  it('answers a ValidationError with 400 and its issues', () => {
    const reply = toErrorReply(new ValidationError([{ path: 'events.0.type', message: 'unknown' }]));
    expect(reply).toMatchObject({
      status: 400,
      internal: false,
      body: { statusCode: 400, error: 'Bad Request', issues: [{ path: 'events.0.type' }] },
    });
  });

  it('answers a version conflict with 409, expected and actual', () => {
    expect(toErrorReply(new WrongExpectedVersionError('s', 'no_stream', 3)).body).toMatchObject({
      statusCode: 409,
      error: 'Conflict',
      expected: 'no_stream',
      actual: 3,
    });
  });

  it('answers id conflicts and refused commands with 409', () => {
    expect(toErrorReply(new EventIdConflictError('e', 'differs')).status).toBe(409);
    expect(toErrorReply(new ConflictError('retracted')).body.message).toBe('retracted');
  });

  it('sets Retry-After on 429 and WWW-Authenticate on 401', () => {
    expect(toErrorReply(new RateLimitedException(7)).headers).toEqual({ 'Retry-After': '7' });
    const busy = toErrorReply(new RetryLaterException('busy', 2, 503));
    expect(busy).toMatchObject({ status: 503, internal: false, headers: { 'Retry-After': '2' } });
    expect(toErrorReply(new MissingCredentialsException('write')).headers).toEqual({
      'WWW-Authenticate': 'Bearer realm="timeline"',
    });
  });

  it('answers an unavailable store with 503 and Retry-After, without the connection details', () => {
    const reply = toErrorReply(new StoreUnavailableError(new Error('connect ECONNREFUSED 10.0.0.5:5432')));
    expect(reply).toMatchObject({ status: 503, internal: false, headers: { 'Retry-After': '2' } });
    expect(JSON.stringify(reply.body)).not.toContain('10.0.0.5');
  });

  it("keeps Nest's and Express's client errors", () => {
    expect(toErrorReply(new NotFoundException('Cannot GET /x')).body).toMatchObject({
      statusCode: 404,
      message: 'Cannot GET /x',
    });
    const decodeError = Object.assign(new URIError("Failed to decode param '%'"), { status: 400 });
    expect(toErrorReply(decodeError).status).toBe(400);
  });

  it('hides everything else behind a 500 marked internal', () => {
    const reply = toErrorReply(new TypeError('secret detail'));
    expect(reply).toMatchObject({ status: 500, internal: true });
    expect(JSON.stringify(reply.body)).not.toContain('secret detail');
    expect(toErrorReply(Object.assign(new Error('pool'), { status: 503 })).status).toBe(500);
    expect(toErrorReply('a string').status).toBe(500);
  });
});
