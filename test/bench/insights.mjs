// The insights figure (issue 8, "Speed"): how fast the insights page answers from a year of a busy
// team's data (rollups equivalent to 1,000,000 signals: test/bench/insights-data.mjs), in real
// Chromium with the built extension, side by side with
//   floor     a plain in-memory reduce of the same rollup rows (already in memory: no read, no
//             suppression), in an extension page of the same browser;
//   read      reading those rollup rows out of IndexedDB (getAll over the by-day index), no compute;
//   compute   our own fold (periodCubes + insightsFromCubes, lib/insights/) over those rows already
//             in memory: the part of a query that is not reading;
//   cube store the read path of the stored cubes (store periodCubes, docs/insights.md): one record per
//             (pack, period) holding that period's cube, in a THROWAWAY database; read the view's
//             periods and publish (what a cold query would cost with it);
//   raw scan  reading the equivalent 1M raw signal rows out of IndexedDB: RAW_N rows seeded in a
//             THROWAWAY database (never the real store), read with getAll in chunks of 10k, and
//             scaled linearly to 1M;
// and the page's figure itself: wall time from `insights:local` sent (from the insights page) to
// its reply, and the long tasks (> 50 ms) of the insights page's main thread while it waits.
// And the page itself, opened on a cold worker: navigation to the tables shown, and to the trend
// shown, with the long tasks of its main thread over the whole load (React + ECharts render).
// Each view is measured cold (the service worker stopped just before: what a manager who comes
// back after a coffee sees) and warm (median of 3 more).
//
// Views: tables (the last whole month without a trend: the page's first request), month (the
// last whole month, with the page's 6-month trend: its second), week (the last whole ISO
// week, 6-week trend), year (the last whole month with a 12-month trend: the whole year read).
import { ROOT, launchWithExtension } from '../../scripts/lib/browser.mjs';
import { join } from 'node:path';
import { generateYear, RAW_SIGNAL } from './insights-data.mjs';

const RAW_N = Number(process.env.BENCH_INSIGHTS_RAW ?? 200_000);
const SIGNALS = 1_000_000;
const WARM_RUNS = 3;
const SEED_CHUNK = 20_000;
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)] : null;
};
const round = (x, d = 1) => (typeof x === 'number' && Number.isFinite(x) ? Number(x.toFixed(d)) : (x ?? null));

const DAY_MS = 86_400_000;
const isoDay = (ms) => new Date(ms).toISOString().slice(0, 10);

/** The views the page asks for, relative to `today`. */
export function benchViews(today = new Date()) {
  const t = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  const lastMonth = isoDay(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), 0)).slice(0, 7);
  // The last whole ISO week: the Monday before this week's Monday.
  const monday = t - ((new Date(t).getUTCDay() + 6) % 7) * DAY_MS - 7 * DAY_MS;
  const thursday = monday + 3 * DAY_MS;
  const year = new Date(thursday).getUTCFullYear();
  const week = Math.floor((thursday - Date.UTC(year, 0, 1)) / (7 * DAY_MS)) + 1;
  return [
    // What the page asks first (the tables of the selected period), then with the trend.
    { name: 'tables', period: lastMonth, trend: 1 },
    { name: 'month', period: lastMonth, trend: 6 },
    { name: 'week', period: `${year}-W${String(week).padStart(2, '0')}`, trend: 6 },
    { name: 'year', period: lastMonth, trend: 12 },
  ];
}

async function stopWorker(cdp, extensionId) {
  const { targetInfos } = await cdp.send('Target.getTargets');
  const worker = targetInfos.find((t) => t.type === 'service_worker' && t.url.startsWith(`chrome-extension://${extensionId}/`));
  if (!worker) return false;
  await cdp.send('Target.closeTarget', { targetId: worker.targetId }).catch(() => {});
  for (let i = 0; i < 100; i += 1) {
    const { targetInfos: now } = await cdp.send('Target.getTargets');
    if (!now.some((t) => t.targetId === worker.targetId)) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return false;
}

export async function measureInsights({ extensionDir, log = () => {}, pack = 'demo' }) {
  const { createJiti } = await import('jiti');
  const jiti = createJiti(import.meta.url);
  const { rollUp } = await jiti.import(join(ROOT, 'lib/store/rollup.ts'));
  log(`--- insights: generating a year of rollups for ${SIGNALS} signals`);
  const year = generateYear({ rollUp, total: SIGNALS });
  const views = benchViews();
  const ext = await launchWithExtension({ extensionDir });
  try {
    const { context, extensionId } = ext;
    const base = `chrome-extension://${extensionId}`;
    const seed = await context.newPage();
    await seed.goto(`${base}/manifest.json`);
    // The background creates the database: ask it something first.
    for (let i = 0; ; i += 1) {
      const r = await seed.evaluate(() => chrome.runtime.sendMessage({ type: 'insights:local', pack: 'demo', period: '2026-01', trend: 1 }).catch((e) => String(e)));
      if (r?.source === 'local') break;
      if (i > 50) throw new Error(`insights bench: the background does not answer: ${JSON.stringify(r)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    log(`--- insights: seeding ${year.rows.length} rollup rows (${year.days[0]} .. ${year.days.at(-1)})`);
    await seed.evaluate(() => {
      globalThis.__open = (name, upgrade) =>
        new Promise((resolve, reject) => {
          const req = indexedDB.open(name, ...(upgrade ? [1] : []));
          if (upgrade) req.onupgradeneeded = () => upgrade(req.result);
          req.onsuccess = () => resolve(req.result);
          req.onerror = () => reject(req.error);
        });
      globalThis.__done = (tx) => new Promise((resolve, reject) => ((tx.oncomplete = resolve), (tx.onerror = () => reject(tx.error)), (tx.onabort = () => reject(tx.error))));
    });
    await seed.evaluate(async () => {
      const db = await __open('crm-coach');
      const tx = db.transaction('rollups', 'readwrite');
      tx.objectStore('rollups').clear();
      await __done(tx);
      db.close();
    });
    for (let i = 0; i < year.rows.length; i += SEED_CHUNK) {
      await seed.evaluate(async (rows) => {
        const db = await __open('crm-coach');
        const tx = db.transaction('rollups', 'readwrite');
        const store = tx.objectStore('rollups');
        for (const r of rows) store.put(r);
        await __done(tx);
        db.close();
      }, year.rows.slice(i, i + SEED_CHUNK));
    }

    // --- the page's query: the real message path, from the insights page -----------------------
    const page = await context.newPage();
    await page.goto(`${base}/insights.html`);
    // Let the page's own first query finish, so it does not overlap ours.
    await page.waitForFunction(() => !document.querySelector('[data-testid="loading"]') && document.querySelector('[data-testid="pack"]'), null, { timeout: 120_000 });
    const cdp = await context.newCDPSession(page);
    const query = (view) =>
      page.evaluate(async ({ pack, period, trend }) => {
        const long = [];
        const observer = new PerformanceObserver((list) => long.push(...list.getEntries().map((e) => e.duration)));
        observer.observe({ type: 'longtask' });
        const t0 = performance.now();
        const reply = await chrome.runtime.sendMessage({ type: 'insights:local', pack, period, trend });
        const ms = performance.now() - t0;
        // Long tasks are reported after they end: one more task turn to collect the last one.
        await new Promise((r) => setTimeout(r, 0));
        observer.disconnect();
        const cells = reply?.tables ? Object.values(reply.tables).reduce((a, t) => a + t.cells.length, 0) : 0;
        return { ms, longTasks: long.length, longestTaskMs: long.length ? Math.max(...long) : 0, cells, trend: reply?.trend?.length ?? 0, error: reply?.error };
      }, { pack, ...view });
    const page1 = {};
    for (const view of views) {
      log(`--- insights: ${view.name} (${view.period}, trend ${view.trend})`);
      const stopped = await stopWorker(cdp, extensionId);
      const cold = await query(view);
      const warm = [];
      for (let i = 0; i < WARM_RUNS; i += 1) warm.push(await query(view));
      page1[view.name] = {
        ...view,
        workerStopped: stopped,
        coldMs: round(cold.ms),
        warmMs: round(median(warm.map((w) => w.ms))),
        longTasks: [cold, ...warm].reduce((a, w) => a + w.longTasks, 0),
        longestTaskMs: round(Math.max(...[cold, ...warm].map((w) => w.longestTaskMs))),
        cells: cold.cells,
        trendPeriods: cold.trend,
        ...(cold.error && { error: cold.error }),
      };
    }

    // --- the page itself, opened on a cold worker -------------------------------------------------
    log('--- insights: the page opened on a cold worker');
    const pageLoads = [];
    for (let i = 0; i < 3; i += 1) {
      await stopWorker(cdp, extensionId);
      const t0 = Date.now();
      await page.goto(`${base}/insights.html?pack=${pack}`);
      await page.locator('[data-testid="table-friction"] tbody tr').first().waitFor({ timeout: 120_000 });
      const tables = Date.now() - t0;
      await page.locator('[data-testid="trend-loading"]').waitFor({ state: 'detached', timeout: 120_000 });
      const trend = Date.now() - t0;
      const long = await page.evaluate(
        () =>
          new Promise((resolve) => {
            new PerformanceObserver((list, observer) => {
              observer.disconnect();
              resolve(list.getEntries().map((e) => ({ at: Math.round(e.startTime), ms: Math.round(e.duration) })));
            }).observe({ type: 'longtask', buffered: true });
            setTimeout(() => resolve([]), 500);
          }),
      );
      pageLoads.push({ tablesMs: tables, trendMs: trend, longTasks: long.length, longestTaskMs: long.length ? Math.max(...long.map((t) => t.ms)) : 0, tasks: long });
    }

    // --- the floor and the plain read, in the extension page ------------------------------------
    log('--- insights: floor (in-memory reduce), compute and plain read of the same rows');
    const { build } = await import('rolldown');
    const bundle = (await build({ input: join(ROOT, 'test', 'bench', 'insights-entry.ts'), output: { format: 'iife' }, write: false, logLevel: 'silent' })).output[0].code;
    await seed.evaluate(bundle);
    const floor = await seed.evaluate(
      async ({ views, pack }) => {
        const { periodCubes, insightsFromCubes, consecutivePeriods, parsePeriod } = globalThis.__insights;
        const db = await __open('crm-coach');
        const read = (from, to) => new Promise((resolve, reject) => {
          const req = db.transaction('rollups').objectStore('rollups').index('by-day').getAll(IDBKeyRange.bound(from, to));
          req.onsuccess = () => resolve(req.result);
          req.onerror = () => reject(req.error);
        });
        const out = {};
        for (const v of views) {
          const t0 = performance.now();
          const rows = await read(v.from, v.to);
          const readMs = performance.now() - t0;
          // The floor: one pass, sum of counts by (table-ish key) for the pack, per period bucket.
          const t1 = performance.now();
          const sums = new Map();
          for (const r of rows) {
            if (r.pack !== pack) continue;
            const bucket = r.day < v.periodFrom ? 'trend' : 'period';
            const key = bucket + '|' + r.screen + '|' + (r.rule ?? '') + '|' + r.type;
            sums.set(key, (sums.get(key) ?? 0) + r.count);
          }
          const reduceMs = performance.now() - t1;
          // Our compute over the same rows in memory.
          const t2 = performance.now();
          const periods = consecutivePeriods(v.period, v.trend);
          const granularity = parsePeriod(v.period).granularity;
          const answer = insightsFromCubes(periodCubes(rows, pack, granularity, periods), { pack, period: v.period, trend: v.trend, k: 5 }, []);
          const computeMs = performance.now() - t2;
          out[v.name] = { rows: rows.length, readMs, reduceMs, computeMs, keys: sums.size, cells: Object.values(answer.tables).reduce((a, t) => a + t.cells.length, 0) };
        }
        db.close();
        return out;
      },
      { pack, views: views.map((v) => ({ ...v, ...rangeOf(v) })) },
    );

    // --- the raw scan, in a throwaway database --------------------------------------------------
    log(`--- insights: raw scan of ${RAW_N} raw signal rows (throwaway database), scaled to ${SIGNALS}`);
    const raw = await seed.evaluate(
      async ({ n, row }) => {
        const name = 'insights-bench-raw';
        indexedDB.deleteDatabase(name);
        const db = await __open(name, (d) => d.createObjectStore('signals', { keyPath: 'id', autoIncrement: true }).createIndex('by-day', 'day'));
        for (let i = 0; i < n; i += 50_000) {
          const tx = db.transaction('signals', 'readwrite');
          const store = tx.objectStore('signals');
          for (let j = i; j < Math.min(n, i + 50_000); j += 1) store.add({ ...row, uid: 'u' + j.toString(36).padStart(8, '0') });
          await __done(tx);
        }
        const get = (range) => new Promise((resolve, reject) => {
          const req = db.transaction('signals').objectStore('signals').getAll(range, 10_000);
          req.onsuccess = () => resolve(req.result);
          req.onerror = () => reject(req.error);
        });
        const t0 = performance.now();
        let count = 0;
        let last = 0;
        for (;;) {
          const chunk = await get(IDBKeyRange.lowerBound(last, true));
          if (chunk.length === 0) break;
          count += chunk.length;
          last = chunk[chunk.length - 1].id;
        }
        const ms = performance.now() - t0;
        db.close();
        indexedDB.deleteDatabase(name);
        return { rows: count, ms };
      },
      { n: RAW_N, row: RAW_SIGNAL },
    );

    // --- the stored-cube layout (store periodCubes): one record per (pack, period) cube, in a throwaway database ----------
    log('--- insights: per-period cube store, read path alone (throwaway database)');
    const cubeStore = await seed.evaluate(
      async ({ views, pack }) => {
        const { periodCubes, insightsFromCubes, consecutivePeriods, parsePeriod } = globalThis.__insights;
        // Built from the real rollups (untimed), as the store would be kept: every month and week.
        const db = await __open('crm-coach');
        const all = await new Promise((resolve, reject) => {
          const req = db.transaction('rollups').objectStore('rollups').getAll();
          req.onsuccess = () => resolve(req.result);
          req.onerror = () => reject(req.error);
        });
        db.close();
        const name = 'insights-bench-cubes';
        indexedDB.deleteDatabase(name);
        const cubes = await __open(name, (d) => d.createObjectStore('cubes', { keyPath: ['pack', 'period'] }));
        const tx = cubes.transaction('cubes', 'readwrite');
        let records = 0;
        for (const granularity of ['month', 'week']) {
          for (const [period, cube] of periodCubes(all, pack, granularity)) {
            tx.objectStore('cubes').put({ pack, period, cube });
            records += 1;
          }
        }
        await __done(tx);
        const out = {};
        for (const v of views) {
          const t0 = performance.now();
          const periods = consecutivePeriods(v.period, v.trend);
          const rtx = cubes.transaction('cubes');
          const got = await Promise.all(periods.map((p) => new Promise((resolve, reject) => {
            const req = rtx.objectStore('cubes').get([pack, p]);
            req.onsuccess = () => resolve([p, req.result?.cube]);
            req.onerror = () => reject(req.error);
          })));
          const readMs = performance.now() - t0;
          insightsFromCubes(new Map(got.filter(([, c]) => c)), { pack, period: v.period, trend: v.trend, k: 5 }, []);
          out[v.name] = { readMs, totalMs: performance.now() - t0 };
        }
        cubes.close();
        indexedDB.deleteDatabase(name);
        return { records, views: out };
      },
      { pack, views },
    );

    return {
      signals: year.signals,
      rollupRows: year.rows.length,
      days: year.days.length,
      packs: year.packs,
      pack,
      views: Object.fromEntries(
        views.map((v) => [
          v.name,
          {
            ...page1[v.name],
            rows: floor[v.name].rows,
            readMs: round(floor[v.name].readMs),
            floorMs: round(floor[v.name].reduceMs, 2),
            computeMs: round(floor[v.name].computeMs, 2),
            cubeStoreMs: round(cubeStore.views[v.name].totalMs, 2),
            cubeStoreReadMs: round(cubeStore.views[v.name].readMs, 2),
          },
        ]),
      ),
      cubeStoreRecords: cubeStore.records,
      page: {
        tablesMs: round(median(pageLoads.map((x) => x.tablesMs)), 0),
        trendMs: round(median(pageLoads.map((x) => x.trendMs)), 0),
        longTasks: Math.max(...pageLoads.map((x) => x.longTasks)),
        longestTaskMs: round(Math.max(...pageLoads.map((x) => x.longestTaskMs)), 0),
        // Every load's long tasks (start ms after navigation, duration), for diagnosis.
        loads: pageLoads,
      },
      rawScan: { rows: raw.rows, ms: round(raw.ms), scaledTo: SIGNALS, scaledMs: round((raw.ms * SIGNALS) / raw.rows, 0) },
    };
  } finally {
    await ext.close();
  }
}

/** The days a view reads: the first trend period's first day to the period's last day. */
function rangeOf(view) {
  const parse = (p) => {
    let m = /^(\d{4})-(\d{2})$/.exec(p);
    if (m) return { from: isoDay(Date.UTC(+m[1], +m[2] - 1, 1)), to: isoDay(Date.UTC(+m[1], +m[2], 0)) };
    m = /^(\d{4})-W(\d{2})$/.exec(p);
    const jan4 = Date.UTC(+m[1], 0, 4);
    const monday = jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * DAY_MS + (+m[2] - 1) * 7 * DAY_MS;
    return { from: isoDay(monday), to: isoDay(monday + 6 * DAY_MS) };
  };
  const p = parse(view.period);
  let from = p.from;
  if (view.period.includes('W')) from = isoDay(Date.parse(p.from) - (view.trend - 1) * 7 * DAY_MS);
  else {
    const d = new Date(`${p.from}T00:00:00Z`);
    from = isoDay(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - (view.trend - 1), 1));
  }
  return { from, to: p.to, periodFrom: p.from };
}

export function printInsights(r, p) {
  if (!r) return;
  if (r.error) {
    p(`Insights (issue 8): ${r.error}`);
    p();
    return;
  }
  const f = (x, d = 0) => (x === null || x === undefined ? '—' : Number(x).toFixed(d));
  p(`Insights (issue 8): a year of rollups for ${r.signals} signals (${r.rollupRows} rollup rows, ${r.days} days, packs ${r.packs.join('/')}); pack "${r.pack}"`);
  const W = [7, 18, 9, 9, 9, 6, 9, 9, 9, 9, 10];
  const row = (cells) => cells.map((c, i) => (i < 2 ? String(c).padEnd(W[i]) : String(c).padStart(W[i]))).join('');
  p(row(['view', 'period (trend)', 'rows', 'cold ms', 'warm ms', 'long', 'floor ms', 'compute', 'read ms', 'cubes ms', 'raw scan']));
  for (const v of Object.values(r.views)) {
    p(row([v.name, `${v.period} (${v.trend})`, v.rows, f(v.coldMs), f(v.warmMs), v.longTasks, f(v.floorMs, 1), f(v.computeMs), f(v.readMs), f(v.cubeStoreMs, 1), v === r.views.month ? `${f(r.rawScan.scaledMs)} ms` : '']) + (v.error ? `  error: ${v.error}` : ''));
  }
  p('  cold: insights:local sent from the insights page right after the service worker was stopped, to its reply (wall);');
  p('  warm: median of 3 more; long: long tasks (> 50 ms) of the insights page while waiting (all runs); floor: a plain');
  p('  in-memory reduce of the same rows (already read; no suppression); compute: our fold and publishing over those');
  p('  rows in memory; read: getAll of those rows (all packs) out of IndexedDB; rows: that many;');
  p(`  cubes: the stored-cube layout alone (store periodCubes), one record per (pack, period) cube (${r.cubeStoreRecords} records): read the view's periods + publish;`);
  p(`  page: insights.html opened on a cold worker (this month, its default view), median of 3: tables shown after ${f(r.page.tablesMs)} ms,`);
  p(`  trend shown after ${f(r.page.trendMs)} ms; long tasks of the page during a load: at most ${r.page.longTasks} (longest ${f(r.page.longestTaskMs)} ms: rendering)`);
  p(`  raw scan: ${r.rawScan.rows} raw signal rows read in chunks of 10k from a throwaway database in ${f(r.rawScan.ms)} ms, scaled to ${r.rawScan.scaledTo}`);
  p();
}
