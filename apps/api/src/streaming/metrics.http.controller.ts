import { Controller, Get, Header, Inject } from '@nestjs/common';
import { Public } from '../http/security/public.decorator.js';
import { METRICS } from '../infrastructure/infrastructure.tokens.js';
import type { TimelineMetrics } from '../infrastructure/metrics.js';

/** `GET /metrics` in every process: its own metrics and its roles' (metrics.ts). */
@Controller('metrics')
export class MetricsController {
  constructor(@Inject(METRICS) private readonly metrics: TimelineMetrics) {}

  @Public()
  @Get()
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  scrape(): Promise<string> {
    return this.metrics.scrape();
  }
}
