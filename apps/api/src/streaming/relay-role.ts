import type { EventStore } from '../event-store/event-store.port.js';
import type { ReadinessCheck } from '../health/readiness.js';
import type { Logger } from './logger.js';
import type { TimelineMetrics } from '../infrastructure/metrics.js';
import type { OutboxRelay } from './relay.js';

/**
 * The `relay` role: the outbox relay, started at once (the store is the outbox: appends never wait
 * for it). Among all processes running it one holds the PostgreSQL advisory lock and publishes; the
 * others stand by and take over when its session ends. The topics are made in the background, so a
 * relay alone (no projector or gateway anywhere yet) does not wait for someone else to make them.
 */
export class RelayRole {
  private running = false;
  private topicsMade: Promise<void> | undefined;

  constructor(
    readonly relay: OutboxRelay,
    private readonly store: EventStore,
    private readonly ensureTopics: () => Promise<unknown>,
    private readonly log: Logger,
    private readonly metrics?: TimelineMetrics,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    // The relay starts once its topic takes writes: before, its first produce on a fresh broker failed
    // ("does not host this topic-partition") and was retried, with a warning, at every first start.
    this.topicsMade = this.makeTopics().then(() => {
      if (this.running) this.relay.start();
    });
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.topicsMade;
    await this.relay.stop();
  }

  /** `relay` in `/api/health/ready`: ready once running, active or standing by (either is healthy). */
  readinessCheck(): ReadinessCheck {
    return {
      name: 'relay',
      check: async () => {
        const { head, published } = await this.sample();
        return {
          ok: this.running,
          detail: { state: this.relay.active ? 'active' : 'standby', head, published, lag: head - published },
        };
      },
    };
  }

  /** Head and published position, into the metrics (on a standby: as the active relay stored it). */
  async sample(): Promise<{ head: number; published: number }> {
    const [head, published] = await Promise.all([this.store.head(), this.relay.checkpoint()]);
    this.metrics?.storeHead.set(head);
    this.metrics?.relayPublished.set(published);
    this.metrics?.relayLag.set(Math.max(0, head - published));
    return { head, published };
  }

  private async makeTopics(): Promise<void> {
    for (let attempt = 1; this.running; attempt++) {
      try {
        await this.ensureTopics();
        return;
      } catch (error) {
        this.log.warn({ msg: 'relay: cannot make the topics yet; retrying', attempt, error: String(error) });
        await new Promise((r) => setTimeout(r, Math.min(5_000, 500 * attempt)));
      }
    }
  }
}
