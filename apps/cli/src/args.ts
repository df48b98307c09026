import { splitCommaList } from '@timeline/shared-types';
import { usageError } from './errors.js';

/**
 * One option as a command declares it: commander's flag syntax (`-s, --stream <S>`) and the sentence
 * `--help` shows, so the help is generated from the same definition the parser uses and cannot drift.
 */
export interface OptionSpec {
  flags: string;
  description: string;
  /** Repeatable (`--type A --type B`); the value is then a list. */
  multiple?: true;
}

export interface CommandSpec {
  name: string;
  summary: string;
  /** Operands, in commander's syntax: `<file>`, `<eventId>`, `<type>`. */
  arguments?: string;
  options: Record<string, OptionSpec>;
  /** Prose shown after the generated option list: what the command prints, its exit codes. */
  details?: string;
  /** A command made of subcommands (`dlq list`); it runs none itself. */
  subcommands?: readonly CommandSpec[];
}

export type OptionValues = Record<string, string | boolean | string[] | undefined>;

export interface ParsedCommandLine {
  /** The command as typed, subcommands included (`dlq list`), or undefined for none. */
  command: string | undefined;
  values: OptionValues;
  positionals: string[];
  help: boolean;
  /** What `--help` printed (commander renders it from the option definitions). */
  helpText?: string;
}

/** A flag's string value, or undefined. */
export function stringOption(values: OptionValues, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

export function requiredOption(values: OptionValues, name: string, command: string): string {
  const value = stringOption(values, name);
  if (value === undefined || value === '')
    throw usageError(`${command}: --${name} is required`, `see: timeline ${command} --help`);
  return value;
}

/** A whole number ≥ 0 (a position, a version). */
export function wholeNumberOption(values: OptionValues, name: string): number | undefined {
  const value = stringOption(values, name);
  if (value === undefined) return undefined;
  if (!/^\d{1,15}$/.test(value)) throw usageError(`--${name} must be a whole number, got '${value}'`);
  return Number(value);
}

/** `--type A,B --type C` → ['A', 'B', 'C']. */
export function listOption(values: OptionValues, name: string): string[] | undefined {
  const raw = values[name];
  if (raw === undefined || typeof raw === 'boolean') return undefined;
  const items = (Array.isArray(raw) ? raw : [raw]).flatMap(splitCommaList);
  return items.length > 0 ? items : undefined;
}

export function choiceOption<T extends string>(
  values: OptionValues,
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
