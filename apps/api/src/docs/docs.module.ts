import { Module } from '@nestjs/common';
import { DocsHttpController } from './docs.http.controller.js';

@Module({ controllers: [DocsHttpController] })
export class DocsModule {}
