import { describe, expect, it } from 'vitest';
import { capturedJson, capturedPretty } from '../../test/support/captured-logger.js';

describe('AppLogger, JSON lines', () => {
  it('writes level, time and msg on every line, the Nest context as component, and the fields as they are', () => {
    const { logger, entries } = capturedJson();
    logger.log({ msg: 'event store open', kind: 'pglite' }, 'Startup');
    logger.warn('a plain message');
    expect(entries()).toEqual([
      expect.objectContaining({
        level: 'info',
        msg: 'event store open',
        component: 'Startup',
        kind: 'pglite',
      }),
      expect.objectContaining({ level: 'warn', msg: 'a plain message' }),
    ]);
    for (const entry of entries()) expect(new Date(entry.time as string).toISOString()).toBe(entry.time);
    expect(entries()[1]).not.toHaveProperty('component');
  });

  it("keeps an error's stack, whether Nest passes it beside the message or the message is the Error", () => {
    const { logger, entries } = capturedJson();
    const failure = new Error('boom');
    logger.error({ msg: 'request failed', requestId: 'r1' }, failure.stack, 'Http');
    logger.error(failure);
    logger.error({ msg: 'no stack here' }, undefined, 'Streaming');
    expect(entries()).toEqual([
      expect.objectContaining({ level: 'error', component: 'Http', requestId: 'r1', stack: failure.stack }),
      expect.objectContaining({ level: 'error', msg: 'boom', stack: failure.stack }),
      expect.objectContaining({ level: 'error', component: 'Streaming', msg: 'no stack here' }),
    ]);
    expect(entries()[2]).not.toHaveProperty('stack');
  });

  it("sends Nest's per-module and per-route start-up lines to debug; their warnings stay warnings", () => {
    const quiet = capturedJson('log');
    quiet.logger.log('Mapped {/api/events, GET} route', 'RouterExplorer');
    quiet.logger.log('CoreModule dependencies initialized', 'InstanceLoader');
    quiet.logger.warn('something odd', 'RoutesResolver');
    expect(quiet.entries().map((e) => e.msg)).toEqual(['something odd']);

    const debug = capturedJson('debug');
    debug.logger.log('Mapped {/api/events, GET} route', 'RouterExplorer');
    expect(debug.entries()).toEqual([
      expect.objectContaining({ level: 'debug', component: 'RouterExplorer' }),
    ]);
  });

  it.each([
    ['error', ['fatal', 'error']],
    ['warn', ['fatal', 'error', 'warn']],
    ['log', ['fatal', 'error', 'warn', 'info']],
    ['verbose', ['fatal', 'error', 'warn', 'info', 'debug', 'trace']],
  ] as const)('at LOG_LEVEL=%s writes %j', (level, written) => {
    const { logger, entries } = capturedJson(level);
    logger.fatal('f');
    logger.error('e');
    logger.warn('w');
    logger.log('l');
    logger.debug('d');
    logger.verbose('v');
    expect(entries().map((e) => e.level)).toEqual(written);
  });
});

describe('AppLogger, terminal lines', () => {
  it('writes time, level, component, message and the fields as key=value on one line', () => {
    const { logger, text } = capturedPretty();
    logger.log({ msg: 'event store open', kind: 'pglite', dataDir: '/tmp/a b' }, 'Startup');
    expect(text()).toMatch(
      /^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: Startup event store open kind=pglite dataDir="\/tmp\/a b"\n$/,
    );
  });

  it('writes a request as the request itself, without the request id', () => {
    const { logger, text } = capturedPretty();
    const request = { requestId: 'r1', method: 'GET', path: '/api/events', durationMs: 3.1 };
    logger.log({ msg: 'request', ...request, status: 200, completed: true }, 'Http');
    logger.warn({ msg: 'request', ...request, status: 503, completed: false }, 'Http');
    expect(text()).toMatch(
      /INFO: Http GET \/api\/events 200 3\.1ms\n.*WARN: Http GET \/api\/events 503 3\.1ms \(client left\)\n$/,
    );
    expect(text()).not.toContain('r1');
  });

  it('prints the stack under the line, and no escape sequence from a message', () => {
    const { logger, text } = capturedPretty();
    const failure = new Error('boom');
    logger.error({ msg: 'request failed \u001b[2Jcleared' }, failure.stack, 'Http');
    expect(text()).toContain(`ERROR: Http request failed [2Jcleared\n${failure.stack}`);
    expect(text()).not.toContain('\u001b');
  });

  it('leaves the stack of a warning (a retried condition) to the JSON lines', () => {
    const { logger, text } = capturedPretty();
    logger.warn({ msg: 'Connection error', stack: new Error('refused').stack }, 'kafka');
    expect(text()).toMatch(/WARN: kafka Connection error\n$/);
  });
});
