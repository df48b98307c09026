import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { CoreModule } from './app/core.module.js';
import { CatalogModule } from './catalog/catalog.module.js';
import { DeadLettersModule } from './dead-letters/dead-letters.module.js';
import { DocsModule } from './docs/docs.module.js';
import { HealthModule } from './health/health.module.js';
import { HttpExceptionFilter } from './http/errors/http-exception.filter.js';
import { AccessGuard } from './http/security/access.guard.js';
import { ACCESS_POLICY, AccessPolicy } from './http/security/access-policy.js';
import { RateLimiter } from './http/security/rate-limiter.js';
import { ReadSessions } from './http/security/read-session.js';
import { SessionHttpController } from './http/security/session.http.controller.js';
import { TokenSet } from './http/security/token-set.js';
import type { ResolvedCredentials } from './config/write-tokens.js';
import { type AppInfrastructure, InfrastructureModule } from './infrastructure/infrastructure.module.js';
import { ReadModelModule } from './read-model/read-model.module.js';
import { ReplayModule } from './replay/replay.module.js';
import { GatewayModule } from './streaming/gateway.module.js';
import { ProjectorModule } from './streaming/projector.module.js';
import { RelayModule } from './streaming/relay.module.js';
import { StreamingModule } from './streaming/streaming.module.js';

export interface AppModuleOptions extends AppInfrastructure {
  /** The credentials in force: configured, or generated for the embedded store (config/write-tokens.ts). */
  credentials: Pick<ResolvedCredentials, 'writeTokens' | 'adminTokens' | 'sessionSecret'>;
}

/**
 * The server: each module is made once here and handed to the modules that import it, so the
 * dependencies read top-down (and cannot loop): infrastructure ← health, read model ← streaming ←
 * replay. Which modules a process has follows its roles (TIMELINE_ROLES, config/roles.ts): every
 * process serves `/api/health/*` and `/metrics`; the api role the HTTP reads and writes, the docs
 * and the session routes; the gateway `GET /api/stream`; relay and projector no routes of their own.
 */
@Module({})
// biome-ignore lint/complexity/noStaticOnlyClass: a Nest dynamic module is a class with a static forRoot
export class AppModule {
  static forRoot(options: AppModuleOptions): DynamicModule {
    const { config, clock, credentials } = options;
    const { security } = config;
    const policy = new AccessPolicy({
      writeTokens: new TokenSet(credentials.writeTokens),
      readTokens: config.readTokens ? new TokenSet(config.readTokens) : undefined,
      adminTokens: credentials.adminTokens ? new TokenSet(credentials.adminTokens) : undefined,
      sessions: new ReadSessions(credentials.sessionSecret, clock),
      cookieSecure: security.cookieSecure,
      writeLimiter: new RateLimiter(config.rateLimitPerMinute, clock),
      readLimiter: new RateLimiter(security.readRateLimitPerMinute, clock),
      failureLimiter: new RateLimiter(security.authFailuresPerMinute, clock),
    });
    const { roles } = config;
    const api = roles.has('api');
    const infrastructure = InfrastructureModule.forRoot(options);
    const health = HealthModule.register(infrastructure);
    const readModel = ReadModelModule.register(infrastructure, { routes: api });
    const streaming = StreamingModule.register(infrastructure);
    const apiModules = api
      ? [
          CoreModule.forRoot(infrastructure),
          DocsModule.register(infrastructure),
          CatalogModule,
          ReplayModule.register({ infrastructure, streaming }),
          DeadLettersModule.register({ infrastructure, readModel, streaming }),
        ]
      : [];
    return {
      module: AppModule,
      imports: [
        health,
        readModel,
        streaming,
        ...apiModules,
        ...(roles.has('relay') ? [RelayModule.register({ infrastructure, streaming, health })] : []),
        ...(roles.has('projector')
          ? [ProjectorModule.register({ infrastructure, streaming, readModel, health })]
          : []),
        ...(roles.has('gateway') ? [GatewayModule.register({ infrastructure, streaming, health })] : []),
      ],
      controllers: api ? [SessionHttpController] : [],
      providers: [
        { provide: ACCESS_POLICY, useValue: policy },
        { provide: APP_GUARD, useClass: AccessGuard },
        { provide: APP_FILTER, useClass: HttpExceptionFilter },
      ],
    };
  }
}
