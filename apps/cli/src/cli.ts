import type { CommandSpec } from './args.js';
import { coloursFor } from './colour.js';
import { appendCommand, appendSpec } from './commands/append.js';
import { schemaCommand, schemaSpec, typesCommand, typesSpec } from './commands/catalog.js';
import { correctCommand, correctSpec, retractCommand, retractSpec } from './commands/correct.js';
import { dlqListCommand, dlqRedriveCommand, dlqShowCommand, dlqSpec } from './commands/dlq.js';
import { exportCommand, exportSpec } from './commands/export.js';
import { importCommand, importSpec } from './commands/import.js';
import { rebuildCommand, rebuildSpec } from './commands/rebuild.js';
import { replayCommand, replaySpec } from './commands/replay.js';
import { seedCommand, seedSpec } from './commands/seed.js';
import { showCommand, showSpec } from './commands/show.js';
import { statsCommand, statsSpec } from './commands/stats.js';
import { streamsCommand, streamsSpec } from './commands/streams.js';
import { tailCommand, tailSpec } from './commands/tail.js';
import { type CommandContext, createContext } from './context.js';
import { CliError, EXIT, type ExitCode } from './errors.js';
import { type CliIo, log } from './io.js';
import { parseCommandLine, programHelp } from './parser.js';

type Handler = (ctx: CommandContext) => Promise<void>;

/** Every command, in the order `timeline --help` lists them. */
export const COMMAND_SPECS: readonly CommandSpec[] = [
  appendSpec,
  correctSpec,
  retractSpec,
  showSpec,
  tailSpec,
  replaySpec,
  exportSpec,
  importSpec,
  streamsSpec,
  statsSpec,
  typesSpec,
  schemaSpec,
  rebuildSpec,
  seedSpec,
  dlqSpec,
];

/** The handler of each command as parseCommandLine names it (`dlq list` for a subcommand). */
const HANDLERS: ReadonlyMap<string, Handler> = new Map([
  ['append', appendCommand],
  ['correct', correctCommand],
  ['retract', retractCommand],
  ['show', showCommand],
  ['tail', tailCommand],
  ['replay', replayCommand],
  ['export', exportCommand],
  ['import', importCommand],
  ['streams', streamsCommand],
  ['stats', statsCommand],
  ['types', typesCommand],
  ['schema', schemaCommand],
  ['rebuild', rebuildCommand],
  ['seed', seedCommand],
  ['dlq list', dlqListCommand],
  ['dlq show', dlqShowCommand],
  ['dlq redrive', dlqRedriveCommand],
]);

export const globalHelp = (): string => programHelp(COMMAND_SPECS);

/** Runs one command line; returns the exit code. Never throws. */
export async function runCli(
  argv: readonly string[],
  io: CliIo,
  options: { signal?: AbortSignal; fetch?: typeof fetch } = {},
): Promise<ExitCode> {
  try {
    const parsed = parseCommandLine(argv, COMMAND_SPECS);
    if (parsed.help) {
      io.stdout.write(parsed.helpText ?? '');
      return EXIT.ok;
    }
    const run = parsed.command === undefined ? undefined : HANDLERS.get(parsed.command);
    if (!run) {
      io.stderr.write(parsed.helpText ?? globalHelp());
      return EXIT.usage;
    }
    const ctx = createContext(io, parsed, options.signal ?? new AbortController().signal, options.fetch);
    await run(ctx);
    return EXIT.ok;
  } catch (error) {
    const c = coloursFor(io.stderr, io.env);
    if (error instanceof CliError) {
      log(io, c.red(`timeline: ${error.message}`));
      for (const line of error.details) log(io, line);
      return error.exitCode;
    }
    if ((error as NodeJS.ErrnoException).code === 'EPIPE') return EXIT.ok;
    log(
      io,
      c.red(
        `timeline: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      ),
    );
    return EXIT.failed;
  }
}
