import { splitCommaList } from '@timeline/shared-types';
import { z } from 'zod';

/**
 * What a process does (TIMELINE_ROLES). One build serves them all; a process runs the roles it is
 * given, `all` by default, so one process is the whole service and several processes share it out.
 * - `api`: the HTTP reads and writes, the docs, the web app;
 * - `relay`: store → Kafka (one active among all relay processes, the others standing by);
 * - `projector`: Kafka → the timeline read model (a consumer group over the topic's partitions);
 * - `gateway`: live delivery, `GET /api/stream` (each replica consumes the whole topic).
 */
export const ROLES = ['api', 'relay', 'projector', 'gateway'] as const;
export type Role = (typeof ROLES)[number];
export type Roles = ReadonlySet<Role>;

export const ALL_ROLES: Roles = new Set(ROLES);

export function runsAllRoles(roles: Roles): boolean {
  return ROLES.every((role) => roles.has(role));
}

/** `all`, or a comma list of roles in any order; repeats are harmless. */
export const rolesSetting = z.preprocess(
  (v) => (v === undefined || (typeof v === 'string' && v.trim() === '') ? 'all' : v),
  z
    .string()
    .transform(splitCommaList)
    .pipe(
      z
        .array(
          z.enum([...ROLES, 'all'], {
            message: `each role must be one of ${ROLES.join(', ')} (or all)`,
          }),
        )
        .min(1, `must name at least one of ${ROLES.join(', ')} (or all)`),
    )
    .transform((names): Roles => (names.includes('all') ? ALL_ROLES : new Set(names as Role[]))),
);

/** `api,relay`: the roles in their canonical order, for logs and banners. */
export function describeRoles(roles: Roles): string {
  return runsAllRoles(roles) ? 'all' : ROLES.filter((role) => roles.has(role)).join(',');
}
