/**
 * The pids the role processes of `pnpm start --processes` logged, read from the supervisor's JSON output
 * (`{"process":"api.1",…,"pid":123}` lines). The last line of a name wins: a child the supervisor started
 * again logs its new pid.
 */
export function childPids(output: string): Map<string, number> {
  const pids = new Map<string, number>();
  for (const line of output.split('\n')) {
    const match = /^\{"process":"([a-z]+\.\d+)",/.exec(line);
    if (!match) continue;
    const pid = (JSON.parse(line) as { pid?: number }).pid;
    if (pid !== undefined) pids.set(match[1]!, pid);
  }
  return pids;
}

/** The pid the child `name` logged last. */
export function childPid(output: string, name: string): number {
  const pid = childPids(output).get(name);
  if (pid === undefined) throw new Error(`no line from ${name}`);
  return pid;
}
