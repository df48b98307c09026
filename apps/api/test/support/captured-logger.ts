import { AppLogger } from '../../src/logging/logger.js';
import type { LogLevel } from '../../src/config/config.js';
import { prettyDestination } from '../../src/logging/pretty.js';

/** A logger whose lines are kept in memory, as JSON objects or as the pretty text. For specs. */
export function capturedJson(level: LogLevel = 'log') {
  const lines: string[] = [];
  const logger = new AppLogger({
    level,
    format: 'json',
    destination: { write: (line) => void lines.push(line) },
  });
  return { logger, entries: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

export function capturedPretty(level: LogLevel = 'log') {
  let text = '';
  const terminal = {
    isTTY: false,
    write(chunk: string) {
      text += chunk;
      return true;
    },
  };
  const logger = new AppLogger({
    level,
    format: 'pretty',
    destination: prettyDestination(terminal as unknown as NodeJS.WriteStream),
  });
  return { logger, text: () => text };
}
