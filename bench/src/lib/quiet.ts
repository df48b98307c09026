import { say } from './report.js';
import { waitForQuietMachine } from './stats.js';

/**
 * `--quiet-wait`: waits for other work on the machine to settle before the run (`atStart`, the busy share
 * then, goes into the results) and again before each measurement (`settle`). Without it, neither waits.
 */
export async function quietMachine(bench: string, quietWaitSeconds: number) {
  const wait = () => waitForQuietMachine((text) => say(bench, text), quietWaitSeconds * 1000);
  const atStart = quietWaitSeconds > 0 ? await wait() : undefined;
  return {
    atStart,
    settle: async (): Promise<void> => {
      if (quietWaitSeconds > 0) await wait();
    },
  };
}
