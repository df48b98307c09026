import { Controller, Get, Header, Inject } from '@nestjs/common';
import { Public } from '../http/security/public.decorator.js';
import type { TimelineMetrics } from './metrics.js';
import type { Streaming } from './streaming.js';
import { METRICS, STREAMING } from './streaming.tokens.js';

@Controller('metrics')
export class MetricsController {
  constructor(
    @Inject(METRICS) private readonly metrics: TimelineMetrics,
    @Inject(STREAMING) private readonly streaming: Streaming,
  ) {}

  @Public()
  @Get()
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  async scrape(): Promise<string> {
    await this.streaming.lag().catch(() => undefined);
    return this.metrics.registry.metrics();
  }
}
