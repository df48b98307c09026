import { createColors } from 'picocolors';

export type Colours = ReturnType<typeof createColors>;

/**
 * Colour only for a terminal: never in a pipe or a file, never with NO_COLOR set (no-color.org), and
 * always with FORCE_COLOR set to anything but 0 (a CI log that renders escapes). NO_COLOR wins.
 */
export function wantsColour(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '') return env.FORCE_COLOR !== '0';
  return stream.isTTY === true;
}

export function coloursFor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): Colours {
  return createColors(wantsColour(stream, env));
}
