/** Seeded fuzz requests for the API: the fuzz test and the abuse benchmark send the same cases. */
export { type FuzzCase, fuzzCases, rawSocketCases } from './cases.js';
export { type Prng, prng } from './prng.js';
