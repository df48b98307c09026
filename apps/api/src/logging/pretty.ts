import { type DestinationStream, levels } from 'pino';
import { type MessageFormatFunc, prettyFactory } from 'pino-pretty';

/** What pino writes on every line; the pretty line shows time and level itself. */
const LINE_KEYS = new Set(['level', 'time', 'pid', 'hostname', 'msg', 'component', 'stack']);
/** Escape sequences in a message could repaint the terminal; line breaks are kept (the banner has them). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f]/g;

/** A value as it is when it is one plain word, quoted (and so escaped) otherwise. */
const compactValue = (value: unknown): string =>
  typeof value === 'string' && /^[\x21-\x7e]+$/.test(value) ? value : JSON.stringify(value);

/**
 * An HTTP request (the access log) reads best as the request itself: `GET /api/events 200 3.1ms`.
 * The request id stays in JSON and in `X-Request-Id`; it is noise at the terminal.
 */
function requestLine(log: Record<string, unknown>): string | undefined {
  if (typeof log.method !== 'string' || typeof log.path !== 'string' || typeof log.status !== 'number')
    return undefined;
  const aborted = log.completed === false ? ' (client left)' : '';
  return `${log.method} ${compactValue(log.path)} ${log.status} ${log.durationMs}ms${aborted}`;
}

const REQUEST_KEYS = new Set(['requestId', 'method', 'path', 'status', 'durationMs', 'completed']);

/**
 * A stack is for an error. Below that it is a retried condition (kafkajs attaches one to every refused
 * connection), kept in JSON and left off the terminal.
 */
const isError = (log: Record<string, unknown>) =>
  typeof log.level === 'number' && log.level >= levels.values.error!;

export const formatMessage: MessageFormatFunc = (log, messageKey, _levelLabel, { colors }) => {
  const request = requestLine(log);
  const msg = request ?? String(log[messageKey] ?? '').replace(CONTROL, '');
  const fields = Object.entries(log)
    .filter(([key]) => !LINE_KEYS.has(key) && key !== messageKey && !(request && REQUEST_KEYS.has(key)))
    .map(([key, value]) => `${key}=${compactValue(value)}`)
    .join(' ');
  const component = typeof log.component === 'string' ? `${colors.magenta(log.component)} ` : '';
  const stack = typeof log.stack === 'string' && isError(log) ? `\n${log.stack.replace(CONTROL, '')}` : '';
  return `${component}${msg}${fields ? ` ${colors.gray(fields)}` : ''}${stack}`;
};

/** Human lines for a terminal: pino-pretty with the message and key fields on one line. */
export function prettyDestination(out: NodeJS.WriteStream): DestinationStream {
  const prettify = prettyFactory({
    colorize: Boolean(out.isTTY),
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname',
    hideObject: true,
    messageFormat: formatMessage,
  });
  return { write: (line: string) => void out.write(prettify(line)) };
}
