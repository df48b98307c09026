import { createTimelineClient, type Schema } from '@timeline/api-client';
import type { NewEvent, ValidationIssue } from '@timeline/shared-types';
import type { Correction } from '../model/event-draft.ts';

type AppendResponse = Schema<'AppendResponse'>;

/**
 * The write token, held in this object's private field and nowhere else: not in storage, a cookie or
 * the URL, so it is gone when the page reloads, and "Sign out" forgets it.
 */
export class WriteSession {
  #token: string | undefined;
  private readonly listeners = new Set<() => void>();

  get signedIn(): boolean {
    return this.#token !== undefined;
  }

  signIn(token: string): void {
    this.#token = token;
    this.changed();
  }

  signOut(): void {
    this.#token = undefined;
    this.changed();
  }

  onChange(listener: () => void): void {
    this.listeners.add(listener);
  }

  /** The API client with the token; throws when signed out. */
  client(): ReturnType<typeof createTimelineClient> {
    if (this.#token === undefined) throw new WriteFailure(401, 'Sign in to edit first.');
    return createTimelineClient({ baseUrl: '', token: this.#token });
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}

/** A write the API refused, with what the form shows next to itself. */
export class WriteFailure extends Error {
  override readonly name = 'WriteFailure';
  readonly issues: readonly ValidationIssue[];

  /** `status` 0: the API was not reached. */
  constructor(
    readonly status: number,
    message: string,
    issues: readonly ValidationIssue[] = [],
  ) {
    super(message);
    this.issues = issues;
  }
}

type Answer = { data?: unknown; error?: unknown; response: Response };

async function send(call: () => Promise<Answer>): Promise<AppendResponse> {
  let answer: Answer;
  try {
    answer = await call();
  } catch (error) {
    if (error instanceof WriteFailure) throw error;
    throw new WriteFailure(
      0,
      `The API could not be reached (${error instanceof Error ? error.message : String(error)}); nothing was sent. Try again.`,
    );
  }
  if (answer.response.status === 201) return answer.data as AppendResponse;
  throw failureOf(answer.response, answer.error);
}

function failureOf(response: Response, body: unknown): WriteFailure {
  const error = (body ?? {}) as { message?: unknown; issues?: unknown };
  const message = typeof error.message === 'string' ? error.message : `answered ${response.status}`;
  const issues = Array.isArray(error.issues) ? (error.issues as ValidationIssue[]) : [];
  switch (response.status) {
    case 400:
      return new WriteFailure(400, `The API refused the event: ${message}`, issues);
    case 401:
      return new WriteFailure(401, 'The write token was not accepted. Sign in again; the form is kept.');
    case 409:
      return new WriteFailure(409, `Conflict: ${message}`);
    case 429: {
      const wait = response.headers.get('retry-after');
      return new WriteFailure(429, `Too many writes; try again${wait ? ` in ${wait} s` : ' shortly'}.`);
    }
    default:
      return new WriteFailure(response.status, `The API answered ${response.status}: ${message}`);
  }
}

/** One write the forms make: an append, a correction or a retraction. */
export type Write =
  | { kind: 'append'; streamId: string; event: NewEvent }
  | { kind: 'append-many'; streamId: string; events: NewEvent[] }
  | { kind: 'correct'; eventId: string; correction: Correction }
  | { kind: 'retract'; eventId: string; reason: string };

/** Sends `request` with the session's token; a refusal is a `WriteFailure` saying why. */
export function write(session: WriteSession, request: Write): Promise<AppendResponse> {
  return send(() => {
    const client = session.client();
    switch (request.kind) {
      case 'append': {
        const path = { streamId: request.streamId };
        return client.POST('/api/streams/{streamId}/events', {
          params: { path },
          body: { events: [request.event] } as never,
        });
      }
      case 'append-many':
        return client.POST('/api/streams/{streamId}/events', {
          params: { path: { streamId: request.streamId } },
          body: { events: request.events } as never,
        });
      case 'correct':
        return client.POST('/api/events/{eventId}/corrections', {
          params: { path: { eventId: request.eventId } },
          body: request.correction as never,
        });
      case 'retract':
        return client.POST('/api/events/{eventId}/retraction', {
          params: { path: { eventId: request.eventId } },
          body: { reason: request.reason },
        });
    }
  });
}

/**
 * Whether the API takes `token` for writes, without writing: an empty append passes the token check
 * (401 otherwise) and is then refused as invalid (400), so nothing is stored.
 */
export async function checkWriteToken(token: string): Promise<boolean> {
  const client = createTimelineClient({ baseUrl: '', token });
  const { response } = await client
    .POST('/api/streams/{streamId}/events', {
      params: { path: { streamId: 'write-token-check' } },
      body: { events: [] } as never,
    })
    .catch((error: unknown) => {
      throw new WriteFailure(
        0,
        `The API could not be reached (${error instanceof Error ? error.message : String(error)}).`,
      );
    });
  if (response.status === 400) return true;
  if (response.status === 401) return false;
  throw failureOf(response, undefined);
}
