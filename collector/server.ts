/**
 * The collector's HTTP API (node:http, no framework):
 *
 *   POST /v1/batches               org token      one install's daily aggregates (lib/sync/payload.ts)
 *   GET  /v1/insights              manager token  { k, granularity, insights }
 *   GET  /v1/insights/friction     manager token  ?pack=&period=2026-11 (or 2026-W48, 2026-11-02:
 *                                                 the configured PERIOD)[&format=csv]
 *   GET  /v1/insights/walkthroughs manager token  (same)
 *   GET  /v1/insights/tips         manager token  (same)
 *   GET  /v1/insights/feedback     manager token  (same)
 *   GET  /v1/insights/health       manager token  (same)
 *   GET  /v1/insights/comments     manager token  (same)
 *   GET  /v1/health                no token       { ok: true }
 *
 * Tokens: "Authorization: Bearer <token>"; only SHA-256 hashes of tokens are configured. Every
 * request is logged as one JSON line: time, method, path (no query), status, ms, the first 8 hex
 * digits of the token's hash; never a payload, a query value or a token.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { z } from 'zod';
import {
  INSIGHT_KINDS,
  PAYLOAD_FORMAT,
  insightsQuerySchema,
  parsePeriod,
  uploadBatchSchema,
  type ErrorResponse,
  type InsightKind,
  type InsightsInfo,
} from '../lib/sync/payload';
import { sha256, type CollectorConfig } from './config';
import { commentsCsv, commentsInsight, tableCsv, tableInsight } from './insights';
import { ContributorReusedError, type Storage } from './storage';

export interface LogLine {
  t: string;
  method: string;
  path: string;
  status: number;
  ms: number;
  token: string | null;
  error?: string;
}

export interface CollectorOptions {
  config: CollectorConfig;
  storage: Storage;
  /** One line per request (default: JSON on stdout). */
  log?: (line: LogLine) => void;
  /** Injectable clock (rate limits, received day). */
  now?: () => number;
}

export interface Collector {
  server: Server;
  listen(): Promise<{ port: number; host: string; url: string }>;
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: { issues?: ErrorResponse['issues']; headers?: Record<string, string> } = {},
  ) {
    super(message);
  }
}

/** Token buckets per token hash: `perMinute` requests a minute, bursts up to as many. */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  constructor(
    private readonly perMinute: number,
    private readonly now: () => number,
  ) {}

  /** 0 when allowed (and counted), else the seconds to wait. */
  take(key: string): number {
    const now = this.now();
    const rate = this.perMinute / 60_000;
    const b = this.buckets.get(key) ?? { tokens: this.perMinute, at: now };
    b.tokens = Math.min(this.perMinute, b.tokens + (now - b.at) * rate);
    b.at = now;
    this.buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / rate / 1000));
  }
}

/** Zod issues without anything from the payload: paths (schema keys and indices) and codes. */
export function safeIssues(error: z.ZodError): NonNullable<ErrorResponse['issues']> {
  return error.issues.slice(0, 20).map((issue) => {
    const i = issue as z.ZodError['issues'][number] & { maximum?: unknown; minimum?: unknown; expected?: unknown };
    let message: string;
    switch (i.code) {
      case 'custom':
        message = i.message; // ours, written in lib/sync/payload.ts: never an input value
        break;
      case 'invalid_type':
        message = `expected ${String(i.expected)}`;
        break;
      case 'too_big':
        message = `too big (at most ${String(i.maximum)})`;
        break;
      case 'too_small':
        message = `too small (at least ${String(i.minimum)})`;
        break;
      case 'invalid_format':
        message = 'not in the expected format (ids, enums, versions and days only)';
        break;
      case 'invalid_value':
        message = 'not an allowed value';
        break;
      case 'unrecognized_keys':
        message = 'unknown field (no free-form fields are accepted)';
        break;
      default:
        message = 'invalid';
    }
    return { path: i.path.map(String).join('.') || '(root)', code: i.code, message };
  });
}

const JSON_TYPE = 'application/json; charset=utf-8';

export function createCollector(options: CollectorOptions): Collector {
  const { config, storage } = options;
  const now = options.now ?? Date.now;
  const log = options.log ?? ((line: LogLine) => process.stdout.write(JSON.stringify(line) + '\n'));
  const limiter = new RateLimiter(config.rateLimit, now);

  const server = createServer((req, res) => {
    const started = performance.now();
    const path = (req.url ?? '/').split('?')[0]!;
    let tokenId: string | null = null;
    let errorNote: string | undefined;
    // 'close' comes for every request, answered or abandoned by the client.
    res.once('close', () => {
      const line: LogLine = {
        t: new Date(now()).toISOString(),
        method: req.method ?? '',
        // Only our own routes are named: an unknown path could carry anything.
        path: /^\/v1\/(batches|health|insights(\/[a-z]{1,20})?)$/.test(path) ? path : '(other)',
        status: res.statusCode,
        ms: Math.round((performance.now() - started) * 10) / 10,
        token: tokenId,
      };
      if (errorNote) line.error = errorNote;
      else if (!res.writableFinished) line.error = 'client went away before the answer';
      log(line);
    });
    handle(req, res, path, (id) => (tokenId = id)).catch((error: unknown) => {
      if (error instanceof HttpError) return send(res, error.status, { error: error.code, message: error.message, ...(error.extra.issues && { issues: error.extra.issues }) }, error.extra.headers);
      errorNote = error instanceof Error ? `${error.name}: ${error.message}`.slice(0, 300) : 'error';
      send(res, 500, { error: 'internal', message: 'the collector could not handle this request' });
    });
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  server.keepAliveTimeout = 5_000;

  function cors(req: IncomingMessage, res: ServerResponse): void {
    const origin = req.headers.origin;
    if (origin && config.corsOrigins.includes(origin)) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Vary', 'Origin');
      res.setHeader('Access-Control-Expose-Headers', 'Retry-After, Content-Disposition');
    }
  }

  function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const text = JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': JSON_TYPE, 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store', ...headers });
    res.end(text);
  }

  function authenticate(req: IncomingMessage, role: 'org' | 'manager', setToken: (id: string) => void): string {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer ([\x21-\x7e]{1,512})$/.exec(header);
    const challenge = { headers: { 'WWW-Authenticate': 'Bearer realm="crm-coach-collector"' } };
    if (!match) throw new HttpError(401, 'unauthorized', 'an "Authorization: Bearer <token>" header is required', challenge);
    const hash = sha256(match[1]!);
    const isOrg = config.orgTokenHashes.has(hash);
    const isManager = config.managerTokenHashes.has(hash);
    if (!isOrg && !isManager) throw new HttpError(401, 'unauthorized', 'unknown token', challenge);
    setToken(hash.slice(0, 8));
    if (role === 'org' ? !isOrg : !isManager) {
      throw new HttpError(403, 'forbidden', role === 'org' ? 'this token may not upload (an org token is needed)' : 'this token may not read insights (a manager token is needed)');
    }
    const wait = limiter.take(hash);
    if (wait > 0) throw new HttpError(429, 'rate-limited', `too many requests for this token: retry in ${wait} s`, { headers: { 'Retry-After': String(wait) } });
    return hash;
  }

  async function readBody(req: IncomingMessage, res: ServerResponse): Promise<Buffer> {
    const max = config.maxBodyBytes;
    const tooLarge = () =>
      new HttpError(413, 'payload-too-large', `the body exceeds ${max} bytes: upload fewer rows per batch`, { headers: { Connection: 'close' } });
    const declared = Number(req.headers['content-length'] ?? NaN);
    const drain = () => {
      // Let the client finish sending, so that it reads the 413, up to a bound; then cut it off
      // (never before the answer has gone out).
      let discarded = 0;
      const cut = () => (res.writableFinished ? req.socket.destroy() : res.once('finish', () => req.socket.destroy()));
      req.on('data', (chunk: Buffer) => {
        discarded += chunk.length;
        if (discarded > Math.max(4 * max, 8 * 1024 * 1024)) {
          req.pause();
          cut();
        }
      });
      req.resume();
      res.once('finish', () => setTimeout(() => req.socket.destroy(), 2000).unref());
    };
    if (Number.isFinite(declared) && declared > max) {
      drain();
      throw tooLarge();
    }
    return new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let over = false;
      const onData = (chunk: Buffer) => {
        size += chunk.length;
        if (size > max) {
          over = true;
          req.off('data', onData);
          drain();
          reject(tooLarge());
          return;
        }
        chunks.push(chunk);
      };
      req.on('data', onData);
      req.on('end', () => {
        if (!over) resolve(Buffer.concat(chunks));
      });
      req.on('error', reject);
    });
  }

  async function handle(req: IncomingMessage, res: ServerResponse, path: string, setToken: (id: string) => void): Promise<void> {
    cors(req, res);
    const method = req.method ?? 'GET';
    if (method === 'OPTIONS') {
      const origin = req.headers.origin;
      if (origin && config.corsOrigins.includes(origin)) {
        res.writeHead(204, {
          'Access-Control-Allow-Methods': 'GET, POST',
          'Access-Control-Allow-Headers': 'Authorization, Content-Type',
          'Access-Control-Max-Age': '600',
        });
        res.end();
        return;
      }
      throw new HttpError(403, 'forbidden', 'origin not allowed');
    }

    if (path === '/v1/health') {
      if (method !== 'GET') throw new HttpError(405, 'method-not-allowed', 'use GET', { headers: { Allow: 'GET' } });
      return send(res, 200, { ok: true });
    }

    if (path === '/v1/batches') {
      if (method !== 'POST') throw new HttpError(405, 'method-not-allowed', 'use POST', { headers: { Allow: 'POST' } });
      authenticate(req, 'org', setToken);
      const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      if (type !== 'application/json') throw new HttpError(415, 'unsupported-media-type', 'send Content-Type: application/json');
      const body = await readBody(req, res);
      let json: unknown;
      try {
        json = JSON.parse(body.toString('utf8'));
      } catch {
        throw new HttpError(400, 'invalid-json', 'the body is not JSON');
      }
      const parsed = uploadBatchSchema.safeParse(json);
      if (!parsed.success) throw new HttpError(400, 'invalid-batch', 'the batch does not match lib/sync/payload.ts', { issues: safeIssues(parsed.error) });
      let result;
      try {
        result = await storage.storeBatch(parsed.data, new Date(now()).toISOString().slice(0, 10));
      } catch (error) {
        if (error instanceof ContributorReusedError) throw new HttpError(409, 'contributor-reused', error.message);
        throw error;
      }
      return send(res, result.duplicate ? 200 : 201, { ok: true, batchId: parsed.data.batchId, duplicate: result.duplicate, rows: result.rows });
    }

    if (path === '/v1/insights') {
      if (method !== 'GET') throw new HttpError(405, 'method-not-allowed', 'use GET', { headers: { Allow: 'GET' } });
      authenticate(req, 'manager', setToken);
      const info: InsightsInfo = { format: PAYLOAD_FORMAT, k: config.k, granularity: config.period, insights: [...INSIGHT_KINDS] };
      return send(res, 200, info);
    }

    const insight = /^\/v1\/insights\/([a-z]+)$/.exec(path)?.[1];
    if (insight !== undefined && (INSIGHT_KINDS as readonly string[]).includes(insight)) {
      if (method !== 'GET') throw new HttpError(405, 'method-not-allowed', 'use GET', { headers: { Allow: 'GET' } });
      authenticate(req, 'manager', setToken);
      const params = new URL(req.url ?? '/', 'http://collector').searchParams;
      const example = { month: '2026-11', week: '2026-W48', day: '2026-11-28' }[config.period];
      const usage = `expected ?pack=<pack id>&period=<one ${config.period}, e.g. ${example}>[&format=json|csv]`;
      const parsed = insightsQuerySchema.safeParse(Object.fromEntries(params));
      if (!parsed.success) throw new HttpError(400, 'invalid-query', usage, { issues: safeIssues(parsed.error) });
      const query = parsed.data;
      const range = parsePeriod(query.period)!;
      if (range.granularity !== config.period) {
        throw new HttpError(400, 'invalid-query', `this collector publishes whole ${config.period}s only (so that no two answers overlap): ${usage}`, {
          issues: [{ path: 'period', code: 'custom', message: `a ${config.period} is expected` }],
        });
      }
      const scope = { pack: query.pack, period: query.period, range };
      const kind = insight as InsightKind;
      const csv = query.format === 'csv';
      const filename = `crm-coach-${kind}-${query.pack}-${query.period}.csv`;
      const csvHeaders = { 'Content-Type': 'text/csv; charset=utf-8; header=present', 'Content-Disposition': `attachment; filename="${filename}"`, 'Cache-Control': 'no-store' };
      if (kind === 'comments') {
        const body = await commentsInsight(storage, scope, config.k);
        if (!csv) return send(res, 200, body);
        res.writeHead(200, csvHeaders);
        res.end(commentsCsv(body));
        return;
      }
      const body = await tableInsight(storage, kind, scope, config.k);
      if (!csv) return send(res, 200, body);
      res.writeHead(200, csvHeaders);
      res.end(tableCsv(body));
      return;
    }
    throw new HttpError(404, 'not-found', 'no such endpoint (see collector/README.md)');
  }

  return {
    server,
    listen: () =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.port, config.host, () => {
          server.off('error', reject);
          const { port, address } = server.address() as AddressInfo;
          const host = address.includes(':') ? `[${address}]` : address;
          resolve({ port, host: address, url: `http://${host}:${port}` });
        });
      }),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
