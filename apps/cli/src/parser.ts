import { Command, CommanderError, Option } from 'commander';
import type { CommandSpec, OptionSpec, OptionValues, ParsedCommandLine } from './args.js';
import { usageError } from './errors.js';

/** Options every command takes, before or after the command name. */
export const GLOBAL_OPTIONS: Record<string, OptionSpec> = {
  api: {
    flags: '--api <URL>',
    description: 'the API (default: TIMELINE_API_URL, else http://127.0.0.1:3000)',
  },
  'token-file': {
    flags: '--token-file <FILE>',
    description:
      'a file holding the write token (default: TIMELINE_TOKEN, else the write-token file in TIMELINE_DATA_DIR, ./.data by default); sent only on writes',
  },
  'read-token-file': {
    flags: '--read-token-file <FILE>',
    description: 'a file holding a read token (default: TIMELINE_READ_TOKEN); sent only on reads',
  },
  'admin-token-file': {
    flags: '--admin-token-file <FILE>',
    description:
      'a file holding the admin token (default: TIMELINE_ADMIN_TOKEN); sent only by dlq and rebuild',
  },
  token: {
    flags: '--token <TOKEN>',
    description:
      'the write token itself (visible to anyone running `ps`: prefer TIMELINE_TOKEN or --token-file)',
  },
  'insecure-http': {
    flags: '--insecure-http',
    description: 'allow plain http:// to a host other than this machine (tokens and data travel unencrypted)',
  },
};

const PROGRAM_DETAILS = `
Data goes to stdout, progress and messages to stderr. Colour only on a terminal, never with NO_COLOR
set; FORCE_COLOR=1 forces it.
Exit codes: 0 ok, 1 usage error, 2 validation error, 3 conflict, 4 API or broker unreachable,
            5 the server failed or the data could not be read whole, 130 interrupted (Ctrl-C)`;

/** Where commander's own output goes: captured, so that the caller decides stdout or stderr. */
interface Captured {
  out: string;
  err: string;
}

function addOptions(command: Command, options: Record<string, OptionSpec>): void {
  for (const spec of Object.values(options)) {
    const option = new Option(spec.flags, spec.description);
    if (spec.multiple)
      option.argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value]);
    command.addOption(option);
  }
}

/** The commander program for these commands; every command records what was asked into `parsed`. */
function buildProgram(
  commands: readonly CommandSpec[],
  captured: Captured,
  parsed: ParsedCommandLine,
  typed: string[],
): Command {
  const recordTyped = (_parent: Command, sub: Command) => {
    typed.push(sub.name());
  };
  const program = new Command('timeline')
    .description('timeline: the Timeline command line')
    .usage('[global options] <command> [options]')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => {
        captured.out += text;
      },
      writeErr: (text) => {
        captured.err += text;
      },
      outputError: () => undefined,
    })
    .showSuggestionAfterError(false)
    .helpCommand(false)
    .addHelpText('after', PROGRAM_DETAILS)
    .hook('preSubcommand', recordTyped);
  program.optionsGroup?.('Global options:');
  addOptions(program, GLOBAL_OPTIONS);
  const add = (parent: Command, spec: CommandSpec, prefix: string) => {
    const name = `${prefix}${spec.name}`;
    const command = parent.command(spec.name).description(spec.summary);
    if (spec.arguments) command.arguments(spec.arguments);
    addOptions(command, spec.options);
    if (spec.details) command.addHelpText('after', `\n${spec.details}`);
    if (spec.subcommands) {
      command.helpCommand(false).hook('preSubcommand', recordTyped);
      for (const sub of spec.subcommands) add(command, sub, `${name} `);
      return;
    }
    command.allowExcessArguments(true).action(function (this: Command) {
      // Checked here rather than by commander, whose message does not name the argument.
      const stray = this.args[this.registeredArguments.length];
      if (stray !== undefined)
        throw usageError(`${name}: unexpected argument '${stray}'`, `see: timeline ${name} --help`);
      parsed.command = name;
      parsed.positionals = this.processedArgs.filter((arg): arg is string => typeof arg === 'string');
      const globals = this.optsWithGlobals();
      const values: OptionValues = {};
      for (const option of [...program.options, ...this.options]) {
        const key = option.long?.replace(/^--/, '');
        if (key !== undefined) values[key] = globals[option.attributeName()] as OptionValues[string];
      }
      parsed.values = values;
    });
  };
  for (const spec of commands) add(program, spec, '');
  return program;
}

/**
 * Parses `timeline [global options] <command> [options]` with commander. Unknown options, missing values
 * and stray or missing operands are usage errors naming the flag or the operand.
 */
export function parseCommandLine(
  argv: readonly string[],
  commands: readonly CommandSpec[],
): ParsedCommandLine {
  const captured: Captured = { out: '', err: '' };
  const parsed: ParsedCommandLine = { command: undefined, values: {}, positionals: [], help: false };
  /** The command words commander dispatched to (`dlq`, `list`), for messages. */
  const typed: string[] = [];
  const program = buildProgram(commands, captured, parsed, typed);
  try {
    program.parse([...argv], { from: 'user' });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.help') {
      // `commander.help` is the help shown for no command at all: the caller prints it as an error.
      return {
        ...parsed,
        help: error.code === 'commander.helpDisplayed',
        helpText: captured.out || captured.err,
      };
    }
    throw usageFailure(error, typed.join(' ') || undefined, commands);
  }
  return parsed;
}

/** The program's help, for `timeline` typed alone. */
export function programHelp(commands: readonly CommandSpec[]): string {
  return parseCommandLine([], commands).helpText ?? '';
}

function usageFailure(error: CommanderError, command: string | undefined, commands: readonly CommandSpec[]) {
  const see = command ? `see: timeline ${command} --help` : 'see: timeline --help';
  const message = error.message.replace(/^error: /, '');
  switch (error.code) {
    case 'commander.unknownCommand': {
      const name = /'([^']*)'/.exec(message)?.[1] ?? '';
      const known = command ? (commandSpec(command, commands)?.subcommands ?? []) : commands;
      return usageError(
        `unknown command '${command ? `${command} ` : ''}${name}'`,
        `commands: ${known.map((spec) => spec.name).join(', ')}`,
        see,
      );
    }
    case 'commander.missingArgument':
      return usageError(`${command}: missing argument (${/'([^']*)'/.exec(message)?.[1] ?? ''})`, see);
    default:
      return usageError(message, see);
  }
}

function commandSpec(typed: string | undefined, commands: readonly CommandSpec[]): CommandSpec | undefined {
  let spec: CommandSpec | undefined;
  let level: readonly CommandSpec[] = commands;
  for (const word of typed?.split(' ') ?? []) {
    spec = level.find((candidate) => candidate.name === word);
    level = spec?.subcommands ?? [];
  }
  return spec;
}
