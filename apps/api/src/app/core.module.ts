import { type DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { EventsModule } from '../events/events.module.js';

/** The command and query side without HTTP concerns: what the server and the standalone seeder share. */
@Module({})
// biome-ignore lint/complexity/noStaticOnlyClass: a Nest dynamic module is a class with a static forRoot
export class CoreModule {
  /** `infrastructure`: InfrastructureModule.forRoot(...), made once by the caller. */
  static forRoot(infrastructure: DynamicModule): DynamicModule {
    return {
      module: CoreModule,
      imports: [CqrsModule.forRoot(), EventsModule.register(infrastructure)],
      exports: [CqrsModule],
    };
  }
}
