import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Role } from '../config/roles.js';

/** A child that serves HTTP, while it is up. */
export interface Upstream {
  role: Role;
  host: string;
  port: number;
  up: boolean;
}

/**
 * The one address of `pnpm start --processes`: the web app and the browser's live stream share an
 * origin, as with one process. `GET /api/stream` goes to a gateway, everything else to an api
 * process, each round robin over the children that are up. A plain pass-through (no buffering: an
 * event stream flows as it is written); `X-Forwarded-For` names the client, and the children trust
 * it from loopback (supervisor.ts sets TIMELINE_TRUSTED_PROXIES when it is unset). Any proxy in front
 * of the role processes does the same job in a real deployment (docs/operations.md).
 */
export function frontDoor(upstreams: readonly Upstream[]): Server {
  const turn: Partial<Record<Role, number>> = {};
  const pick = (role: Role): Upstream | undefined => {
    const candidates = upstreams.filter((u) => u.role === role && u.up);
    if (candidates.length === 0) return undefined;
    const next = (turn[role] ?? 0) % candidates.length;
    turn[role] = next + 1;
    return candidates[next];
  };
  return createServer((req, res) => {
    const path = req.url ?? '/';
    const role: Role = path === '/api/stream' || path.startsWith('/api/stream?') ? 'gateway' : 'api';
    const target = pick(role);
    if (!target) return unavailable(res, `no ${role} process is up yet`);
    forward(req, res, target);
  });
}

function forward(req: IncomingMessage, res: ServerResponse, target: Upstream): void {
  const forwardedFor = [req.headers['x-forwarded-for'], req.socket.remoteAddress].filter(Boolean).join(', ');
  const upstream = request(
    {
      host: target.host,
      port: target.port,
      method: req.method,
      path: req.url,
      headers: { ...req.headers, 'x-forwarded-for': forwardedFor },
    },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      res.flushHeaders();
      answer.pipe(res);
    },
  );
  upstream.on('error', () => {
    if (!res.headersSent)
      unavailable(res, `the ${target.role} process on port ${target.port} did not answer`);
    else res.destroy();
  });
  // A client that goes away (an EventSource closed) ends the request to the child too.
  res.on('close', () => upstream.destroy());
  req.pipe(upstream);
}

function unavailable(res: ServerResponse, message: string): void {
  res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' });
  res.end(JSON.stringify({ statusCode: 503, error: 'Service Unavailable', message }));
}
