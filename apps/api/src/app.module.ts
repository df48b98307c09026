import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { CoreModule } from './app/core.module.js';
import { CatalogModule } from './catalog/catalog.module.js';
import { DocsModule } from './docs/docs.module.js';
import { HealthModule } from './health/health.module.js';
import { HttpExceptionFilter } from './http/errors/http-exception.filter.js';
import { AccessGuard } from './http/security/access.guard.js';
import { ACCESS_POLICY, type AccessPolicy } from './http/security/access-policy.js';
import { RateLimiter } from './http/security/rate-limiter.js';
import { SessionHttpController } from './http/security/session.http.controller.js';
import { TokenSet } from './http/security/token-set.js';
import { type AppInfrastructure, InfrastructureModule } from './infrastructure/infrastructure.module.js';
import { ReadModelModule } from './read-model/read-model.module.js';
import { ReplayModule } from './replay/replay.module.js';
import { StreamingModule } from './streaming/streaming.module.js';

export interface AppModuleOptions extends AppInfrastructure {
  /** The write tokens in force: configured, or the one generated for the embedded store. */
  writeTokens: readonly string[];
}

/**
 * The server: each module is made once here and handed to the modules that import it, so the
 * dependencies read top-down (and cannot loop): infrastructure ← health, read model ← streaming ← replay.
 */
@Module({})
// biome-ignore lint/complexity/noStaticOnlyClass: a Nest dynamic module is a class with a static forRoot
export class AppModule {
  static forRoot(options: AppModuleOptions): DynamicModule {
    const { config, clock } = options;
    const policy: AccessPolicy = {
      writeTokens: new TokenSet(options.writeTokens),
      readTokens: config.readTokens ? new TokenSet(config.readTokens) : undefined,
      writeLimiter: new RateLimiter(config.rateLimitPerMinute, clock),
    };
    const infrastructure = InfrastructureModule.forRoot(options);
    const health = HealthModule.register(infrastructure);
    const readModel = ReadModelModule.register(infrastructure);
    const streaming = StreamingModule.register({ infrastructure, readModel, health });
    const replay = ReplayModule.register({ infrastructure, streaming });
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot(infrastructure),
        health,
        DocsModule.register(infrastructure),
        CatalogModule,
        readModel,
        streaming,
        replay,
      ],
      controllers: [SessionHttpController],
      providers: [
        { provide: ACCESS_POLICY, useValue: policy },
        { provide: APP_GUARD, useClass: AccessGuard },
        { provide: APP_FILTER, useClass: HttpExceptionFilter },
      ],
    };
  }
}
