/**
 * One storage suite, run against every adapter: SQLite always, PostgreSQL when DATABASE_URL is
 * set (scripts/with-postgres.sh sets it; without it the PostgreSQL suite is skipped, loudly).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStorage } from '../../../collector/main';
import { configFromEnv, sha256 } from '../../../collector/config';
import { ContributorReusedError, rollup, type Storage } from '../../../collector/storage';
import { randomId, type UploadBatch } from '../../../lib/sync/payload';
import { ADAPTERS, PG_SKIP_REASON, batch, row, type TestStorage } from './helpers';

if (!ADAPTERS.find((a) => a.name === 'postgres')!.enabled) console.warn(PG_SKIP_REASON);

for (const adapter of ADAPTERS) {
  const title = adapter.enabled ? `storage: ${adapter.name}` : `storage: ${adapter.name} — ${PG_SKIP_REASON}`;
  describe.skipIf(!adapter.enabled)(title, () => {
    let t: TestStorage;
    let storage: Storage;
    beforeEach(async () => {
      t = await adapter.make();
      storage = t.storage;
    });
    afterEach(async () => {
      await t.dispose();
    });

    it('stores a batch: rows, form-dwell split by bucket, comments scrubbed, stats', async () => {
      const b = batch(
        [
          row({ type: 'rage-click', count: 4 }),
          row({ type: 'form-dwell', rule: 'demo/contacts.tooltips#save', count: 5, durations: { 'under-30s': 2, '5m-15m': 3 } }),
          row({ type: 'back-and-forth', peer: 'demo/deals', count: 2 }),
          row({ type: 'feedback', rule: 'demo/contacts.tooltips#save', detail: 'confusing', count: 1 }),
        ],
        { feedback: [{ day: '2026-11-02', pack: 'demo', rule: 'demo/contacts.tooltips#save', kind: 'confusing', text: 'Mail me at ola@example.com, this is slow' }] },
      );
      expect(await storage.storeBatch(b, '2026-11-03')).toEqual({ duplicate: false, rows: 4 });
      const stats = await storage.stats();
      // friction: 4 cells (form-dwell split by bucket), 1 row, 4 columns, 1 total; feedback: 1 + 1 + 1 + 1;
      // targets (friction naming a rule: form-dwell): 2 + 1 + 2 + 1; stages ("(active)"): 1 + 1 + 1 + 1.
      expect(stats).toMatchObject({ batches: 1, dailyRows: 24, signals: 12, comments: 1, contributors: 1 });
      expect(stats.bytes).toBeGreaterThan(0);
      const comments = await storage.comments({ pack: 'demo', from: '2026-11-01', to: '2026-11-30' });
      expect(comments).toEqual([{ rule: 'demo/contacts.tooltips#save', kind: 'confusing', text: 'Mail me at [removed], this is slow' }]);
      expect(await storage.comments({ pack: 'other', from: '2026-11-01', to: '2026-11-30' })).toEqual([]);
      expect(await storage.comments({ pack: 'demo', from: '2026-11-03', to: '2026-11-30' })).toEqual([]);
    });

    it('a replayed batch id changes nothing and says so', async () => {
      const b = batch([row({ count: 3 })]);
      expect((await storage.storeBatch(b, '2026-11-03')).duplicate).toBe(false);
      const before = await storage.stats();
      expect(await storage.storeBatch(b, '2026-11-03')).toEqual({ duplicate: true, rows: 1 });
      // Even with other content: the id decides.
      expect((await storage.storeBatch({ ...b, rows: [row({ count: 99 })] }, '2026-11-04')).duplicate).toBe(true);
      const after = await storage.stats();
      expect({ ...after, bytes: 0 }).toEqual({ ...before, bytes: 0 });
    });

    it('concurrent uploads of one batch, on two instances sharing the data: stored exactly once', async () => {
      const other = await t.twin();
      const b = batch([row({ count: 2 }), row({ type: 'dead-click', count: 7 })]);
      const results = await Promise.all(Array.from({ length: 24 }, (_, i) => (i % 2 ? other : storage).storeBatch(structuredClone(b), '2026-11-03')));
      expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
      expect(await storage.stats()).toMatchObject({ batches: 1, dailyRows: 10, signals: 9, contributors: 1 });
    });

    it('many different batches at once, on two instances: all stored', async () => {
      const other = await t.twin();
      const batches = Array.from({ length: 40 }, (_, i) => batch([row({ count: i + 1 }), row({ type: 'error-banner', count: 1 })]));
      await Promise.all(batches.map((b, i) => (i % 2 ? other : storage).storeBatch(b, '2026-11-03')));
      expect(await storage.stats()).toMatchObject({ batches: 40, dailyRows: 10, signals: (40 * 41) / 2 + 40, contributors: 40 });
      const cube = await storage.cube({ pack: 'demo', table: 'friction', from: '2026-11-02', to: '2026-11-02' });
      expect(cube.cells.map((c) => [c.col, c.value, c.contributors]).sort()).toEqual([['error-banner', 40, 40], ['rage-click', 820, 40]]);
      expect(cube.total).toEqual([{ day: '2026-11-02', contributors: 40 }]);
    });

    it('atomic: a contributor id used again stores nothing, and the batch id stays free', async () => {
      const contributor = randomId();
      await storage.storeBatch(batch([row({ day: '2026-11-02' })], { contributor }), '2026-11-03');
      for (const day of ['2026-11-03', '2026-11-02']) {
        const before = await storage.stats();
        const again = batch([row({ day, count: 5 }), row({ day, type: 'dead-click' })], {
          contributor,
          feedback: [{ day, pack: 'demo', rule: 'demo/contacts.tooltips#save', kind: 'wrong', text: 'no' }],
        });
        await expect(storage.storeBatch(again, '2026-11-03')).rejects.toBeInstanceOf(ContributorReusedError);
        expect({ ...(await storage.stats()), bytes: 0 }).toEqual({ ...before, bytes: 0 });
        // The refused batch, retried with a fresh contributor, is stored: its id was not consumed.
        expect((await storage.storeBatch({ ...again, contributor: randomId() }, '2026-11-03')).duplicate).toBe(false);
      }
      // A batch of comments only claims no contributor.
      const notes = batch([], { contributor, feedback: [{ day: '2026-11-02', pack: 'demo', rule: 'demo/a.tooltips#b', kind: 'helpful', text: 'ok' }] });
      expect((await storage.storeBatch(notes, '2026-11-03')).duplicate).toBe(false);
    });

    it('atomic: a database error in the middle of a batch stores nothing of it', async () => {
      const before = await storage.stats();
      // Bypasses validation on purpose: the last row breaks a database constraint (count > 0).
      const bad = batch([row({ count: 1 }), row({ type: 'dead-click', count: 2 }), row({ type: 'error-banner', count: 0 })]) as UploadBatch;
      await expect(storage.storeBatch(bad, '2026-11-03')).rejects.toThrow();
      expect({ ...(await storage.stats()), bytes: 0 }).toEqual({ ...before, bytes: 0 });
      const fixed = { ...bad, rows: bad.rows.map((r) => ({ ...r, count: Math.max(1, r.count) })) };
      expect((await storage.storeBatch(fixed, '2026-11-03')).duplicate).toBe(false);
    });

    it('cube: sums, and distinct contributors per day for cells, rows, columns and the whole', async () => {
      // Day 1: three contributors on screen a (two of them also on b); day 2: one contributor.
      await storage.storeBatch(batch([row({ screen: 'demo/a', count: 2 }), row({ screen: 'demo/b', type: 'dead-click', count: 1 })]), 'x');
      await storage.storeBatch(batch([row({ screen: 'demo/a', count: 3 }), row({ screen: 'demo/b', type: 'dead-click', count: 1, rule: 'demo/b.tooltips#x' }), row({ screen: 'demo/b', type: 'dead-click', count: 4 })]), 'x');
      await storage.storeBatch(batch([row({ screen: 'demo/a', type: 'form-dwell', count: 2, durations: { '2m-5m': 2 } })]), 'x');
      await storage.storeBatch(batch([row({ day: '2026-11-03', screen: 'demo/a', count: 10 })]), 'x');
      // Outside the query: another pack, another period, another table.
      await storage.storeBatch(batch([row({ pack: 'other', screen: 'other/a', count: 50 })]), 'x');
      await storage.storeBatch(batch([row({ day: '2026-10-01', screen: 'demo/a', count: 50 })]), 'x');
      await storage.storeBatch(batch([row({ type: 'help-opened', count: 50 })]), 'x');
      const cube = await storage.cube({ pack: 'demo', table: 'friction', from: '2026-11-01', to: '2026-11-30' });
      const sort = <T>(xs: T[]) => [...xs].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
      expect(sort(cube.cells)).toEqual(
        sort([
          { row: 'demo/a', col: 'rage-click', day: '2026-11-02', value: 5, contributors: 2 },
          { row: 'demo/a', col: 'form-dwell/2m-5m', day: '2026-11-02', value: 2, contributors: 1 },
          { row: 'demo/a', col: 'rage-click', day: '2026-11-03', value: 10, contributors: 1 },
          // Two rows of one contributor in one cell count once.
          { row: 'demo/b', col: 'dead-click', day: '2026-11-02', value: 6, contributors: 2 },
        ]),
      );
      expect(sort(cube.rows)).toEqual(
        sort([
          { key: 'demo/a', day: '2026-11-02', contributors: 3 },
          { key: 'demo/a', day: '2026-11-03', contributors: 1 },
          { key: 'demo/b', day: '2026-11-02', contributors: 2 },
        ]),
      );
      expect(sort(cube.total)).toEqual(sort([{ day: '2026-11-02', contributors: 3 }, { day: '2026-11-03', contributors: 1 }]));
      expect(cube.cols.find((c) => c.key === 'rage-click' && c.day === '2026-11-02')).toEqual({ key: 'rage-click', day: '2026-11-02', contributors: 2 });
      const health = await storage.cube({ pack: 'demo', table: 'health', from: '2026-11-01', to: '2026-11-30' });
      expect(health.cells).toEqual([{ row: 'demo/contacts', col: 'help-opened', day: '2026-11-02', value: 50, contributors: 1 }]);
    });

    it('init is idempotent (and safe when instances start together)', async () => {
      await storage.storeBatch(batch([row()]), 'x');
      await Promise.all([storage.init(), storage.init(), t.twin(), t.twin()]);
      expect((await storage.stats()).batches).toBe(1);
    });
  });
}

describe('storage helpers', () => {
  it('rollup: each cell, row, column and table a batch touches, once, with its sum (targets: 1, a contributor-day affected); in key order', () => {
    const b = batch([
      row({ type: 'form-dwell', count: 3, durations: { 'under-30s': 1, 'over-15m': 2, '30s-2m': 0 } }),
      row({ type: 'rage-click', count: 2, rule: 'demo/contacts.tooltips#a' }),
      row({ type: 'rage-click', count: 5 }),
      row({ type: 'tip-shown', rule: 'demo/contacts.tooltips#a', count: 4 }),
    ]);
    const entries = rollup(b).map((e) => [e.table, e.axis, e.row, e.col, e.value].join(' '));
    expect(entries).toEqual([
      'friction cell demo/contacts form-dwell/over-15m 2',
      'friction cell demo/contacts form-dwell/under-30s 1',
      'friction cell demo/contacts rage-click 7',
      'friction col  form-dwell/over-15m 2',
      'friction col  form-dwell/under-30s 1',
      'friction col  rage-click 7',
      'friction row demo/contacts  10',
      'friction total   10',
      // Every contributor-day counts once as active in its pack (the stages table's denominator).
      'stages cell (active) contributor-days 1',
      'stages col  contributor-days 1',
      'stages row (active)  1',
      'stages total   1',
      // Friction that names a rule, by rule.
      'targets cell demo/contacts.tooltips#a rage-click 1',
      'targets col  rage-click 1',
      'targets row demo/contacts.tooltips#a  1',
      'targets total   1',
      'tips cell demo/contacts.tooltips#a tip-shown 4',
      'tips col  tip-shown 4',
      'tips row demo/contacts.tooltips#a  4',
      'tips total   4',
    ]);
    // Nothing of the batch's identity is in it.
    expect(JSON.stringify(rollup(b))).not.toContain(b.contributor);
  });

  it('openStorage opens the configured adapter', async () => {
    const config = configFromEnv({ ORG_TOKENS: sha256('org-token-000000000'), SQLITE_PATH: ':memory:' });
    const storage = await openStorage(config);
    expect(storage.kind).toBe('sqlite');
    await storage.close();
  });
});
