export interface ApiResponse<Body = unknown> {
  status: number;
  headers: Headers;
  body: Body;
  text: string;
}

/** A small fetch wrapper: JSON in, JSON (or text) out, never throws on an HTTP status. */
export async function call<Body = unknown>(
  baseUrl: string,
  method: string,
  path: string,
  options: {
    body?: unknown;
    rawBody?: string | Uint8Array;
    token?: string;
    headers?: Record<string, string>;
  } = {},
): Promise<ApiResponse<Body>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  let body: string | Uint8Array | undefined = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const response = await fetch(`${baseUrl}${path}`, { method, headers, body });
  const text = await response.text();
  let parsed: unknown = text;
  if ((response.headers.get('content-type') ?? '').includes('application/json')) parsed = JSON.parse(text);
  return { status: response.status, headers: response.headers, body: parsed as Body, text };
}

let streamCounter = 0;
/** A stream id no other test (or earlier run against the same store) uses. */
export const newStream = (label: string) => `test-${label}-${Date.now().toString(36)}-${++streamCounter}`;

/** An append request's MeetingHeld, as a client sends it. */
export function meeting(overrides: Record<string, unknown> = {}) {
  return {
    type: 'MeetingHeld',
    occurredAt: { start: '2024-07-24', precision: 'day' },
    data: { title: 'Lammy and Jaishankar hold talks', participants: ['David Lammy', 'S Jaishankar'] },
    ...overrides,
  };
}
