import { type CommandSpec, parseCommandLine } from './args.js';
import { appendCommand, appendSpec } from './commands/append.js';
import { exportCommand, exportSpec } from './commands/export.js';
import { importCommand, importSpec } from './commands/import.js';
import { rebuildCommand, rebuildSpec } from './commands/rebuild.js';
import { replayCommand, replaySpec } from './commands/replay.js';
import { seedCommand, seedSpec } from './commands/seed.js';
import { statsCommand, statsSpec } from './commands/stats.js';
import { tailCommand, tailSpec } from './commands/tail.js';
import { type CommandContext, createContext } from './context.js';
import { CliError, EXIT, type ExitCode } from './errors.js';
import { type CliIo, log } from './io.js';

const COMMANDS: ReadonlyArray<[CommandSpec, (ctx: CommandContext) => Promise<void>]> = [
  [appendSpec, appendCommand],
  [tailSpec, tailCommand],
  [replaySpec, replayCommand],
  [exportSpec, exportCommand],
  [importSpec, importCommand],
  [statsSpec, statsCommand],
  [rebuildSpec, rebuildCommand],
  [seedSpec, seedCommand],
];

export const COMMAND_SPECS = new Map(COMMANDS.map(([spec]) => [spec.name, spec]));
const HANDLERS = new Map(COMMANDS.map(([spec, run]) => [spec.name, run]));

export function globalHelp(): string {
  const width = Math.max(...COMMANDS.map(([spec]) => spec.name.length));
  return `timeline: the Timeline command line

usage: timeline [--api URL] [--token TOKEN] <command> [options]

commands:
${COMMANDS.map(([spec]) => `  ${spec.name.padEnd(width)}  ${spec.summary}`).join('\n')}

global options:
  --api URL      the API (default: TIMELINE_API_URL, else http://127.0.0.1:3000)
  --token TOKEN  the write token (default: TIMELINE_TOKEN, else \${TIMELINE_DATA_DIR:-./.data}/write-token)
  -h, --help     help; 'timeline <command> --help' for a command's options

Data goes to stdout, progress and messages to stderr.
exit codes: 0 ok, 1 usage error, 2 validation error, 3 conflict, 4 API or broker unreachable,
            5 the server failed or the data could not be read whole
`;
}

/** Runs one command line; returns the exit code. Never throws. */
export async function runCli(
  argv: readonly string[],
  io: CliIo,
  options: { signal?: AbortSignal; fetch?: typeof fetch } = {},
): Promise<ExitCode> {
  try {
    const parsed = parseCommandLine(argv, COMMAND_SPECS);
    if (parsed.command === undefined) {
      if (parsed.help) {
        io.stdout.write(globalHelp());
        return EXIT.ok;
      }
      io.stderr.write(globalHelp());
      return EXIT.usage;
    }
    const spec = COMMAND_SPECS.get(parsed.command)!;
    if (parsed.help) {
      io.stdout.write(`${spec.summary}\n\nusage: ${spec.usage}\n`);
      return EXIT.ok;
    }
    const ctx = createContext(io, parsed, options.signal ?? new AbortController().signal, options.fetch);
    await HANDLERS.get(parsed.command)!(ctx);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CliError) {
      log(io, `timeline: ${error.message}`);
      for (const line of error.details) log(io, line);
      return error.exitCode;
    }
    if ((error as NodeJS.ErrnoException).code === 'EPIPE') return EXIT.ok;
    log(
      io,
      `timeline: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    return EXIT.failed;
  }
}
