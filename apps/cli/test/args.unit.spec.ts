import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../src/parser.js';
import { COMMAND_SPECS, runCli } from '../src/cli.js';
import { parseExpectedVersion, parseOccurred } from '../src/commands/append.js';
import { CliError, EXIT } from '../src/errors.js';
import { userCwd } from '../src/io.js';
import { parseSelection } from '../src/selection.js';
import { fakeFetch, json, memoryIo } from './support/memory-io.js';

const parse = (...argv: string[]) => parseCommandLine(argv, COMMAND_SPECS);

function usageFailure(run: () => unknown): CliError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).exitCode).toBe(EXIT.usage);
    return error as CliError;
  }
  throw new Error('expected a usage error');
}

describe('command line parsing', () => {
  it('takes global options before or after the command', () => {
    const before = parse('--api', 'http://h:1', 'replay', '--until', '5', '--type', 'A,B', '--type', 'C');
    const after = parse('replay', '--until', '5', '--api=http://h:1', '--type', 'A,B', '--type', 'C');
    for (const parsed of [before, after]) {
      expect(parsed.command).toBe('replay');
      expect(parsed.values).toMatchObject({ api: 'http://h:1', until: '5', type: ['A,B', 'C'] });
    }
  });

  it('refuses unknown commands, unknown options, missing values and stray arguments as usage errors', () => {
    expect(usageFailure(() => parse('replya')).message).toMatch(/unknown command 'replya'/);
    expect(usageFailure(() => parse('replay', '--colour', 'red')).message).toMatch(/--colour/);
    expect(usageFailure(() => parse('replay', '--until')).message).toMatch(/--until/);
    expect(usageFailure(() => parse('stats', 'extra')).message).toMatch(/unexpected argument 'extra'/);
    expect(usageFailure(() => parse('import')).message).toMatch(/missing argument/);
    expect(parse('import', 'file.jsonl', '--stream', 's').positionals).toEqual(['file.jsonl']);
  });

  it('turns replay flags into the API selection, naming the flag that is wrong', () => {
    const selection = parseSelection(
      parse(
        'replay',
        '--mode',
        'timeline',
        '--until',
        '7',
        '--pillar',
        'ai,quantum',
        '--actor',
        'David Lammy',
        '--as-of',
        '2024-08-01',
        '--from',
        '2021',
      ).values,
    );
    expect(selection).toEqual({
      mode: 'timeline',
      after: 0,
      until: 7,
      pillars: ['ai', 'quantum'],
      actors: ['David Lammy'],
      occurredFrom: '2021',
      asOf: '2024-08-01T00:00:00.000Z',
    });
    const wrong = usageFailure(() =>
      parseSelection(parse('replay', '--pillar', 'ai,space', '--as-of', 'soon').values),
    );
    expect(wrong.details.join('\n')).toMatch(/--pillar \(item 2\)/);
    expect(wrong.details.join('\n')).toMatch(/--as-of/);
    expect(
      usageFailure(() =>
        parseSelection(parse('replay', '--mode', 'timeline', '--after', '3').values),
      ).details.join(),
    ).toMatch(/--after/);
  });

  it('reads --occurred with its precision from the form, or given explicitly, and periods', () => {
    expect(parseOccurred('2024-07-24')).toEqual({ start: '2024-07-24', precision: 'day' });
    expect(parseOccurred('2021')).toEqual({ start: '2021', precision: 'year' });
    expect(parseOccurred('2024-07/month')).toEqual({ start: '2024-07', precision: 'month' });
    expect(parseOccurred('2024-07-24T09:30+05:30')).toEqual({
      start: '2024-07-24T09:30+05:30',
      precision: 'minute',
    });
    expect(parseOccurred('2024-07-24..2024-07-26/day')).toEqual({
      start: '2024-07-24',
      end: '2024-07-26',
      precision: 'day',
    });
    usageFailure(() => parseOccurred('last week'));
    expect(parseExpectedVersion('no_stream')).toBe('no_stream');
    expect(parseExpectedVersion('12')).toBe(12);
    usageFailure(() => parseExpectedVersion('-1'));
  });

  it('resolves relative paths from where `pnpm timeline` was typed', () => {
    expect(userCwd({ npm_lifecycle_event: 'timeline', INIT_CWD: '/repo' }, '/repo/apps/cli')).toBe('/repo');
    expect(userCwd({ INIT_CWD: '/elsewhere' }, '/here')).toBe('/here');
  });
});

describe('exit codes a script can rely on', () => {
  const append = [
    'append',
    '--stream',
    's',
    '--type',
    'MeetingHeld',
    '--occurred',
    '2024-07-24',
    '--data',
    '{"title":"x"}',
  ];

  it.each([
    [
      400,
      { message: 'invalid', issues: [{ path: 'events.0.data.participants', message: 'Required' }] },
      EXIT.validation,
      /participants/,
    ],
    [
      409,
      { message: "stream 's' is at version 3, expected 1", expected: 1, actual: 3 },
      EXIT.conflict,
      /expected version 1/,
    ],
    [401, { message: 'token required' }, EXIT.usage, /--token/],
    [503, { message: 'internal error (correlation id x)' }, EXIT.failed, /correlation/],
  ])('HTTP %i → exit %i', async (status, body, code, detail) => {
    const io = memoryIo();
    const api = fakeFetch(() => json(status, body));
    expect(await runCli(append, io, { fetch: api.fetch })).toBe(code);
    expect(io.err()).toMatch(detail);
    expect(io.out()).toBe('');
  });

  it('an unreachable API is exit 4 with what to do next; a usage error is exit 1', async () => {
    const io = memoryIo({ env: { TIMELINE_API_URL: 'http://127.0.0.1:9' } });
    expect(await runCli(['stats'], io)).toBe(EXIT.unreachable);
    expect(io.err()).toMatch(/cannot reach the Timeline API at http:\/\/127.0.0.1:9.*\n.*pnpm start/);
    const usage = memoryIo();
    expect(await runCli(['append', '--type', 'X'], usage)).toBe(EXIT.usage);
    expect(usage.err()).toMatch(/--stream is required/);
  });

  it('sends the token from --token, TIMELINE_TOKEN or the data folder, and prints only data on stdout', async () => {
    const io = memoryIo({ env: { TIMELINE_TOKEN: 'from-env-token-0123456789' } });
    const api = fakeFetch(() => json(201, { streamId: 's', streamVersion: 1, events: [], duplicate: false }));
    expect(await runCli(append, io, { fetch: api.fetch })).toBe(EXIT.ok);
    expect(new Headers(api.calls[0]!.init.headers).get('authorization')).toBe(
      'Bearer from-env-token-0123456789',
    );
    expect(JSON.parse(api.calls[0]!.init.body as string)).toEqual({
      events: [
        { type: 'MeetingHeld', occurredAt: { start: '2024-07-24', precision: 'day' }, data: { title: 'x' } },
      ],
    });
    expect(JSON.parse(io.out())).toMatchObject({ streamId: 's' });
    expect(await runCli([...append, '--token', 'flag-token-0123456789'], io, { fetch: api.fetch })).toBe(
      EXIT.ok,
    );
    expect(new Headers(api.calls[1]!.init.headers).get('authorization')).toBe('Bearer flag-token-0123456789');
  });
});
