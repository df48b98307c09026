import { Injectable } from '@nestjs/common';

export interface ReadinessResult {
  ok: boolean;
  /** Anything worth showing an operator: the head position, the broker, the error. */
  detail?: Record<string, unknown>;
}

/** One dependency that must answer before the instance takes traffic. */
export interface ReadinessCheck {
  name: string;
  check(): Promise<ReadinessResult>;
}

/**
 * The checks behind `GET /api/health/ready`. The store's check is registered by the health module;
 * other modules (Kafka, say) inject this registry and register theirs in `onModuleInit`.
 */
@Injectable()
export class ReadinessRegistry {
  private readonly checks = new Map<string, ReadinessCheck>();

  register(check: ReadinessCheck): void {
    this.checks.set(check.name, check);
  }

  list(): ReadinessCheck[] {
    return [...this.checks.values()];
  }
}
