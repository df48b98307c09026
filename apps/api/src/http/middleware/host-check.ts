import { HttpException, HttpStatus } from '@nestjs/common';
import type { RequestStep } from '../http-types.js';

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];
/** Listening on every interface names no host a client would use. */
const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '[::]']);

class MisdirectedRequestException extends HttpException {
  constructor(host: string) {
    super(
      `this server does not answer for host '${host.slice(0, 100)}': add it to TIMELINE_ALLOWED_HOSTS`,
      HttpStatus.MISDIRECTED,
    );
  }
}

/**
 * Refuses a request whose `Host` is not one of ours (port ignored): a web page that rebinds its own
 * name to 127.0.0.1 (DNS rebinding) would otherwise read a loopback API as same-origin. Allowed:
 * loopback names, the configured HOST, and TIMELINE_ALLOWED_HOSTS (`*` allows any).
 */
export function hostCheck(configuredHost: string, allowedHosts: readonly string[]): RequestStep {
  const allowed = new Set([...LOOPBACK_NAMES, ...allowedHosts].map(normalizeHost));
  if (!WILDCARD_HOSTS.has(configuredHost)) allowed.add(normalizeHost(configuredHost));
  const anyHost = allowed.has('*');
  return (request) => {
    const host = request.headers.host ?? '';
    if (!anyHost && !allowed.has(hostName(host))) throw new MisdirectedRequestException(host);
  };
}

/** The name of a `Host` header without its port, lower case; an IPv6 literal keeps its brackets. */
export function hostName(header: string): string {
  const bracketed = /^(\[[^\]]*\])(:\d*)?$/.exec(header);
  if (bracketed) return bracketed[1]!.toLowerCase();
  return header.replace(/:\d*$/, '').toLowerCase();
}

function normalizeHost(host: string): string {
  const lower = host.toLowerCase();
  return lower.includes(':') && !lower.startsWith('[') ? `[${lower}]` : lower;
}
