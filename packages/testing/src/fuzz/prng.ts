import { seededRandom } from '../random.js';

/** Seeded choices for fuzz cases, so a failing fuzz run can be replayed exactly from its seed. */
export function prng(seed: number) {
  const next = seededRandom(seed);
  const int = (maxExclusive: number) => Math.floor(next() * maxExclusive);
  return {
    next,
    int,
    between: (min: number, max: number) => min + int(max - min + 1),
    chance: (p: number) => next() < p,
    pick: <T>(items: readonly T[]): T => items[int(items.length)]!,
    bytes: (length: number) => Buffer.from(Array.from({ length }, () => int(256))),
  };
}
export type Prng = ReturnType<typeof prng>;
