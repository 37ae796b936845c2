#!/usr/bin/env node
// Load test of the collector on loopback (autocannon): 1,000 simulated installs uploading one
// daily batch each for a simulated month (30 days, 30,000 batches, realistic row counts), for
// SQLite and, when DATABASE_URL is set, PostgreSQL. The collector runs as its own process
// (node collector/start.mjs), exactly as deployed. Then every batch is replayed once more
// (all must come back duplicate: true, nothing may change), and the month's friction table is
// read. Prints requests/s, latency (p50/p99), DB size, insight latency; verifies nothing lost,
// nothing duplicated. Last line: BENCH-COLLECTOR {...}.
//
//   node collector/bench.mjs                                  SQLite only
//   bash scripts/with-postgres.sh node collector/bench.mjs    SQLite and PostgreSQL
//
// Environment: BENCH_INSTALLS (1000), BENCH_DAYS (30), BENCH_CONNECTIONS (32).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { createJiti } from 'jiti';

// node:sqlite is flagged experimental in Node 22: its warning is noise here.
const emitWarning = process.emitWarning;
process.emitWarning = function (warning, ...rest) {
  if (String(warning).includes('SQLite')) return;
  return emitWarning.call(process, warning, ...rest);
};

const HERE = dirname(fileURLToPath(import.meta.url));
const jiti = createJiti(import.meta.url);
const { uploadBatchSchema } = await jiti.import('../lib/sync/payload.ts');
const { SqliteStorage } = await jiti.import('./sqlite.ts');
const { PostgresStorage } = await jiti.import('./postgres.ts');
const { rollup } = await jiti.import('./storage.ts');

const INSTALLS = Number(process.env.BENCH_INSTALLS ?? 1000);
const DAYS = Number(process.env.BENCH_DAYS ?? 30);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const TOTAL = INSTALLS * DAYS;
const ORG_TOKEN = 'bench-org-token-0000000000000000';
const MANAGER_TOKEN = 'bench-manager-token-000000000000';
const sha256 = (s) => createHash('sha256').update(s).digest('hex');

// ------------------------------------------------------------------ deterministic batches
function rng(seed) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}
const SCREENS = Array.from({ length: 40 }, (_, i) => `bench/s${String(i).padStart(2, '0')}`);
const BUCKETS = ['under-30s', '30s-2m', '2m-5m', '5m-15m', 'over-15m'];
const FEEDBACK = ['helpful', 'not-helpful', 'wrong', 'confusing'];
const dayOf = (d) => new Date(Date.UTC(2026, 9, 1) + d * 86_400_000).toISOString().slice(0, 10);
const id = (kind, i) => createHash('sha256').update(`${kind}:${i}`).digest('base64url').slice(0, 22);

/** Batch i: install i % INSTALLS on day floor(i / INSTALLS) (each day, every install uploads). */
function batchFor(i) {
  const install = i % INSTALLS;
  const d = Math.floor(i / INSTALLS);
  const day = dayOf(d);
  const r = rng(install * 7919 + d * 104729 + 1);
  // Each install works mostly on its own handful of screens (a role), a few others now and then.
  const home = install % SCREENS.length;
  const visited = new Set();
  const n = 6 + Math.floor(r() * 14);
  while (visited.size < n) visited.add(SCREENS[r() < 0.7 ? (home + Math.floor(r() * 6)) % SCREENS.length : Math.floor(r() * SCREENS.length)]);
  const base = { day, crm: 'bench', pack: 'bench', packVersion: '1.4.2' };
  const rows = [];
  for (const screen of visited) {
    const rule = (k) => `${screen}.tooltips#t${k}`;
    const tips = Math.floor(r() * 3);
    for (let k = 0; k < tips; k += 1) {
      rows.push({ ...base, screen, rule: rule(k), type: 'tip-shown', count: 1 + Math.floor(r() * 4) });
      if (r() < 0.3) rows.push({ ...base, screen, rule: rule(k), type: 'tip-dismissed', count: 1 });
      if (r() < 0.03) rows.push({ ...base, screen, rule: rule(k), type: 'feedback', detail: FEEDBACK[Math.floor(r() * 4)], count: 1 });
    }
    if (r() < 0.25) rows.push({ ...base, screen, type: 'rage-click', count: 1 + Math.floor(r() * 3) });
    if (r() < 0.35) rows.push({ ...base, screen, type: 'dead-click', count: 1 + Math.floor(r() * 5) });
    if (r() < 0.15) rows.push({ ...base, screen, type: 'validation-loop', count: 1 });
    if (r() < 0.1) rows.push({ ...base, screen, type: 'error-banner', count: 1 + Math.floor(r() * 2) });
    if (r() < 0.1) rows.push({ ...base, screen, type: 'back-and-forth', peer: SCREENS[(SCREENS.indexOf(screen) + 1) % SCREENS.length], count: 1 });
    if (r() < 0.3) {
      const durations = {};
      let count = 0;
      for (const b of BUCKETS) {
        if (r() < 0.35) {
          durations[b] = 1 + Math.floor(r() * 3);
          count += durations[b];
        }
      }
      if (count > 0) rows.push({ ...base, screen, type: 'form-dwell', count, durations });
    }
    if (r() < 0.08) {
      const step = (s) => `${screen}.walkthrough#w1#step-${s}`;
      rows.push({ ...base, screen, rule: step(1), type: 'walkthrough-started', count: 1 });
      rows.push({ ...base, screen, rule: step(1), type: 'walkthrough-step', count: 1 });
      rows.push({ ...base, screen, rule: step(2), type: r() < 0.7 ? 'walkthrough-completed' : 'walkthrough-abandoned', count: 1 });
    }
  }
  if (r() < 0.05) rows.push({ ...base, screen: SCREENS[home], type: 'help-opened', count: 1 });
  const batch = { format: 1, batchId: id('batch', i), contributor: id('contributor', i), extensionVersion: '0.1.0', rows };
  if (r() < 0.01) {
    batch.feedback = [{ day, pack: 'bench', rule: `${SCREENS[home]}.tooltips#t0`, kind: 'confusing', text: 'The stage field is hard to find, and "next" does nothing.' }];
  }
  return batch;
}

/** What the month should leave in storage. */
function expected() {
  let rows = 0;
  const daily = new Set();
  let signals = 0;
  let comments = 0;
  let bytes = 0;
  for (let i = 0; i < TOTAL; i += 1) {
    const b = batchFor(i);
    rows += b.rows.length;
    for (const row of b.rows) signals += row.count;
    for (const e of rollup(b)) daily.add(`${e.pack}|${e.table}|${e.day}|${e.axis}|${e.row}|${e.col}`);
    comments += b.feedback?.length ?? 0;
    if (i < 200) {
      const parsed = uploadBatchSchema.safeParse(b);
      if (!parsed.success) throw new Error(`bench batch ${i} is invalid: ${JSON.stringify(parsed.error.issues.slice(0, 3))}`);
      bytes += JSON.stringify(b).length;
    }
  }
  return { batches: TOTAL, uploadedRows: rows, dailyRows: daily.size, signals, comments, contributors: TOTAL, avgRowsPerBatch: rows / TOTAL, avgBodyBytes: Math.round(bytes / Math.min(TOTAL, 200)) };
}

// ------------------------------------------------------------------ the collector process
function startCollector(env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(HERE, 'start.mjs')], {
      env: { ...process.env, ...env, PORT: '0', HOST: '127.0.0.1', ORG_TOKENS: sha256(ORG_TOKEN), MANAGER_TOKENS: sha256(MANAGER_TOKEN), RATE_LIMIT: '10000000', K: '5' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let buffer = '';
    let url;
    let requests = 0;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      buffer += chunk;
      let nl;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (!url && line.includes('"listening"')) {
          url = JSON.parse(line).url;
          resolve({ url, child, logged: () => requests, stop: () => new Promise((done) => { child.once('exit', done); child.kill('SIGTERM'); }) });
        } else if (line.startsWith('{"t"')) requests += 1;
      }
    });
    child.once('exit', (code) => {
      if (!url) reject(new Error(`collector exited (${code}) before listening`));
    });
  });
}

async function blast(url, indices, label) {
  const statuses = new Map();
  const done = new Set();
  let next = 0;
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    pipelining: 1,
    amount: indices.length,
    timeout: 30,
    requests: [
      {
        method: 'POST',
        path: '/v1/batches',
        headers: { authorization: `Bearer ${ORG_TOKEN}`, 'content-type': 'application/json' },
        setupRequest: (req, context) => {
          const i = indices[next % indices.length];
          next += 1;
          context.index = i;
          return { ...req, body: JSON.stringify(batchFor(i)) };
        },
        onResponse: (status, _body, context) => {
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
          done.add(context.index);
        },
      },
    ],
  });
  // autocannon may prepare a request it never sends: upload what it did not, so that the month is complete.
  const missing = indices.filter((i) => !done.has(i));
  for (const i of missing) {
    const res = await fetch(`${url}/v1/batches`, { method: 'POST', headers: { authorization: `Bearer ${ORG_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(batchFor(i)) });
    statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    await res.arrayBuffer();
  }
  const out = {
    label,
    requests: result.requests.total,
    seconds: result.duration,
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    errors: result.errors + result.timeouts,
    statuses: Object.fromEntries([...statuses].sort()),
    caughtUp: missing.length,
  };
  return out;
}

async function timeInsight(url) {
  const times = [];
  let body;
  for (let i = 0; i < 5; i += 1) {
    const t = performance.now();
    const res = await fetch(`${url}/v1/insights/friction?pack=bench&period=2026-10`, { headers: { authorization: `Bearer ${MANAGER_TOKEN}` } });
    body = await res.json();
    times.push(performance.now() - t);
    if (res.status !== 200) throw new Error(`insights: ${res.status} ${JSON.stringify(body)}`);
  }
  const published = body.table.cells.filter((c) => c.suppressed === null).length;
  return { ms: Math.round(Math.min(...times)), cells: body.table.cells.length, published };
}

async function run(kind, want) {
  const dir = mkdtempSync(join(tmpdir(), 'crm-coach-bench-'));
  const sqlitePath = join(dir, 'collector.sqlite');
  const schema = `bench_${process.pid}`;
  const env = kind === 'sqlite' ? { STORAGE: 'sqlite', SQLITE_PATH: sqlitePath } : { STORAGE: 'postgres', PG_SCHEMA: schema };
  const collector = await startCollector(env);
  const started = performance.now();
  try {
    const all = Array.from({ length: TOTAL }, (_, i) => i);
    const month = await blast(collector.url, all, 'month');
    const afterMonth = await statsOf(kind, sqlitePath, schema);
    // Replay every batch: all must be duplicates, and nothing may change.
    const replay = await blast(collector.url, all.filter((i) => i % 10 === 0), 'replay (every 10th batch)');
    const afterReplay = await statsOf(kind, sqlitePath, schema);
    const insight = await timeInsight(collector.url);
    const problems = [];
    for (const key of ['batches', 'dailyRows', 'signals', 'comments', 'contributors']) {
      if (afterMonth[key] !== want[key]) problems.push(`${key}: stored ${afterMonth[key]}, expected ${want[key]}`);
      if (afterReplay[key] !== afterMonth[key]) problems.push(`${key} changed on replay: ${afterMonth[key]} → ${afterReplay[key]}`);
    }
    if ((month.statuses[201] ?? 0) !== TOTAL) problems.push(`month: ${month.statuses[201] ?? 0} × 201 of ${TOTAL} (${JSON.stringify(month.statuses)})`);
    if ((replay.statuses[200] ?? 0) !== replay.requests + replay.caughtUp) problems.push(`replay: not all 200 duplicate (${JSON.stringify(replay.statuses)})`);
    return {
      storage: kind,
      batches: afterMonth.batches,
      dailyRows: afterMonth.dailyRows,
      rps: month.rps,
      p50Ms: month.p50,
      p99Ms: month.p99,
      maxMs: month.max,
      seconds: Math.round(month.seconds * 10) / 10,
      replayRps: replay.rps,
      replayP99Ms: replay.p99,
      dbBytes: afterReplay.bytes,
      dbMiB: Math.round((afterReplay.bytes / 1048576) * 10) / 10,
      bytesPerBatch: Math.round(afterReplay.bytes / afterMonth.batches),
      insightMs: insight.ms,
      insightCells: insight.cells,
      insightPublished: insight.published,
      lost: Math.max(0, want.signals - afterMonth.signals),
      duplicated: Math.max(0, afterReplay.signals - want.signals),
      ok: problems.length === 0,
      problems,
      totalSeconds: Math.round((performance.now() - started) / 100) / 10,
    };
  } finally {
    await collector.stop();
    if (kind === 'postgres') {
      const s = new PostgresStorage({ connectionString: process.env.DATABASE_URL, schema });
      await s.dropSchema();
      await s.close();
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

async function statsOf(kind, sqlitePath, schema) {
  const s = kind === 'sqlite' ? new SqliteStorage({ path: sqlitePath }) : new PostgresStorage({ connectionString: process.env.DATABASE_URL, schema, poolSize: 1 });
  try {
    return await s.stats();
  } finally {
    await s.close();
  }
}

// ------------------------------------------------------------------ main
const t0 = performance.now();
const want = expected();
console.log(
  `collector bench: ${INSTALLS} installs × ${DAYS} days = ${TOTAL} batches, ${want.uploadedRows} rows ` +
    `(${want.avgRowsPerBatch.toFixed(1)} rows/batch, ~${want.avgBodyBytes} bytes/body), ${want.signals} signals, ${CONNECTIONS} connections`,
);
const kinds = ['sqlite', ...(process.env.DATABASE_URL ? ['postgres'] : [])];
if (!process.env.DATABASE_URL) console.log('PostgreSQL skipped: DATABASE_URL is not set (bash scripts/with-postgres.sh node collector/bench.mjs)');
const results = {};
for (const kind of kinds) {
  const r = await run(kind, want);
  results[kind] = r;
  console.log(
    `${kind.padEnd(8)} ${String(r.rps).padStart(6)} req/s  p50 ${r.p50Ms} ms  p99 ${r.p99Ms} ms  max ${r.maxMs} ms  ` +
      `(${r.seconds} s)  replay ${r.replayRps} req/s p99 ${r.replayP99Ms} ms  DB ${r.dbMiB} MiB (${r.bytesPerBatch} B/batch)  ` +
      `month friction table ${r.insightMs} ms (${r.insightPublished}/${r.insightCells} cells published)  ` +
      `lost ${r.lost}  duplicated ${r.duplicated}  ${r.ok ? 'OK' : 'FAILED: ' + r.problems.join('; ')}`,
  );
}
const ok = Object.values(results).every((r) => r.ok);
console.log(
  'BENCH-COLLECTOR ' +
    JSON.stringify({ installs: INSTALLS, days: DAYS, batches: TOTAL, rowsPerBatch: Number(want.avgRowsPerBatch.toFixed(1)), connections: CONNECTIONS, ok, seconds: Math.round((performance.now() - t0) / 1000), ...results }),
);
process.exitCode = ok ? 0 : 1;
