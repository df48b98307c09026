import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * A set of bearer tokens checked in constant time. Both sides are hashed first, so the comparison
 * sees equal-length digests and leaks neither a token's length nor how much of it matched.
 */
export class TokenSet {
  private readonly digests: Buffer[];

  constructor(tokens: readonly string[]) {
    this.digests = tokens.map(digest);
  }

  get size(): number {
    return this.digests.length;
  }

  /** The matching token's fingerprint (a hash prefix, safe to use as a key), or undefined. */
  match(presented: string | undefined): string | undefined {
    if (presented === undefined) return undefined;
    const candidate = digest(presented);
    let matched: Buffer | undefined;
    // No early exit: every configured token is compared whichever one matches.
    for (const known of this.digests) {
      if (timingSafeEqual(known, candidate)) matched = known;
    }
    return matched?.toString('hex').slice(0, 16);
  }
}

/** The token of an `Authorization: Bearer <token>` header, or undefined. */
export function bearerToken(header: string | string[] | undefined): string | undefined {
  if (typeof header !== 'string' || header.length > 1024) return undefined;
  const match = /^Bearer[ ]+([\x21-\x7e]+)[ ]*$/i.exec(header);
  return match?.[1];
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
