import { isIPv6 } from 'node:net';

/**
 * Who a request counts against in the rate limits: `req.ip`, which is the socket's address unless
 * the request came through a proxy in TIMELINE_TRUSTED_PROXIES (Fastify's `trustProxy`), then the
 * client that proxy names. An IPv6 client is keyed by its /64: one host usually holds a whole /64
 * and could otherwise take a fresh address, and a fresh bucket, per request.
 */
export function clientKey(request: { ip?: string }): string {
  const address = request.ip || 'unknown';
  return `address:${addressKey(address)}`;
}

export function addressKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (!isIPv6(address)) return address;
  return `${expandIPv6(address).slice(0, 4).join(':')}::/64`;
}

/** The eight 16-bit groups of an IPv6 address, `::` filled in (a zone id is dropped). */
function expandIPv6(address: string): string[] {
  const [head = '', tail] = address.split('%')[0]!.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const fill = tail === undefined ? [] : Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0');
  return [...left, ...fill, ...right].map((group) => group.toLowerCase().replace(/^0+(?=.)/, ''));
}
