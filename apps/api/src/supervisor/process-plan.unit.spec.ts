import { describe, expect, it } from 'vitest';
import { thrownBy } from '../../test/assertions/thrown.js';
import { ProcessArgumentError, parseRoleCounts, planProcesses, wantsProcesses } from './process-plan.js';

describe('the process plan of `pnpm start --processes`', () => {
  it('starts one process per role unless counts are given', () => {
    expect(wantsProcesses(['--processes'])).toBe(true);
    expect(wantsProcesses([])).toBe(false);
    expect(parseRoleCounts(['--processes'])).toEqual({ api: 1, relay: 1, projector: 1, gateway: 1 });
    expect(parseRoleCounts(['--processes', '--api', '2', '--gateway=3', '--relay', '0'])).toEqual({
      api: 2,
      relay: 0,
      projector: 1,
      gateway: 3,
    });
  });

  it.each([
    [['--processes', '--workers', '2'], "unknown argument '--workers'"],
    [['--processes', '--api'], '--api needs a count'],
    [['--processes', '--api', 'two'], "--api needs a count from 0 to 32 (got 'two')"],
    [['--processes', '--api', '0', '--gateway', '0'], 'at least one api or gateway'],
  ])('refuses %j, naming what is wrong', (argv, message) => {
    expect(thrownBy(() => parseRoleCounts(argv), ProcessArgumentError).message).toContain(message);
  });

  it('gives each process one role and the next port after the front door; only the first api seeds', () => {
    const plan = planProcesses({ api: 2, relay: 1, projector: 0, gateway: 1 }, 3000, true);
    expect(plan.map((p) => [p.name, p.port, p.env.TIMELINE_ROLES, p.env.TIMELINE_SEED])).toEqual([
      ['api.1', 3001, 'api', 'true'],
      ['api.2', 3002, 'api', 'false'],
      ['relay.1', 3003, 'relay', 'false'],
      ['gateway.1', 3004, 'gateway', 'false'],
    ]);
    expect(
      planProcesses({ api: 1, relay: 0, projector: 0, gateway: 0 }, 3000, false)[0]?.env.TIMELINE_SEED,
    ).toBe('false');
  });
});
