/**
 * The collector over real HTTP on 127.0.0.1, port 0: auth, validation, 413, 429, dedupe
 * (concurrent too, and across two instances sharing PostgreSQL), k-anonymity, CSV, logs.
 */
import { request } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, configFromEnv, sha256, type CollectorConfig } from '../../../collector/config';
import { SUPPRESSED_CSV, csvField } from '../../../collector/insights';
import { createCollector, type LogLine } from '../../../collector/server';
import { SqliteStorage } from '../../../collector/sqlite';
import type { Storage } from '../../../collector/storage';
import { derivableEntries } from '../../../lib/privacy/suppression';
import { commentsResponseSchema, errorResponseSchema, insightsInfoSchema, insightsResponseSchema, randomId, type AggregateRow, type UploadBatch } from '../../../lib/sync/payload';
import { DATABASE_URL, PG_SKIP_REASON, batch, postgresStorage, row } from './helpers';

const ORG = 'org-token-0123456789abcdef';
const MANAGER = 'manager-token-0123456789abcdef';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

interface Running {
  url: string;
  logs: LogLine[];
  storage: Storage;
  clock: { now: number };
}

async function start(overrides: Partial<CollectorConfig> = {}, shared?: Storage): Promise<Running> {
  const config: CollectorConfig = {
    ...configFromEnv({ ORG_TOKENS: sha256(ORG), MANAGER_TOKENS: sha256(MANAGER), PORT: '0', HOST: '127.0.0.1' }),
    ...overrides,
  };
  let storage = shared;
  if (!storage) {
    storage = new SqliteStorage({ path: ':memory:' });
    await storage.init();
    const own = storage;
    cleanups.push(() => own.close());
  }
  const logs: LogLine[] = [];
  const clock = { now: Date.parse('2026-11-28T10:00:00Z') };
  const collector = createCollector({ config, storage, log: (l) => logs.push(l), now: () => clock.now });
  const { url } = await collector.listen();
  cleanups.push(() => collector.close());
  return { url, logs, storage, clock };
}

const upload = (url: string, body: unknown, token = ORG, headers: Record<string, string> = {}) =>
  fetch(`${url}/v1/batches`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

const read = (url: string, path: string, token = MANAGER) => fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}` } });

/** n contributors (each its own batch) with the same rows, on `day`. */
async function crowd(url: string, n: number, rows: (i: number) => AggregateRow[], extra: (i: number) => Partial<UploadBatch> = () => ({})) {
  for (let i = 0; i < n; i += 1) {
    const res = await upload(url, batch(rows(i), extra(i)));
    expect(res.status).toBe(201);
  }
}

describe('collector HTTP API', () => {
  it('health needs no token', async () => {
    const { url } = await start();
    const res = await fetch(`${url}/v1/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
  });

  it('auth: 401 without or with an unknown token, 403 with the other role', async () => {
    const { url } = await start();
    const b = batch([row()]);
    const none = await fetch(`${url}/v1/batches`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(b) });
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(errorResponseSchema.parse(await none.json()).error).toBe('unauthorized');
    expect((await upload(url, b, 'not-a-token')).status).toBe(401);
    expect((await upload(url, b, MANAGER)).status).toBe(403);
    expect((await read(url, '/v1/insights/friction?pack=demo&period=2026-11', ORG)).status).toBe(403);
    expect((await read(url, '/v1/insights/friction?pack=demo&period=2026-11', 'nope')).status).toBe(401);
    expect((await upload(url, b)).status).toBe(201);
  });

  it('400 with zod issue paths and never an echo of the payload; 415; invalid JSON', async () => {
    const { url, logs } = await start();
    const secret = 'ola.nordmann@example.com';
    const bad = { ...batch([row({ screen: secret }), row({ type: 'form-dwell', count: 2 })]), [secret]: 1 };
    const res = await upload(url, bad);
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(text).not.toContain('ola');
    const body = errorResponseSchema.parse(JSON.parse(text));
    expect(body.error).toBe('invalid-batch');
    expect(body.issues!.map((i) => i.path)).toEqual(expect.arrayContaining(['(root)', 'rows.0.screen']));
    expect(JSON.stringify(logs)).not.toContain('ola');

    const notJson = await upload(url, '{"format": 1,');
    expect(notJson.status).toBe(400);
    expect((await notJson.json()).error).toBe('invalid-json');
    expect((await upload(url, batch([row()]), ORG, { 'content-type': 'text/plain' })).status).toBe(415);
  });

  it('413 when Content-Length is over the cap, and when a chunked body grows over it', async () => {
    const { url } = await start({ maxBodyBytes: 4096 });
    const big = JSON.stringify(batch(Array.from({ length: 200 }, (_, i) => row({ screen: `demo/s${i}` }))));
    expect(big.length).toBeGreaterThan(4096);
    const res = await upload(url, big);
    expect(res.status).toBe(413);
    const body = await res.json();
    expect(body.error).toBe('payload-too-large');
    expect(body.message).toMatch(/4096 bytes/);

    // No Content-Length: the body is counted as it arrives.
    const status = await new Promise<number>((resolve, reject) => {
      const { hostname, port } = new URL(url);
      const req = request({ hostname, port, path: '/v1/batches', method: 'POST', headers: { authorization: `Bearer ${ORG}`, 'content-type': 'application/json', 'transfer-encoding': 'chunked' } }, (r) => {
        r.resume();
        resolve(r.statusCode ?? 0);
      });
      req.on('error', reject);
      let sent = 0;
      const pump = () => {
        while (sent < 64 * 1024) {
          sent += 1024;
          if (!req.write('x'.repeat(1024))) return void req.once('drain', pump);
        }
        req.end();
      };
      pump();
    });
    expect(status).toBe(413);
  });

  it('429 per token with Retry-After; the bucket refills with time', async () => {
    const { url, clock } = await start({ rateLimit: 3 });
    for (let i = 0; i < 3; i += 1) expect((await upload(url, batch([row()]))).status).toBe(201);
    const limited = await upload(url, batch([row()]));
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('20');
    // Another token has its own bucket.
    expect((await read(url, '/v1/insights/tips?pack=demo&period=2026-11')).status).toBe(200);
    clock.now += 20_000;
    expect((await upload(url, batch([row()]))).status).toBe(201);
    expect((await upload(url, batch([row()]))).status).toBe(429);
  });

  it('dedupe: a replayed batch answers 200 { duplicate: true } and changes nothing', async () => {
    const { url, storage } = await start();
    const b = batch([row({ count: 3 })]);
    const first = await upload(url, b);
    expect(first.status).toBe(201);
    expect(await first.json()).toEqual({ ok: true, batchId: b.batchId, duplicate: false, rows: 1 });
    const again = await upload(url, b);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ ok: true, batchId: b.batchId, duplicate: true, rows: 1 });
    expect(await storage.stats()).toMatchObject({ batches: 1, signals: 3 });
  });

  it('dedupe: 30 concurrent uploads of one batch store it once', async () => {
    const { url, storage } = await start();
    const b = batch([row({ count: 2 }), row({ type: 'dead-click', count: 5 })]);
    const statuses = await Promise.all(Array.from({ length: 30 }, () => upload(url, b).then((r) => r.status)));
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 200)).toHaveLength(29);
    expect(await storage.stats()).toMatchObject({ batches: 1, dailyRows: 10, signals: 7, contributors: 1 }); // + the stages table's "(active)" row
  });

  it('409 when a contributor id comes back (one batch of rows per contributor; ids rotate daily)', async () => {
    const { url } = await start();
    const contributor = randomId();
    expect((await upload(url, batch([row({ day: '2026-11-02' })], { contributor }))).status).toBe(201);
    const res = await upload(url, batch([row({ day: '2026-11-03' })], { contributor }));
    expect(res.status).toBe(409);
    expect((await res.json()).error).toBe('contributor-reused');
    // One batch of rows per contributor: a second one the same day would count one person twice.
    expect((await upload(url, batch([row({ day: '2026-11-02', type: 'dead-click' })], { contributor }))).status).toBe(409);
  });

  it('k-anonymity: small groups suppressed, with complements; nothing derivable; per-day contributors', async () => {
    const { url } = await start();
    // demo/a: 4 contributors; demo/b: 6; demo/c: 7 (one day). demo/d: 6 contributor ids, one a day (maybe one person).
    await crowd(url, 4, () => [row({ screen: 'demo/a', count: 2 }), row({ screen: 'demo/b', count: 1 }), row({ screen: 'demo/c', type: 'dead-click', count: 1 })]);
    await crowd(url, 2, () => [row({ screen: 'demo/b', count: 1 }), row({ screen: 'demo/c', type: 'dead-click', count: 1 })]);
    await crowd(url, 1, () => [row({ screen: 'demo/c', type: 'dead-click', count: 1 }), row({ screen: 'demo/c', count: 3 })]);
    await crowd(url, 6, (i) => [row({ day: `2026-11-1${i}`, screen: 'demo/d', count: 1 })]);
    const res = await read(url, '/v1/insights/friction?pack=demo&period=2026-11');
    expect(res.status).toBe(200);
    const body = insightsResponseSchema.parse(await res.json());
    const cell = (r: string, c: string) => body.table.cells.find((x) => x.row === r && x.col === c);
    expect(cell('demo/a', 'rage-click')).toEqual({ row: 'demo/a', col: 'rage-click', value: null, suppressed: 'k' });
    expect(cell('demo/d', 'rage-click')).toMatchObject({ value: null, suppressed: 'k' });
    expect(cell('demo/b', 'rage-click')).toMatchObject({ value: 6, suppressed: null });
    // demo/c's one rage-clicker would be demo/c's total minus its dead clicks: one of them goes too.
    expect(cell('demo/c', 'rage-click')).toMatchObject({ value: null, suppressed: 'k' });
    expect([cell('demo/c', 'dead-click')!.suppressed, body.table.rowTotals.find((t) => t.key === 'demo/c')!.suppressed]).toContain('complementary');
    expect(body.table.k).toBe(5);
    expect(derivableEntries(body.table)).toEqual([]);
    // Whatever is published is from ≥ 5 contributors: demo/b's 6 rage-clickers are never alone
    // next to demo/a's suppressed cell in the rage-click column.
    const rageColumn = body.table.cells.filter((c) => c.col === 'rage-click' && c.suppressed !== null);
    expect(rageColumn.length === 0 || rageColumn.length >= 2 || body.table.colTotals.find((t) => t.key === 'rage-click')!.suppressed !== null).toBe(true);
    expect(JSON.stringify(body)).not.toMatch(/contributor/);
  });

  it('a raised K applies to every response', async () => {
    const { url } = await start({ k: 7 });
    await crowd(url, 6, () => [row({ screen: 'demo/a' }), row({ screen: 'demo/b' })]);
    await crowd(url, 1, () => [row({ screen: 'demo/b' })]);
    const body = insightsResponseSchema.parse(await (await read(url, '/v1/insights/friction?pack=demo&period=2026-11')).json());
    expect(body.table.k).toBe(7);
    // demo/a's 6 would be the total minus demo/b's 7: the cheaper of hiding demo/b (7 + 7) or the
    // totals (13 + 13) is taken.
    expect(body.table.cells.map((c) => [c.row, c.value, c.suppressed])).toEqual([
      ['demo/a', null, 'k'],
      ['demo/b', null, 'complementary'],
    ]);
    expect(body.table.total).toEqual({ value: 13, suppressed: null });
    expect(derivableEntries(body.table)).toEqual([]);
  });

  it('CSV: RFC 4180, UTF-8 with BOM, CRLF, ISO dates, "suppressed" for hidden values', async () => {
    const { url } = await start();
    await crowd(url, 6, () => [row({ screen: 'demo/a', count: 2 })]);
    await crowd(url, 2, () => [row({ screen: 'demo/b', count: 9 })]);
    await crowd(url, 5, () => [row({ screen: 'demo/c', count: 1 })]);
    const res = await read(url, '/v1/insights/friction?pack=demo&period=2026-11&format=csv');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="crm-coach-friction-demo-2026-11.csv"');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes.slice(3));
    // demo/b (2 people) is hidden; demo/c's 5 would give it away (total − a − c), so demo/c goes
    // too: the cheapest way to hide it.
    expect(text).toBe(
      [
        'from,to,screen,rage-click,total',
        '2026-11-01,2026-11-30,demo/a,12,12',
        `2026-11-01,2026-11-30,demo/b,${SUPPRESSED_CSV},${SUPPRESSED_CSV}`,
        `2026-11-01,2026-11-30,demo/c,${SUPPRESSED_CSV},${SUPPRESSED_CSV}`,
        '2026-11-01,2026-11-30,total,35,35',
        '',
      ].join('\r\n'),
    );
  });

  it('periods: only whole periods of the configured granularity; GET /v1/insights says which', async () => {
    const { url } = await start({ period: 'week' });
    const info = insightsInfoSchema.parse(await (await read(url, '/v1/insights')).json());
    expect(info).toEqual({ format: 1, k: 5, granularity: 'week', insights: ['friction', 'targets', 'walkthroughs', 'tips', 'feedback', 'health', 'stages', 'comments'] });
    const month = await read(url, '/v1/insights/friction?pack=demo&period=2026-11');
    expect(month.status).toBe(400);
    expect((await month.json()).message).toMatch(/whole weeks only/);
    await crowd(url, 5, () => [row({ day: '2026-11-23' })]);
    await crowd(url, 5, () => [row({ day: '2026-11-30' })]);
    const week = insightsResponseSchema.parse(await (await read(url, '/v1/insights/friction?pack=demo&period=2026-W48')).json());
    expect(week).toMatchObject({ period: '2026-W48', granularity: 'week', from: '2026-11-23', to: '2026-11-29' });
    expect(week.table.total).toEqual({ value: 5, suppressed: null });
  });

  it('CSV fields: quoting and defused spreadsheet formulas', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('He said "hi"')).toBe('"He said ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField('+1')).toBe("'+1");
    expect(csvField(-3)).toBe('-3');
  });

  it('walkthrough funnels, tip outcomes, feedback counts, and comments only where ≥ k gave feedback', async () => {
    const { url } = await start();
    const step = (s: string) => `demo/contacts.walkthrough#${s}`;
    const tip = 'demo/contacts.tooltips#save';
    await crowd(
      url,
      6,
      (i) => [
        row({ type: 'walkthrough-started', rule: step('one'), count: 1 }),
        row({ type: 'walkthrough-step', rule: step('one'), count: 1 }),
        row({ type: i < 5 ? 'walkthrough-completed' : 'walkthrough-abandoned', rule: step('two'), count: 1 }),
        row({ type: 'tip-shown', rule: tip, count: 4 }),
        row({ type: 'tip-dismissed', rule: tip, count: 1 }),
        row({ type: 'feedback', rule: tip, detail: 'confusing', count: 1 }),
      ],
      (i) => (i === 0 ? { feedback: [{ day: '2026-11-02', pack: 'demo', rule: tip, kind: 'confusing', text: 'Where is "save", really?\nCall 912 34 567' }] } : {}),
    );
    // Feedback on a rule from only two people: counted but the comment is not shown.
    await crowd(url, 2, () => [row({ type: 'feedback', rule: 'demo/deals.tooltips#stage', detail: 'wrong', count: 1 })], () => ({
      feedback: [{ day: '2026-11-02', pack: 'demo', rule: 'demo/deals.tooltips#stage', kind: 'wrong', text: 'I am the only one' }],
    }));
    const get = async (kind: string) => insightsResponseSchema.parse(await (await read(url, `/v1/insights/${kind}?pack=demo&period=2026-11`)).json());
    const funnel = await get('walkthroughs');
    expect(funnel.rowDimension).toBe('step');
    expect(funnel.table.cells.find((c) => c.row === step('one') && c.col === 'walkthrough-started')).toMatchObject({ value: 6, suppressed: null });
    // One person abandoned at step two: hidden, and so are the completions (6 started − 5 = 1).
    expect(funnel.table.cells.find((c) => c.row === step('two') && c.col === 'walkthrough-abandoned')).toMatchObject({ value: null, suppressed: 'k' });
    expect(funnel.table.cells.find((c) => c.row === step('two') && c.col === 'walkthrough-completed')).toMatchObject({ value: null, suppressed: 'complementary' });
    expect(derivableEntries(funnel.table)).toEqual([]);
    const tips = await get('tips');
    expect(tips.table.cells).toEqual([
      { row: tip, col: 'tip-dismissed', value: 6, suppressed: null },
      { row: tip, col: 'tip-shown', value: 24, suppressed: null },
    ]);
    const feedback = await get('feedback');
    expect(feedback.colDimension).toBe('kind');
    expect(feedback.table.cells.find((c) => c.row === tip)).toMatchObject({ col: 'confusing', value: 6 });
    expect(feedback.table.cells.find((c) => c.row === 'demo/deals.tooltips#stage')).toMatchObject({ value: null });
    const health = await get('health');
    expect(health.table.cells).toEqual([]);
    const comments = commentsResponseSchema.parse(await (await read(url, '/v1/insights/comments?pack=demo&period=2026-11')).json());
    expect(comments.comments).toEqual([{ rule: tip, kind: 'confusing', text: 'Where is "save", really?\nCall [removed]' }]);
    const csv = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await (await read(url, '/v1/insights/comments?pack=demo&period=2026-11&format=csv')).arrayBuffer());
    expect(csv).toBe(`\uFEFFfrom,to,rule,kind,text\r\n2026-11-01,2026-11-30,${tip},confusing,"Where is ""save"", really?\nCall [removed]"\r\n`);
  });

  it('invalid queries: 400 with paths; 404; 405', async () => {
    const { url } = await start();
    const bad = await read(url, '/v1/insights/friction?pack=demo&period=2026-13');
    expect(bad.status).toBe(400);
    expect((await bad.json()).issues.map((i: { path: string }) => i.path)).toEqual(['period']);
    expect((await read(url, '/v1/insights/friction?pack=demo')).status).toBe(400);
    expect((await read(url, '/v1/insights/friction?pack=demo&period=2026-11&user=ola')).status).toBe(400);
    expect((await read(url, '/v1/insights/tips?pack=demo&period=2026-11&by=day')).status).toBe(400);
    expect((await read(url, '/v1/insights/people?pack=demo&period=2026-11')).status).toBe(404);
    expect((await fetch(`${url}/v1/batches`)).status).toBe(405);
  });

  it('logs one JSON line per request: method, path, status, ms, token hash prefix; never payloads, queries or tokens', async () => {
    const { url, logs } = await start();
    const marker = 'zzmarkerzz';
    await upload(url, batch([row({ screen: `demo/${marker}` })], { feedback: [{ day: '2026-11-02', pack: 'demo', rule: 'demo/a.tooltips#b', kind: 'wrong', text: marker }] }));
    await read(url, `/v1/insights/friction?pack=${marker}&period=2026-11`);
    await upload(url, '{');
    await fetch(`${url}/v1/${marker}`);
    expect(logs).toHaveLength(4);
    expect(logs[3]).toMatchObject({ path: '(other)', status: 404, token: null });
    expect(logs[0]).toEqual({ t: expect.any(String), method: 'POST', path: '/v1/batches', status: 201, ms: expect.any(Number), token: sha256(ORG).slice(0, 8) });
    expect(logs[1]).toMatchObject({ method: 'GET', path: '/v1/insights/friction', status: 200, token: sha256(MANAGER).slice(0, 8) });
    const all = JSON.stringify(logs);
    for (const forbidden of [marker, ORG, MANAGER, sha256(ORG)]) expect(all).not.toContain(forbidden);
  });

  it('CORS: only configured origins, with a preflight', async () => {
    const origin = 'chrome-extension://abcdefghijklmnopabcdefghijklmnop';
    const { url } = await start({ corsOrigins: [origin] });
    const pre = await fetch(`${url}/v1/batches`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' } });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe(origin);
    expect(pre.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
    const other = await fetch(`${url}/v1/batches`, { method: 'OPTIONS', headers: { origin: 'https://evil.example' } });
    expect(other.status).toBe(403);
    expect(other.headers.get('access-control-allow-origin')).toBe(null);
  });
});

describe('collector configuration', () => {
  const base = { ORG_TOKENS: sha256('a-token-0000000000'), MANAGER_TOKENS: sha256('m-token-0000000000') };
  const problems = (env: NodeJS.ProcessEnv) => {
    try {
      configFromEnv(env);
      return [];
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as ConfigError).problems;
    }
  };

  it('defaults', () => {
    const c = configFromEnv(base);
    expect(c).toMatchObject({ port: 8787, host: '127.0.0.1', storage: 'sqlite', k: 5, period: 'month', maxBodyBytes: 524288, rateLimit: 600 });
    expect(configFromEnv({ ...base, PERIOD: 'week' }).period).toBe('week');
    expect(problems({ ...base, PERIOD: 'year' })[0]).toMatch(/PERIOD/);
  });

  it('k can only be raised', () => {
    expect(configFromEnv({ ...base, K: '8' }).k).toBe(8);
    expect(problems({ ...base, K: '4' })[0]).toMatch(/K must be an integer ≥ 5/);
    expect(problems({ ...base, K: 'five' })).toHaveLength(1);
  });

  it('tokens are configured as SHA-256 hashes (list or file), never in plain text, one role each', () => {
    expect(problems({ ...base, ORG_TOKENS: 'my-secret-token' })[0]).toMatch(/SHA-256 hashes/);
    expect(problems({ MANAGER_TOKENS: base.MANAGER_TOKENS })[0]).toMatch(/ORG_TOKENS/);
    expect(problems({ ...base, MANAGER_TOKENS: base.ORG_TOKENS })[0]).toMatch(/both an org and a manager token/);
    const dir = mkdtempSync(join(tmpdir(), 'crm-coach-tokens-'));
    try {
      const file = join(dir, 'org-tokens');
      writeFileSync(file, `# sales team\n${sha256('t1-000000000000')}  -\n\n${sha256('t2-000000000000').toUpperCase()}\n`);
      const c = configFromEnv({ ORG_TOKENS_FILE: file, ORG_TOKENS: sha256('t3-000000000000') });
      expect([...c.orgTokenHashes].sort()).toEqual([sha256('t1-000000000000'), sha256('t2-000000000000'), sha256('t3-000000000000')].sort());
      expect(problems({ ORG_TOKENS_FILE: join(dir, 'missing') })[0]).toMatch(/cannot read/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('postgres needs DATABASE_URL; bad values are all reported at once', () => {
    expect(problems({ ...base, STORAGE: 'postgres' })).toEqual(['STORAGE=postgres needs DATABASE_URL']);
    expect(problems({ ...base, STORAGE: 'mongo', PORT: '99999', MAX_BODY_BYTES: '10', RATE_LIMIT: '0' })).toHaveLength(4);
  });
});

describe.skipIf(DATABASE_URL === undefined)(
  DATABASE_URL === undefined ? `collector HTTP on PostgreSQL — ${PG_SKIP_REASON}` : 'collector HTTP on PostgreSQL: two instances, one database',
  () => {
    it('concurrent duplicates spread over two instances are stored once; insights read the shared data', async () => {
      const pg = await postgresStorage();
      const twin = await pg.twin();
      cleanups.push(() => pg.dispose());
      const a = await start({ storage: 'postgres' }, pg.storage);
      const b = await start({ storage: 'postgres' }, twin);
      const one = batch([row({ count: 4 })]);
      const statuses = await Promise.all(Array.from({ length: 30 }, (_, i) => upload(i % 2 ? a.url : b.url, one).then((r) => r.status)));
      expect(statuses.filter((s) => s === 201)).toHaveLength(1);
      expect(statuses.filter((s) => s === 200)).toHaveLength(29);
      for (let i = 0; i < 5; i += 1) expect((await upload(i % 2 ? a.url : b.url, batch([row({ count: 1 })]))).status).toBe(201);
      const body = insightsResponseSchema.parse(await (await read(b.url, '/v1/insights/friction?pack=demo&period=2026-11')).json());
      expect(body.table.cells).toEqual([{ row: 'demo/contacts', col: 'rage-click', value: 9, suppressed: null }]);
      expect(await pg.storage.stats()).toMatchObject({ batches: 6, signals: 9 });
    });
  },
);
