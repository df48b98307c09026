import { SetMetadata } from '@nestjs/common';

export const PUBLIC_ROUTE = 'timeline:public-route';

/** Health and docs answer without a token even when reads are closed. */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);
