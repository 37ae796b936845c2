/**
 * A deliberately unreliable HTTP proxy in front of a collector, for the sync e2e proof. Every
 * POST takes the next answer of a fixed cycle: successes (forwarded) in turn with 500, 503, 429
 * (Retry-After 0 or 1) and two kinds of silence: never answering without forwarding, and
 * forwarding (the collector stores the batch) but never answering: the "crash between send and
 * ack" an extension must survive by resending the same batch. Other methods (CORS preflights)
 * are always forwarded.
 */
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Fault = 'ok' | '500' | '503' | '429' | 'hang' | 'ack-lost';
export const DEFAULT_CYCLE: Fault[] = ['ok', '500', 'ok', '503', 'ok', '429', 'ok', 'hang', 'ok', 'ack-lost'];

export interface FlakyProxy {
  url: string;
  counts: Record<Fault, number>;
  /** POSTs seen (every answer and every silence). */
  posts: number;
  close(): Promise<void>;
}

export async function startFlakyProxy(target: string, { cycle = DEFAULT_CYCLE, retryAfterOneEvery = 4 } = {}): Promise<FlakyProxy> {
  const upstream = new URL(target);
  const counts: Record<Fault, number> = { ok: 0, '500': 0, '503': 0, '429': 0, hang: 0, 'ack-lost': 0 };
  const hanging = new Set<ServerResponse>();
  const state = { posts: 0 };

  const forward = (req: IncomingMessage, body: Buffer, done: (status: number, headers: Record<string, string | string[] | undefined>, data: Buffer) => void) => {
    const out = request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(res.statusCode ?? 502, res.headers, Buffer.concat(chunks)));
      },
    );
    out.on('error', () => done(502, {}, Buffer.from('{"error":"bad-gateway","message":"upstream failed"}')));
    out.end(body);
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const reply = (status: number, headers: Record<string, string | string[] | undefined>, data: Buffer) => {
        if (!res.writableEnded && !res.destroyed) {
          const { 'content-length': _l, connection: _c, 'keep-alive': _k, 'transfer-encoding': _t, ...rest } = headers;
          res.writeHead(status, rest);
          res.end(data);
        }
      };
      if (req.method !== 'POST') return forward(req, body, reply);
      const fault = cycle[state.posts++ % cycle.length]!;
      counts[fault] += 1;
      const cors = { 'access-control-allow-origin': req.headers.origin ?? '*', 'access-control-expose-headers': 'Retry-After', 'content-type': 'application/json' };
      const error = (status: number, extra: Record<string, string> = {}) =>
        reply(status, { ...cors, ...extra }, Buffer.from(JSON.stringify({ error: 'flaky', message: `injected ${status}` })));
      switch (fault) {
        case 'ok':
          return forward(req, body, reply);
        case '500':
          return error(500);
        case '503':
          return error(503);
        case '429':
          return error(429, { 'retry-after': counts['429'] % retryAfterOneEvery === 0 ? '1' : '0' });
        case 'hang':
          hanging.add(res);
          res.on('close', () => hanging.delete(res));
          return;
        case 'ack-lost':
          hanging.add(res);
          res.on('close', () => hanging.delete(res));
          return forward(req, body, () => {}); // stored upstream; the answer never comes back
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    counts,
    get posts() {
      return state.posts;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
