import { parseArgs } from 'node:util';

/**
 * One option set for every benchmark, so `bench` (all of them) can pass the same argv to each.
 * `--quick` shrinks every size for a smoke run; explicit options win over it.
 */
const APPEND_TARGETS = ['api', 'api-split', 'store', 'emmett', 'raw'] as const;
export type AppendTarget = (typeof APPEND_TARGETS)[number];

export interface BenchOptions {
  quick: boolean;
  /** append: seconds measured per cell. */
  duration: number;
  /** append: also run the API cells on an embedded PGlite store. */
  pglite: boolean;
  /** append: what to measure (api, api-split, store, emmett, raw; default api, store, emmett, raw). */
  targets: AppendTarget[];
  /** append, `api-split`: the roles of each process beside the `api` one (`relay,projector,gateway`: one process). */
  splitRoles: string[];
  /** append: only these cells of the grid (`b<batch>-c<clients>`, e.g. b1-c1); default all. */
  cells: string[] | undefined;
  /** append, latency: write a V8 CPU profile of the API process into this folder (node --cpu-prof); fanout: of each gateway. */
  cpuProfDir: string | undefined;
  /** latency: rates in events/s. */
  rates: number[];
  /** latency: seconds per rate. */
  latencySeconds: number;
  /** relay: events to publish. */
  relayEvents: number;
  /** replay: events in the log. */
  events: number;
  /** fanout: SSE clients per gateway. */
  fanoutClients: number;
  /** fanout: appends per second while the clients listen. */
  fanoutRate: number;
  /** fanout: seconds per measurement. */
  fanoutSeconds: number;
  /** fanout: the gateway counts to measure, in order (1,2: one gateway, then two). */
  gateways: number[];
  /** fanout: the gateways' TIMELINE_SSE_BATCH_MS (undefined: the API's default). */
  sseBatchMs: string | undefined;
  /** projector: events on the topic before the projectors start. */
  projectorEvents: number;
  /** projector: the projector process counts to measure, in order. */
  projectors: number[];
  /** Keep the databases and topics afterwards (to inspect them). */
  keep: boolean;
  /** timeline-window: a database a kept run filled, measured again without filling (it is kept). */
  database: string | undefined;
  /** Seconds to wait for the machine to be idle before measuring (0: do not wait). */
  quietWait: number;
}

const USAGE = `options (all benchmarks accept all of them):
  --quick                 small sizes everywhere (a smoke run of a few minutes)
  --duration S            append: seconds measured per cell (default 8; quick 3)
  --pglite                append: also run the API cells against an embedded PGlite store
  --targets T1,T2         append: api (HTTP, every role in the API process), api-split (HTTP on a
                          TIMELINE_ROLES=api process, the other roles in processes of their own),
                          store (Timeline's store, no HTTP), emmett (Emmett's PostgreSQL store),
                          raw (plain INSERTs); default api,store,emmett,raw
  --split-roles R         append, api-split: the processes beside the api one, '/' between processes,
                          ',' between roles (default relay,projector,gateway: one process;
                          relay/projector/gateway: one per role, as pnpm start --processes)
  --cells C1,C2           append: only these cells (b1-c1, b1-c4, b1-c16, b100-c1, b100-c4, b100-c16)
  --cpu-prof-dir DIR      append, latency: profile the API process (node --cpu-prof) into DIR; fanout: each gateway
  --rates R1,R2           latency: steady append rates in events/s (default 50,100,200)
  --latency-seconds S     latency: seconds per rate (default 20; quick 5)
  --relay-events N        relay: events to publish (default 100000; quick 10000)
  --events N              replay: events in the log (default 1000000; quick 50000)
  --fanout-clients N      fanout: SSE clients per gateway (default 1000; quick 200)
  --fanout-rate R         fanout: appends per second while they listen (default 100)
  --fanout-seconds S      fanout: seconds per measurement (default 20; quick 5)
  --gateways G1,G2        fanout: gateway processes per measurement (default 1,2)
  --sse-batch-ms MS       fanout: the gateways' TIMELINE_SSE_BATCH_MS; latency: the API's (default: the API's own)
  --projector-events N    projector: events on the topic before projecting (default 100000; quick 10000)
  --projectors P1,P2      projector: projector processes per measurement (default 1,3)
  --keep                  keep the benchmark databases and topics afterwards
  --database NAME         timeline-window: measure a database an earlier --keep run filled (no fill;
                          the API migrates it first, so a new read-model migration is measured too)
  --quiet-wait S          wait up to S seconds for the machine to be idle before measuring before each measurement (default 180; 0 = no wait)
  --help`;

export function parseBenchArgs(argv: string[] = process.argv.slice(2)): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      duration: { type: 'string' },
      pglite: { type: 'boolean', default: false },
      targets: { type: 'string' },
      'split-roles': { type: 'string' },
      'cpu-prof-dir': { type: 'string' },
      cells: { type: 'string' },
      rates: { type: 'string' },
      'latency-seconds': { type: 'string' },
      'relay-events': { type: 'string' },
      events: { type: 'string' },
      'fanout-clients': { type: 'string' },
      'fanout-rate': { type: 'string' },
      'fanout-seconds': { type: 'string' },
      gateways: { type: 'string' },
      'sse-batch-ms': { type: 'string' },
      'projector-events': { type: 'string' },
      projectors: { type: 'string' },
      keep: { type: 'boolean', default: false },
      database: { type: 'string' },
      'quiet-wait': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    process.stderr.write(`${USAGE}\n`);
    process.exit(0);
  }
  const quick = values.quick ?? false;
  return {
    quick,
    duration: positive('duration', values.duration, quick ? 3 : 8),
    pglite: values.pglite ?? false,
    targets: appendTargets(values.targets),
    splitRoles: (values['split-roles'] ?? 'relay,projector,gateway').split('/').map((r) => r.trim()),
    cpuProfDir: values['cpu-prof-dir'],
    cells: values.cells?.split(',').map((c) => c.trim()),
    rates: (values.rates ?? '50,100,200').split(',').map((r) => positive('rates', r, 0)),
    latencySeconds: positive('latency-seconds', values['latency-seconds'], quick ? 5 : 20),
    relayEvents: positive('relay-events', values['relay-events'], quick ? 10_000 : 100_000),
    events: positive('events', values.events, quick ? 50_000 : 1_000_000),
    fanoutClients: positive('fanout-clients', values['fanout-clients'], quick ? 200 : 1000),
    fanoutRate: positive('fanout-rate', values['fanout-rate'], 100),
    fanoutSeconds: positive('fanout-seconds', values['fanout-seconds'], quick ? 5 : 20),
    gateways: (values.gateways ?? '1,2').split(',').map((g) => positive('gateways', g, 0)),
    sseBatchMs: values['sse-batch-ms'],
    projectorEvents: positive('projector-events', values['projector-events'], quick ? 10_000 : 100_000),
    projectors: (values.projectors ?? '1,3').split(',').map((p) => positive('projectors', p, 0)),
    keep: values.keep ?? false,
    database: values.database,
    quietWait: values['quiet-wait'] === '0' ? 0 : positive('quiet-wait', values['quiet-wait'], 180),
  };
}

function positive(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw.replaceAll('_', ''));
  if (!Number.isFinite(value) || value <= 0) {
    process.stderr.write(`--${name} must be a positive number (got '${raw}')\n${USAGE}\n`);
    process.exit(2);
  }
  return value;
}

function appendTargets(raw: string | undefined): AppendTarget[] {
  if (raw === undefined) return APPEND_TARGETS.filter((t) => t !== 'api-split');
  const targets = raw.split(',').map((t) => t.trim());
  const unknown = targets.filter((t) => !(APPEND_TARGETS as readonly string[]).includes(t));
  if (unknown.length > 0 || targets.length === 0) {
    process.stderr.write(`--targets takes ${APPEND_TARGETS.join(', ')} (got '${raw}')\n${USAGE}\n`);
    process.exit(2);
  }
  return targets as AppendTarget[];
}
