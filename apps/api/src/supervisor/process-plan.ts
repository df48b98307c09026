import { ROLES, type Role } from '../config/roles.js';

/** How many processes of each role `--processes` starts (`--api 2 --gateway 2 ...`). */
export type RoleCounts = Record<Role, number>;

export const DEFAULT_COUNTS: RoleCounts = { api: 1, relay: 1, projector: 1, gateway: 1 };
const MAX_PER_ROLE = 32;

export class ProcessArgumentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProcessArgumentError';
  }
}

/** Whether the command line asks for the roles as separate processes. */
export function wantsProcesses(argv: readonly string[]): boolean {
  return argv.includes('--processes');
}

/**
 * `--processes --api 2 --gateway 2` → the count of each role (1 unless given; 0 leaves a role out,
 * for when it runs elsewhere). Anything else on the line is an error naming it.
 */
export function parseRoleCounts(argv: readonly string[]): RoleCounts {
  const counts = { ...DEFAULT_COUNTS };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--processes') continue;
    const [flag, inline] = arg.split('=', 2) as [string, string | undefined];
    const role = flag.replace(/^--/, '') as Role;
    if (!flag.startsWith('--') || !ROLES.includes(role))
      throw new ProcessArgumentError(
        `unknown argument '${arg}': use --processes with --api N, --relay N, --projector N, --gateway N`,
      );
    const value = inline ?? argv[++i];
    if (value === undefined || !/^\d{1,2}$/.test(value) || Number(value) > MAX_PER_ROLE)
      throw new ProcessArgumentError(
        `--${role} needs a count from 0 to ${MAX_PER_ROLE} (got '${value ?? ''}')`,
      );
    counts[role] = Number(value);
  }
  if (counts.api === 0 && counts.gateway === 0)
    throw new ProcessArgumentError('at least one api or gateway process is needed to serve HTTP');
  return counts;
}

/** One child process: its name in the logs, its role, its port. */
export interface PlannedProcess {
  name: string;
  role: Role;
  port: number;
  /** What the child's environment changes from the supervisor's. */
  env: Record<string, string>;
}

/**
 * The children, one role each, on the ports after the front door's (`basePort` + 1, + 2, ...). Only
 * the first api process seeds an empty store: two would race to seed the same streams.
 */
export function planProcesses(counts: RoleCounts, basePort: number, seed: boolean): PlannedProcess[] {
  const planned: PlannedProcess[] = [];
  for (const role of ROLES) {
    for (let i = 1; i <= counts[role]; i++) {
      const port = basePort + planned.length + 1;
      if (port > 65_535) throw new ProcessArgumentError(`too many processes above port ${basePort}`);
      planned.push({
        name: `${role}.${i}`,
        role,
        port,
        env: {
          TIMELINE_ROLES: role,
          PORT: String(port),
          TIMELINE_SEED: String(seed && role === 'api' && i === 1),
        },
      });
    }
  }
  return planned;
}
