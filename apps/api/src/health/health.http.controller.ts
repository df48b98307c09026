import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import type { HttpReply } from '../http/http-types.js';
import { Public } from '../http/security/public.decorator.js';
import { ReadinessRegistry, type ReadinessResult } from './readiness.js';

const CHECK_TIMEOUT_MS = 3000;

@Public()
@Controller('api/health')
export class HealthHttpController {
  constructor(@Inject(ReadinessRegistry) private readonly readiness: ReadinessRegistry) {}

  /** The process is up and serving HTTP. */
  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Every dependency answers: 200, else 503 naming the ones that do not. */
  @Get('ready')
  async ready(
    @Res({ passthrough: true }) response: HttpReply,
  ): Promise<{ status: 'ok' | 'unavailable'; checks: Record<string, ReadinessResult> }> {
    const checks = this.readiness.list();
    const results = await Promise.all(checks.map((check) => runCheck(check.check.bind(check))));
    const byName = Object.fromEntries(checks.map((check, i) => [check.name, results[i]!]));
    const ok = results.every((result) => result.ok);
    response.code(ok ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    response.header('Cache-Control', 'no-store');
    return { status: ok ? 'ok' : 'unavailable', checks: byName };
  }
}

async function runCheck(check: () => Promise<ReadinessResult>): Promise<ReadinessResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<ReadinessResult>((resolve) => {
    timer = setTimeout(
      () => resolve({ ok: false, detail: { error: `no answer within ${CHECK_TIMEOUT_MS} ms` } }),
      CHECK_TIMEOUT_MS,
    );
  });
  try {
    return await Promise.race([check(), timeout]);
  } catch (error) {
    return { ok: false, detail: { error: error instanceof Error ? error.message : String(error) } };
  } finally {
    clearTimeout(timer);
  }
}
