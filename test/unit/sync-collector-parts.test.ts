/**
 * A day too large for one request (413) is split by the extension into parts (UploadBatch.part,
 * a binary path) that share ONE contributor id: the collector holds the parts and counts the day
 * as one contributor once they cover it. Run against SQLite always and PostgreSQL under
 * `bash scripts/with-postgres.sh npx vitest run test/unit/sync-collector-parts.test.ts`.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ContributorReusedError, checkPart, type Storage } from '../../collector/storage';
import { randomId, uploadBatchSchema } from '../../lib/sync/payload';
import { ADAPTERS, PG_SKIP_REASON, batch, row, type TestStorage } from './collector/helpers';

describe('checkPart', () => {
  it('completes when the paths tile the day, refuses overlaps and other days', () => {
    expect(checkPart([], '0', 'd')).toBe('pending');
    expect(checkPart([{ path: '0', day: 'd' }], '1', 'd')).toBe('complete');
    expect(checkPart([{ path: '0', day: 'd' }, { path: '10', day: 'd' }], '11', 'd')).toBe('complete');
    expect(checkPart([{ path: '0', day: 'd' }], '10', 'd')).toBe('pending');
    expect(() => checkPart([{ path: '1', day: 'd' }], '10', 'd')).toThrow(/overlaps/);
    expect(() => checkPart([{ path: '10', day: 'd' }], '1', 'd')).toThrow(/overlaps/);
    expect(() => checkPart([{ path: '0', day: 'd' }], '0', 'd')).toThrow(/overlaps/);
    expect(() => checkPart([{ path: '0', day: 'e' }], '1', 'd')).toThrow(/another day/);
  });

  it('the schema: a part path of 0/1, at most 10 deep, only with rows', () => {
    const ok = batch([row()], { part: '0110' });
    expect(uploadBatchSchema.safeParse(ok).success).toBe(true);
    expect(uploadBatchSchema.safeParse({ ...ok, part: '2' }).success).toBe(false);
    expect(uploadBatchSchema.safeParse({ ...ok, part: '01010101010' }).success).toBe(false);
    expect(uploadBatchSchema.safeParse(batch([], { part: '0', feedback: [{ day: '2026-11-02', pack: 'demo', rule: 'demo/a.tooltips#b', kind: 'wrong', text: 'x' }] })).success).toBe(false);
  });
});

for (const adapter of ADAPTERS) {
  const title = adapter.enabled ? `split days: ${adapter.name}` : `split days: ${adapter.name} — ${PG_SKIP_REASON}`;
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

    const rows = [
      row({ screen: 'demo/a', count: 2 }),
      row({ screen: 'demo/b', count: 3 }),
      row({ screen: 'demo/a', type: 'dead-click', count: 1 }),
      row({ screen: 'demo/c', count: 4 }),
    ];

    it('parts of one day count as one contributor, exactly as the whole batch would', async () => {
      const whole = await adapter.make();
      try {
        await whole.storage.storeBatch(batch(rows), '2026-11-03');
        const contributor = randomId();
        await storage.storeBatch(batch([rows[0]!, rows[1]!], { contributor, part: '0' }), '2026-11-03');
        // Nothing counted while the day is incomplete.
        expect(await storage.stats()).toMatchObject({ batches: 1, signals: 0, contributors: 0, parts: 1 });
        await storage.storeBatch(batch([rows[2]!], { contributor, part: '10' }), '2026-11-03');
        await storage.storeBatch(batch([rows[3]!], { contributor, part: '11' }), '2026-11-03');
        expect(await storage.stats()).toMatchObject({ batches: 3, signals: 10, contributors: 1, parts: 0 });
        const q = { pack: 'demo', table: 'friction' as const, from: '2026-11-02', to: '2026-11-02' };
        const sorted = <T>(a: T[]) => a.map((x) => JSON.stringify(x)).sort();
        const [split, one] = [await storage.cube(q), await whole.storage.cube(q)];
        expect(sorted(split.cells)).toEqual(sorted(one.cells));
        expect(sorted(split.cols)).toEqual(sorted(one.cols));
        expect(split.total).toEqual([{ day: '2026-11-02', contributors: 1 }]);
      } finally {
        await whole.dispose();
      }
    });

    it('a retried part is a duplicate; overlapping parts, another day, or a whole batch on the same id: 409, nothing stored', async () => {
      const contributor = randomId();
      const first = batch([rows[0]!], { contributor, part: '0' });
      await storage.storeBatch(first, '2026-11-03');
      expect((await storage.storeBatch(first, '2026-11-03')).duplicate).toBe(true);
      const before = await storage.stats();
      await expect(storage.storeBatch(batch([rows[1]!], { contributor, part: '01' }), '2026-11-03')).rejects.toBeInstanceOf(ContributorReusedError);
      await expect(storage.storeBatch(batch([row({ day: '2026-11-05' })], { contributor, part: '1' }), '2026-11-03')).rejects.toBeInstanceOf(ContributorReusedError);
      await expect(storage.storeBatch(batch([rows[1]!], { contributor }), '2026-11-03')).rejects.toBeInstanceOf(ContributorReusedError);
      expect({ ...(await storage.stats()), bytes: 0 }).toEqual({ ...before, bytes: 0 });
      // Completed: the contributor is used up, a further part is refused.
      await storage.storeBatch(batch([rows[1]!], { contributor, part: '1' }), '2026-11-03');
      await expect(storage.storeBatch(batch([rows[2]!], { contributor, part: '1' }), '2026-11-03')).rejects.toBeInstanceOf(ContributorReusedError);
      expect(await storage.stats()).toMatchObject({ contributors: 1, parts: 0, signals: 5 });
    });

    it('the last two parts at once on two instances: the day is counted exactly once', async () => {
      const other = await t.twin();
      for (let i = 0; i < 6; i++) {
        const contributor = randomId();
        await storage.storeBatch(batch([rows[0]!], { contributor, part: '0' }), '2026-11-03');
        await Promise.all([
          storage.storeBatch(batch([rows[1]!], { contributor, part: '10' }), '2026-11-03'),
          other.storeBatch(batch([rows[2]!], { contributor, part: '11' }), '2026-11-03'),
        ]);
      }
      expect(await storage.stats()).toMatchObject({ contributors: 6, parts: 0, signals: 6 * 6 });
    });
  });
}
