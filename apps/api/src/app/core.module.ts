import { type DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { EventsModule } from '../events/events.module.js';
import { type AppInfrastructure, InfrastructureModule } from './infrastructure.module.js';

/** The command and query side without HTTP concerns: what the server and the standalone seeder share. */
@Module({})
// biome-ignore lint/complexity/noStaticOnlyClass: a Nest dynamic module is a class with a static forRoot
export class CoreModule {
  static forRoot(infrastructure: AppInfrastructure): DynamicModule {
    return {
      module: CoreModule,
      imports: [InfrastructureModule.forRoot(infrastructure), CqrsModule.forRoot(), EventsModule],
      exports: [CqrsModule],
    };
  }
}
