import { Controller, Get, Headers, Inject, NotFoundException, Post, Res } from '@nestjs/common';
import { ndjsonLine } from '@timeline/shared-types';
import type { HttpReply } from '../http/http-types.js';
import { z } from 'zod';
import { sendNdjson, wantsNdjson } from '../http/streaming-response/ndjson-writer.js';
import { ValidParam, ValidQuery } from '../http/validation/validated.js';
import type { ReadModelRebuild } from './read-model-rebuild.js';
import { REBUILD_SOURCES, type RebuildStatus } from './rebuild-status.js';
import { READ_MODEL_REBUILD } from './replay.tokens.js';

/** `POST /api/admin/rebuild?source=store|kafka`. */
export const RebuildQuerySchema = z.strictObject({
  source: z
    .enum(REBUILD_SOURCES, { message: `must be one of ${REBUILD_SOURCES.join(', ')}` })
    .default('store')
    .describe(
      'where the log is read from: the event store, or the events topic from offset 0 (what the topic cannot give is read from the store)',
    ),
});
export type RebuildQuery = z.output<typeof RebuildQuerySchema>;

@Controller('api/admin/rebuild')
export class RebuildHttpController {
  constructor(@Inject(READ_MODEL_REBUILD) private readonly rebuild: ReadModelRebuild) {}

  /**
   * Rebuilds the timeline read model from the store beside the live one and swaps it in
   * (administration: the access policy asks an admin token for every route under /api/admin/). 202 with the status and a Location to poll; with
   * `Accept: application/x-ndjson`, 200 and one status line per step until the last one
   * (`state` `swapped` or `failed`). 409 while another rebuild runs.
   */
  @Post()
  async start(
    @Headers('accept') accept: string | undefined,
    @ValidQuery(RebuildQuerySchema) query: RebuildQuery,
    @Res() res: HttpReply,
  ): Promise<void> {
    const { status, done } = await this.rebuild.start({ source: query.source });
    const location = `/api/admin/rebuild/${status.id}`;
    if (!wantsNdjson(accept)) {
      res.code(202).header('Location', location).send(status);
      return;
    }
    res.header('Location', location);
    await sendNdjson(res, progressLines(this.rebuild, status, done));
  }

  @Get(':id')
  async status(@ValidParam('id', z.uuid()) id: string): Promise<RebuildStatus> {
    const status = await this.rebuild.status(id);
    if (!status) throw new NotFoundException(`no rebuild ${id}`);
    return status;
  }
}

async function* progressLines(
  rebuild: ReadModelRebuild,
  first: RebuildStatus,
  done: Promise<RebuildStatus>,
): AsyncGenerator<string> {
  const pending: RebuildStatus[] = [first];
  let lastSent: RebuildStatus | undefined;
  let wake: (() => void) | undefined;
  let finished = false;
  const stop = rebuild.watch(first.id, (status) => {
    pending.push(status);
    wake?.();
  });
  void done.finally(() => {
    finished = true;
    wake?.();
  });
  try {
    for (;;) {
      while (pending.length > 0) {
        lastSent = pending.shift();
        yield ndjsonLine(lastSent);
      }
      if (finished) break;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
      wake = undefined;
    }
    // The watcher usually delivered the final status already: send it once, never twice.
    const last = await done;
    if (lastSent?.state !== last.state) yield ndjsonLine(last);
  } finally {
    stop();
  }
}
