/**
 * Synthetic events for the render benchmark: deterministic (a seeded PRNG), valid for the catalog,
 * obviously synthetic, spread over two years of valid time (2023-2024) across the pillars and a pool
 * of actors, in the shapes `POST /api/streams/:streamId/events` takes.
 */
import { PILLARS } from '@timeline/shared-types';
import { seededRandom } from '@timeline/testing';

const DAY_MS = 86_400_000;
export const VALID_FROM = Date.parse('2023-01-01T00:00:00Z');
export const VALID_DAYS = 731;
const ACTORS = Array.from({ length: 30 }, (_, i) => `Bench actor ${String(i + 1).padStart(2, '0')}`);

function pick(rng, values, count) {
  const chosen = new Set();
  while (chosen.size < count) chosen.add(values[Math.floor(rng() * values.length)]);
  return [...chosen];
}

/** Event `n` (1-based) of the synthetic set; the same `n` always gives the same event. */
export function syntheticEvent(n) {
  const rng = seededRandom(n * 7919);
  const day = new Date(VALID_FROM + Math.floor(rng() * VALID_DAYS) * DAY_MS).toISOString().slice(0, 10);
  const actors = pick(rng, ACTORS, 1 + Math.floor(rng() * 2));
  const pillars = pick(rng, PILLARS, Math.floor(rng() * 3));
  const base = { title: `Synthetic event ${n}`, actors, pillars };
  const kind = n % 4;
  const data =
    kind === 0
      ? { ...base, speaker: actors[0], channel: 'remarks' }
      : kind === 1
        ? { ...base, participants: actors }
        : kind === 2
          ? { ...base, area: `Synthetic area ${n % 17}`, participants: actors }
          : { ...base, raisedBy: actors[0], concern: `Synthetic concern ${n}` };
  const type = ['StatementIssued', 'MeetingHeld', 'CooperationDiscussed', 'ConcernRaised'][kind];
  return {
    type,
    occurredAt: { start: day, precision: 'day' },
    data,
    metadata: {
      sources: [{ publisher: 'Synthetic (benchmark)', title: 'Generated', quote: `Generated quote ${n}.` }],
    },
  };
}
