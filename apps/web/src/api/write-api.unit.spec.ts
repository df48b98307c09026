// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WriteFailure, WriteSession, write } from './write-api.ts';

const retractEvent = (session: WriteSession, eventId: string, reason: string) =>
  write(session, { kind: 'retract', eventId, reason });

const EVENT_ID = '0b6f1f7e-8c1a-4d55-9a57-3e0f5b1d2c3a';

function answer(status: number, body: unknown, headers: Record<string, string> = {}) {
  const seen: Request[] = [];
  vi.stubGlobal('fetch', async (request: Request) => {
    seen.push(request);
    return new Response(JSON.stringify(body), {
      status,
      headers: { 'content-type': 'application/json', ...headers },
    });
  });
  return seen;
}

async function failure(promise: Promise<unknown>): Promise<WriteFailure> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WriteFailure);
  return error as WriteFailure;
}

afterEach(() => vi.unstubAllGlobals());

describe('WriteSession', () => {
  it('sends the token as a bearer header, and forgets it on sign-out', async () => {
    const session = new WriteSession();
    const changes = vi.fn();
    session.onChange(changes);
    session.signIn('secret-token');
    const seen = answer(201, { streamId: 's', streamVersion: 2, events: [], duplicate: false });
    await retractEvent(session, EVENT_ID, 'why');
    expect(seen[0]!.headers.get('authorization')).toBe('Bearer secret-token');
    session.signOut();
    expect(session.signedIn).toBe(false);
    expect(changes).toHaveBeenCalledTimes(2);
    expect((await failure(retractEvent(session, EVENT_ID, 'why'))).status).toBe(401);
    expect(JSON.stringify(session)).not.toContain('secret-token');
  });
});

describe('refused writes', () => {
  const session = new WriteSession();
  session.signIn('t');

  it('carries the issues of a 400', async () => {
    answer(400, { message: 'invalid body', issues: [{ path: 'reason', message: 'is required' }] });
    const refused = await failure(retractEvent(session, EVENT_ID, ''));
    expect(refused).toMatchObject({ status: 400, issues: [{ path: 'reason', message: 'is required' }] });
  });

  it('says what a 401, a 409 and a 429 mean', async () => {
    answer(401, { message: 'no' });
    expect((await failure(retractEvent(session, EVENT_ID, 'x'))).message).toMatch(/Sign in again/);
    answer(409, { message: 'already retracted' });
    expect((await failure(retractEvent(session, EVENT_ID, 'x'))).message).toMatch(/already retracted/);
    answer(429, { message: 'slow down' }, { 'retry-after': '7' });
    expect((await failure(retractEvent(session, EVENT_ID, 'x'))).message).toMatch(/in 7 s/);
  });
});
