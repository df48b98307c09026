import type { Logger } from './logger.js';

/** A Kafka consumer of one role: started, stopped, and told when kafkajs gave up on it. */
export interface ConsumerPart {
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Runs one role's consumer without waiting for the broker: it starts in the background, retrying until
 * Kafka answers (the topics are made first: kafkajs cannot subscribe to one that does not exist), and
 * starts again when kafkajs gives up on it (`restart`). `ready` is what the role's readiness reports.
 */
export class ConsumerLifecycle {
  private started = false;
  private stopped = false;
  private running = false;
  private restarting = false;
  private startup: Promise<void> | undefined;

  constructor(
    private readonly name: string,
    private readonly part: () => ConsumerPart,
    private readonly ensureTopics: () => Promise<unknown>,
    private readonly log: Logger,
  ) {}

  get ready(): boolean {
    return this.running;
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.startup = this.startWithRetries();
  }

  /** Resolves once the consumer runs (tests and the role's callers wait on it). */
  async whenReady(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.running) {
      if (Date.now() > deadline)
        throw new Error(`the ${this.name} did not start in time: is the broker up? (pnpm infra:up)`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** kafkajs gave up on the consumer (the broker was gone too long, say): stop it and start again. */
  restart(error: Error): void {
    if (this.stopped || this.restarting) return;
    this.restarting = true;
    this.running = false;
    this.log.warn({ msg: `${this.name}: its Kafka consumer stopped; restarting it`, error: String(error) });
    this.startup = (async () => {
      await this.part().stop();
      await this.startWithRetries();
    })().finally(() => {
      this.restarting = false;
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.startup?.catch(() => undefined);
    this.running = false;
    await this.part().stop();
  }

  private async startWithRetries(): Promise<void> {
    let attempt = 0;
    while (!this.stopped) {
      try {
        await this.ensureTopics();
        await this.part().start();
        this.running = true;
        this.log.log({ msg: `${this.name}: Kafka consumer running` });
        return;
      } catch (error) {
        attempt += 1;
        this.log.warn({
          msg: `${this.name}: Kafka not reachable yet; retrying (start it with \`pnpm infra:up\`)`,
          attempt,
          error: String(error),
        });
        await this.part().stop();
        await new Promise((r) => setTimeout(r, Math.min(5_000, 500 * attempt)));
      }
    }
  }
}
