import { EventIdSchema } from '@timeline/shared-types';
import { ZodValidationPipe } from '../../http/validation/zod-validation.pipe.js';

/** The `:eventId` path parameter: a UUID, refused with 400 otherwise, lower-cased as the store keeps it. */
export const eventIdParam = () =>
  new ZodValidationPipe(
    EventIdSchema.transform((id) => id.toLowerCase()),
    ['eventId'],
  );
