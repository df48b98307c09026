import { parseArgs, type ParseArgsConfig } from 'node:util';
import { splitCommaList } from '@timeline/shared-types';
import { usageError } from './errors.js';

export type OptionSpecs = NonNullable<ParseArgsConfig['options']>;

export const GLOBAL_OPTIONS = {
  api: { type: 'string' },
  token: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies OptionSpecs;

export interface CommandSpec {
  name: string;
  summary: string;
  /** Usage lines shown by `timeline <command> --help` and after a usage error. */
  usage: string;
  options: OptionSpecs;
  positionals?: { min: number; max: number };
}

export interface ParsedCommandLine {
  command: string | undefined;
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
  help: boolean;
}

const GLOBAL_WITH_VALUE = new Set(['--api', '--token']);

/**
 * Splits `timeline [global options] <command> [options]`: global options may come before or after
 * the command. Unknown options and missing values are usage errors naming the option.
 */
export function parseCommandLine(
  argv: readonly string[],
  commands: ReadonlyMap<string, CommandSpec>,
): ParsedCommandLine {
  let commandIndex = -1;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') break;
    if (GLOBAL_WITH_VALUE.has(arg)) {
      i += 1;
      continue;
    }
    if (!arg.startsWith('-')) {
      commandIndex = i;
      break;
    }
  }
  const command = commandIndex >= 0 ? argv[commandIndex] : undefined;
  const spec = command === undefined ? undefined : commands.get(command);
  if (command !== undefined && !spec) {
    throw usageError(
      `unknown command '${command}'`,
      `commands: ${[...commands.keys()].join(', ')}`,
      'see: timeline --help',
    );
  }
  const rest = argv.filter((_, i) => i !== commandIndex);
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: [...rest],
      options: { ...GLOBAL_OPTIONS, ...(spec?.options ?? {}) },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
    throw usageError(
      message,
      ...(spec
        ? [`usage: ${spec.usage.split('\n')[0]}`, `see: timeline ${spec.name} --help`]
        : ['see: timeline --help']),
    );
  }
  const help = parsed.values.help === true;
  const positionals = parsed.positionals;
  if (spec && !help) {
    const { min, max } = spec.positionals ?? { min: 0, max: 0 };
    if (positionals.length < min || positionals.length > max) {
      const what =
        positionals.length > max ? `unexpected argument '${positionals[max]}'` : 'missing argument';
      throw usageError(`${spec.name}: ${what}`, `usage: ${spec.usage.split('\n')[0]}`);
    }
  } else if (!spec && positionals.length > 0 && !help) {
    throw usageError(`unexpected argument '${positionals[0]}'`);
  }
  return { command, values: parsed.values as ParsedCommandLine['values'], positionals, help };
}

/** A flag's string value, or undefined. */
export function stringOption(values: ParsedCommandLine['values'], name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

export function requiredOption(values: ParsedCommandLine['values'], name: string, command: string): string {
  const value = stringOption(values, name);
  if (value === undefined || value === '')
    throw usageError(`${command}: --${name} is required`, `see: timeline ${command} --help`);
  return value;
}

/** A whole number ≥ 0 (a position, a version). */
export function wholeNumberOption(values: ParsedCommandLine['values'], name: string): number | undefined {
  const value = stringOption(values, name);
  if (value === undefined) return undefined;
  if (!/^\d{1,15}$/.test(value)) throw usageError(`--${name} must be a whole number, got '${value}'`);
  return Number(value);
}

/** `--type A,B --type C` → ['A', 'B', 'C']. */
export function listOption(values: ParsedCommandLine['values'], name: string): string[] | undefined {
  const raw = values[name];
  if (raw === undefined || typeof raw === 'boolean') return undefined;
  const items = (Array.isArray(raw) ? raw : [raw]).flatMap(splitCommaList);
  return items.length > 0 ? items : undefined;
}

export function choiceOption<T extends string>(
  values: ParsedCommandLine['values'],
  name: string,
  choices: readonly T[],
  fallback: T,
): T {
  const value = stringOption(values, name);
  if (value === undefined) return fallback;
  if (!(choices as readonly string[]).includes(value)) {
    throw usageError(`--${name} must be one of ${choices.join(', ')}, got '${value}'`);
  }
  return value as T;
}
