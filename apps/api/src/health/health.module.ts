import { Global, Inject, Module, type OnModuleInit } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '../event-store/event-store.port.js';
import { HealthHttpController } from './health.http.controller.js';
import { ReadinessRegistry } from './readiness.js';

@Global()
@Module({
  controllers: [HealthHttpController],
  providers: [ReadinessRegistry],
  exports: [ReadinessRegistry],
})
export class HealthModule implements OnModuleInit {
  constructor(
    @Inject(ReadinessRegistry) private readonly readiness: ReadinessRegistry,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  onModuleInit(): void {
    this.readiness.register({
      name: 'store',
      check: async () => ({ ok: true, detail: { head: await this.store.head() } }),
    });
  }
}
