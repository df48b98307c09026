import { type DynamicModule, Inject, Module, type OnModuleInit } from '@nestjs/common';
import type { EventStore } from '../event-store/event-store.port.js';
import { EVENT_STORE } from '../event-store/event-store.tokens.js';
import { HealthHttpController } from './health.http.controller.js';
import { ReadinessRegistry } from './readiness.js';

/** `GET /api/health/live|ready`. Exports the ReadinessRegistry other modules add their checks to. */
@Module({})
export class HealthModule implements OnModuleInit {
  static register(infrastructure: DynamicModule): DynamicModule {
    return {
      module: HealthModule,
      imports: [infrastructure],
      controllers: [HealthHttpController],
      providers: [ReadinessRegistry],
      exports: [ReadinessRegistry],
    };
  }

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
