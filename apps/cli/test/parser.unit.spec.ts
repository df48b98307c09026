import { describe, expect, it } from 'vitest';
import { COMMAND_SPECS, globalHelp, runCli } from '../src/cli.js';
import { coloursFor, wantsColour } from '../src/colour.js';
import { textLine } from '../src/commands/tail.js';
import { EXIT } from '../src/errors.js';
import { GLOBAL_OPTIONS } from '../src/parser.js';
import { memoryIo } from './support/memory-io.js';

const allSpecs = COMMAND_SPECS.flatMap((spec) =>
  (spec.subcommands ?? []).map((sub) => ({ ...sub, name: `${spec.name} ${sub.name}` })).concat(spec),
);

describe('help, generated from the option definitions', () => {
  it('every command and every option has a description', () => {
    for (const spec of [...allSpecs, { name: 'global', summary: 'x', options: GLOBAL_OPTIONS }]) {
      expect(spec.summary, spec.name).not.toBe('');
      for (const option of Object.values(spec.options))
        expect(option.description.length, `${spec.name} ${option.flags}`).toBeGreaterThan(5);
    }
  });

  it('`timeline --help` lists every command and the global options, on stdout, exit 0', async () => {
    const io = memoryIo();
    expect(await runCli(['--help'], io)).toBe(EXIT.ok);
    for (const spec of COMMAND_SPECS) expect(io.out()).toMatch(new RegExp(`\\n  ${spec.name}\\b`));
    for (const option of Object.values(GLOBAL_OPTIONS)) expect(io.out()).toContain(option.flags);
    expect(io.out()).toMatch(/Exit codes: 0 ok, 1 usage error/);
    expect(io.err()).toBe('');
  });

  it('`timeline <command> --help` lists every option of the command', async () => {
    for (const spec of allSpecs.filter((s) => !s.subcommands)) {
      const io = memoryIo();
      expect(await runCli([...spec.name.split(' '), '--help'], io), spec.name).toBe(EXIT.ok);
      expect(io.out()).toContain(`Usage: timeline ${spec.name}`);
      for (const option of Object.values(spec.options)) expect(io.out(), spec.name).toContain(option.flags);
    }
  });

  it('no command is a usage error that prints the help on stderr', async () => {
    const io = memoryIo();
    expect(await runCli([], io)).toBe(EXIT.usage);
    expect(io.err()).toBe(globalHelp());
    expect(io.out()).toBe('');
  });
});

describe('usage errors name what is wrong (exit 1)', () => {
  it.each([
    [['correct', '7f0c6a52-3d0e-4b8e-9a43-2b7f0d5c9e11', '--colr', 'x'], /unknown option '--colr'/],
    [['show'], /show: missing argument \(eventId\)/],
    [['show', 'a', 'b'], /show: unexpected argument 'b'/],
    [['dlq', 'frob'], /unknown command 'dlq frob'/],
    [['dlq', 'redrive'], /dlq redrive: missing argument/],
    [['schema', 'MeetingHeld', '--version', 'two'], /--version must be a whole number/],
    [['tail', '--format', 'xml'], /--format must be one of ndjson, text/],
    [['correct', '7f0c6a52-3d0e-4b8e-9a43-2b7f0d5c9e11', '--set', 'x=1'], /correct: --reason is required/],
    [['retract', 'x', '--reason'], /--reason <TEXT>' argument missing/],
  ])('%j', async (argv, message) => {
    const io = memoryIo();
    expect(await runCli(argv, io)).toBe(EXIT.usage);
    expect(io.err()).toMatch(message);
    expect(io.out()).toBe('');
  });
});

describe('colour', () => {
  it('only on a terminal, never with NO_COLOR, always with FORCE_COLOR (NO_COLOR wins)', () => {
    expect(wantsColour({ isTTY: true }, {})).toBe(true);
    expect(wantsColour({ isTTY: false }, {})).toBe(false);
    expect(wantsColour({}, {})).toBe(false);
    expect(wantsColour({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(wantsColour({ isTTY: true }, { NO_COLOR: '' })).toBe(true);
    expect(wantsColour({ isTTY: false }, { FORCE_COLOR: '1' })).toBe(true);
    expect(wantsColour({ isTTY: true }, { FORCE_COLOR: '0' })).toBe(false);
    expect(wantsColour({ isTTY: false }, { FORCE_COLOR: '1', NO_COLOR: '1' })).toBe(false);
  });

  it('error messages and tail lines are coloured only when chosen', async () => {
    const plain = memoryIo();
    Object.assign(plain.stderr, { isTTY: true });
    await runCli(['show'], { ...plain, env: { NO_COLOR: '1' } });
    expect(plain.err()).not.toContain('\u001b[');
    const forced = memoryIo({ env: { FORCE_COLOR: '1' } });
    await runCli(['show'], forced);
    expect(forced.err()).toContain('\u001b[31mtimeline: show: missing argument');
    const event = {
      eventId: '7f0c6a52-3d0e-4b8e-9a43-2b7f0d5c9e11',
      streamId: 'visit',
      streamVersion: 1,
      position: 3,
      type: 'FactNoted',
      schemaVersion: 1,
      occurredAt: { start: '2024', precision: 'year' as const },
      recordedAt: '2024-07-24T10:00:00.000Z',
      data: { summary: 'only a summary' },
      metadata: { sources: [] },
    };
    expect(textLine(event)).toBe('#3  2024  FactNoted  visit  only a summary');
    expect(textLine(event, coloursFor({ isTTY: true }, {}))).toContain('\u001b[36mFactNoted\u001b[39m');
  });
});
