import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MIN_K,
  dailyDistinct,
  dayContributor,
  derivableEntries,
  publish,
  suppress,
  type CellInput,
  type SuppressedTable,
} from '../../../lib/privacy/suppression';

// ------------------------------------------------------------------ an independent solver
// Unknowns: the suppressed entries. Relations: each row's cells sum to its total, each column's
// to its total, row totals and column totals to the grand total. A suppressed entry is derivable
// exactly iff its unit vector lies in the row space of the relations restricted to the unknowns
// (Gaussian elimination over a large prime field; the relations are 0/±1 network rows).
const P = (1n << 61n) - 1n;
const mod = (a: bigint) => ((a % P) + P) % P;
function inverse(a: bigint): bigint {
  let [r0, r1, s0, s1] = [mod(a), P, 1n, 0n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [s0, s1] = [s1, s0 - q * s1];
  }
  return mod(s0);
}

function derivableBySolving(t: SuppressedTable): string[] {
  const unknown = new Map<string, number>();
  const label = (kind: string, a: string, b = '') => `${kind}:${a}:${b}`;
  t.cells.forEach((c) => c.suppressed && unknown.set(label('cell', c.row, c.col), unknown.size));
  t.rowTotals.forEach((r) => r.suppressed && unknown.set(label('row', r.key), unknown.size));
  t.colTotals.forEach((c) => c.suppressed && unknown.set(label('col', c.key), unknown.size));
  if (t.total.suppressed) unknown.set(label('total', ''), unknown.size);
  const width = unknown.size;
  if (width === 0) return [];
  const equations: bigint[][] = [];
  const equation = (terms: [string, bigint][]) => {
    const row = new Array<bigint>(width).fill(0n);
    for (const [name, coef] of terms) {
      const i = unknown.get(name);
      if (i !== undefined) row[i] = mod(row[i]! + coef);
    }
    equations.push(row);
  };
  for (const r of t.rows) equation([...t.cells.filter((c) => c.row === r).map((c): [string, bigint] => [label('cell', c.row, c.col), 1n]), [label('row', r), -1n]]);
  for (const c of t.cols) equation([...t.cells.filter((x) => x.col === c).map((x): [string, bigint] => [label('cell', x.row, x.col), 1n]), [label('col', c), -1n]]);
  equation([...t.rows.map((r): [string, bigint] => [label('row', r), 1n]), [label('total', ''), -1n]]);
  equation([...t.cols.map((c): [string, bigint] => [label('col', c), 1n]), [label('total', ''), -1n]]);
  // Reduced row echelon form.
  let lead = 0;
  const pivots: number[] = [];
  for (let col = 0; col < width && lead < equations.length; col += 1) {
    const at = equations.findIndex((e, i) => i >= lead && e[col] !== 0n);
    if (at < 0) continue;
    [equations[lead], equations[at]] = [equations[at]!, equations[lead]!];
    const inv = inverse(equations[lead]![col]!);
    equations[lead] = equations[lead]!.map((v) => mod(v * inv));
    for (let i = 0; i < equations.length; i += 1) {
      if (i === lead || equations[i]![col] === 0n) continue;
      const f = equations[i]![col]!;
      equations[i] = equations[i]!.map((v, j) => mod(v - f * equations[lead]![j]!));
    }
    pivots.push(col);
    lead += 1;
  }
  const names = [...unknown.keys()];
  return pivots
    .map((col, i) => (equations[i]!.every((v, j) => (j === col ? v === 1n : v === 0n)) ? names[col]! : undefined))
    .filter((x): x is string => x !== undefined);
}

// ------------------------------------------------------------------ random tables
const ROWS = ['s1', 's2', 's3', 's4', 's5', 's6', 's7'];
const COLS = ['a', 'b', 'c', 'd', 'e'];
const PEOPLE = Array.from({ length: 14 }, (_, i) => `p${i}`);

const tableArb = fc
  .record({
    rows: fc.integer({ min: 1, max: ROWS.length }),
    cols: fc.integer({ min: 1, max: COLS.length }),
    k: fc.integer({ min: MIN_K, max: 9 }),
  })
  .chain(({ rows, cols, k }) =>
    fc.record({
      k: fc.constant(k),
      cells: fc.array(
        fc.record({
          row: fc.constantFrom(...ROWS.slice(0, rows)),
          col: fc.constantFrom(...COLS.slice(0, cols)),
          value: fc.integer({ min: 0, max: 60 }),
          // Skewed towards small groups so that every path of the algorithm is exercised.
          contributors: fc.uniqueArray(fc.constantFrom(...PEOPLE), { minLength: 1, maxLength: 11 }),
        }),
        { minLength: 1, maxLength: rows * cols },
      ),
    }),
  );

const asSets = (cells: { row: string; col: string; value: number; contributors: string[] }[]): CellInput[] =>
  cells.map((c) => ({ ...c, contributors: new Set(c.contributors) }));

function union(cells: { contributors: string[] }[]): number {
  return new Set(cells.flatMap((c) => c.contributors)).size;
}

function checkAll(t: SuppressedTable, cells: { row: string; col: string; value: number; contributors: string[] }[], k: number) {
  // (a) nothing published from fewer than k contributors (recounted here, from the sets).
  for (const c of t.cells.filter((x) => x.suppressed === null)) {
    expect(union(cells.filter((x) => x.row === c.row && x.col === c.col))).toBeGreaterThanOrEqual(k);
  }
  for (const r of t.rowTotals.filter((x) => x.suppressed === null)) expect(union(cells.filter((x) => x.row === r.key))).toBeGreaterThanOrEqual(k);
  for (const c of t.colTotals.filter((x) => x.suppressed === null)) expect(union(cells.filter((x) => x.col === c.key))).toBeGreaterThanOrEqual(k);
  if (t.total.suppressed === null) expect(union(cells)).toBeGreaterThanOrEqual(k);
  // Honest values: published numbers are the true sums.
  for (const c of t.cells) {
    expect(c.value).toBe(cells.filter((x) => x.row === c.row && x.col === c.col).reduce((a, x) => a + x.value, 0));
  }
  expect(t.total.value).toBe(cells.reduce((a, x) => a + x.value, 0));
  // (b) the brief's criterion: every line with a published total has 0 or ≥ 2 suppressed cells;
  // a line whose total is suppressed has at least one suppressed cell; same one level up.
  for (const r of t.rowTotals) {
    const n = t.cells.filter((c) => c.row === r.key && c.suppressed !== null).length;
    if (r.suppressed === null) expect(n === 0 || n >= 2).toBe(true);
    else expect(n).toBeGreaterThanOrEqual(1);
  }
  for (const col of t.colTotals) {
    const n = t.cells.filter((c) => c.col === col.key && c.suppressed !== null).length;
    if (col.suppressed === null) expect(n === 0 || n >= 2).toBe(true);
    else expect(n).toBeGreaterThanOrEqual(1);
  }
  if (t.total.suppressed === null) {
    expect(t.rowTotals.filter((r) => r.suppressed !== null).length).not.toBe(1);
    expect(t.colTotals.filter((r) => r.suppressed !== null).length).not.toBe(1);
  }
  // (b) the real thing: solving the published relations determines no suppressed entry.
  expect(derivableBySolving(t)).toEqual([]);
  expect(derivableEntries(t)).toEqual([]);
  expect(derivableEntries(publish(t))).toEqual([]);
}

describe('k-anonymity with complementary suppression (lib/privacy/suppression.ts)', () => {
  it('rejects k below 5, and non-integers', () => {
    expect(() => suppress({ cells: [] }, { k: 4 })).toThrow(RangeError);
    expect(() => suppress({ cells: [] }, { k: 5.5 })).toThrow(RangeError);
    expect(() => suppress({ cells: [] }, { k: 0 })).toThrow(RangeError);
    expect(suppress({ cells: [] }, { k: 7 }).k).toBe(7);
    expect(suppress({ cells: [] }).k).toBe(5);
  });

  it('suppresses a small cell and, in its row and column, a second one (worked example)', () => {
    const people = (n: number, from = 0) => new Set(Array.from({ length: n }, (_, i) => `p${from + i}`));
    const t = suppress({
      cells: [
        { row: 'x', col: 'a', value: 3, contributors: people(2) },
        { row: 'x', col: 'b', value: 40, contributors: people(9, 2) },
        { row: 'x', col: 'c', value: 20, contributors: people(8, 2) },
        { row: 'y', col: 'a', value: 30, contributors: people(7, 20) },
        { row: 'y', col: 'b', value: 50, contributors: people(9, 20) },
        { row: 'y', col: 'c', value: 25, contributors: people(9, 20) },
      ],
    });
    const state = Object.fromEntries(t.cells.map((c) => [`${c.row}${c.col}`, c.suppressed]));
    expect(state).toEqual({ xa: 'k', xb: null, xc: 'complementary', ya: 'complementary', yb: null, yc: 'complementary' });
    expect(derivableBySolving(t)).toEqual([]);
    const published = publish(t);
    expect(published.cells.find((c) => c.row === 'x' && c.col === 'a')).toEqual({ row: 'x', col: 'a', value: null, suppressed: 'k' });
    expect(JSON.stringify(published)).not.toContain('contributors');
  });

  it('a lone small row total next to a published grand total takes the next-smallest with it', () => {
    const ids = (n: number, p: string) => new Set(Array.from({ length: n }, (_, i) => `${p}${i}`));
    const t = suppress({
      cells: [
        { row: 'r1', col: 'a', value: 2, contributors: ids(2, 'x') },
        { row: 'r2', col: 'a', value: 9, contributors: ids(6, 'y') },
        { row: 'r3', col: 'a', value: 12, contributors: ids(8, 'z') },
      ],
    });
    expect(t.rowTotals.map((r) => r.suppressed)).toEqual(['k', 'complementary', null]);
    expect(t.total.suppressed).toBe(null);
    expect(derivableBySolving(t)).toEqual([]);
  });

  it('0-or-≥2 per line is not enough: two cycles joined by one cell; the solver and suppress see it', () => {
    const hidden = new Set(['r1c1', 'r1c2', 'r2c1', 'r2c2', 'r3c3', 'r3c4', 'r4c3', 'r4c4', 'r1c3']);
    const keys = ['r1', 'r2', 'r3', 'r4'];
    const colKeys = ['c1', 'c2', 'c3', 'c4'];
    const cells = keys.flatMap((row) => colKeys.map((col) => ({ row, col, value: 10, contributors: 9, suppressed: hidden.has(row + col) ? ('complementary' as const) : null })));
    const table: SuppressedTable = {
      k: 5,
      rows: keys,
      cols: colKeys,
      cells,
      rowTotals: keys.map((key) => ({ key, value: 40, contributors: 30, suppressed: null })),
      colTotals: colKeys.map((key) => ({ key, value: 40, contributors: 30, suppressed: null })),
      total: { value: 160, contributors: 60, suppressed: null },
    };
    for (const key of keys) expect(cells.filter((c) => c.row === key && c.suppressed).length).toBeGreaterThanOrEqual(2);
    for (const key of colKeys) expect(cells.filter((c) => c.col === key && c.suppressed).length).toBeGreaterThanOrEqual(2);
    expect(derivableBySolving(table)).toEqual(['cell:r1:c3']);
    expect(derivableEntries(table)).toEqual(['cell r1 × c3']);
    const fixed = suppress(table);
    expect(derivableBySolving(fixed)).toEqual([]);
    expect(fixed.cells.filter((c) => c.suppressed).length).toBeGreaterThan(hidden.size);
  });

  it('(a) (b) over random tables with contributor sets and random k', () => {
    fc.assert(
      fc.property(tableArb, ({ cells, k }) => {
        checkAll(suppress({ cells: asSets(cells) }, { k }), cells, k);
      }),
      { numRuns: 400 },
    );
  });

  it('(a) (b) when cells carry counts and the totals come from the database', () => {
    fc.assert(
      fc.property(tableArb, ({ cells, k }) => {
        const rows = [...new Set(cells.map((c) => c.row))];
        const cols = [...new Set(cells.map((c) => c.col))];
        const t = suppress(
          {
            cells: cells.map((c) => ({ ...c, contributors: c.contributors.length })),
            rowTotals: rows.map((key) => ({ key, contributors: union(cells.filter((c) => c.row === key)) })),
            colTotals: cols.map((key) => ({ key, contributors: union(cells.filter((c) => c.col === key)) })),
            total: { contributors: union(cells) },
          },
          { k },
        );
        // Duplicate (row, col) input cells are merged by summing counts: recount with the lower bound.
        const merged = new Map<string, typeof cells>();
        for (const c of cells) merged.set(`${c.row}|${c.col}`, [...(merged.get(`${c.row}|${c.col}`) ?? []), c]);
        for (const c of t.cells.filter((x) => x.suppressed === null)) {
          expect(Math.max(...merged.get(`${c.row}|${c.col}`)!.map((x) => x.contributors.length))).toBeGreaterThanOrEqual(k);
        }
        expect(derivableBySolving(t)).toEqual([]);
        expect(derivableEntries(t)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('(c) idempotent: suppressing a suppressed table changes nothing; deterministic', () => {
    fc.assert(
      fc.property(tableArb, ({ cells, k }) => {
        const once = suppress({ cells: asSets(cells) }, { k });
        expect(suppress(once, { k })).toEqual(once);
        expect(suppress({ cells: asSets(cells) }, { k })).toEqual(once);
        // Input order does not matter.
        expect(suppress({ cells: asSets([...cells].reverse()) }, { k })).toEqual(once);
      }),
      { numRuns: 300 },
    );
  });

  it('a table where everyone is below k is entirely suppressed and still not derivable', () => {
    const t = suppress({ cells: [{ row: 'r', col: 'c', value: 4, contributors: 3 }] });
    expect(t.cells[0]!.suppressed).toBe('k');
    expect(t.total.suppressed).toBe('k');
    expect(derivableBySolving(t)).toEqual([]);
  });

  it('dailyDistinct counts the busiest day: ids of different days are not people', () => {
    const one = new Set(['2026-11-01', '2026-11-02', '2026-11-03', '2026-11-04', '2026-11-05', '2026-11-06'].map((d) => dayContributor(d, `c-${d}`)));
    expect(dailyDistinct(one)).toBe(1);
    const five = new Set(['a', 'b', 'c', 'd', 'e'].map((c) => dayContributor('2026-11-01', c)));
    expect(dailyDistinct(five)).toBe(5);
    // Six contributor-days of one person never pass k = 5.
    const t = suppress({ cells: [{ row: 'r', col: 'c', value: 6, contributors: one }] }, { measure: dailyDistinct });
    expect(t.cells[0]!.suppressed).toBe('k');
  });

  it('(a) (b) (c) with the per-day measure', () => {
    const days = ['2026-11-01', '2026-11-02', '2026-11-03'];
    fc.assert(
      fc.property(
        tableArb.chain((t) =>
          fc.record({ t: fc.constant(t), days: fc.array(fc.constantFrom(...days), { minLength: t.cells.length, maxLength: t.cells.length }) }),
        ),
        ({ t: { cells, k }, days: dayOf }) => {
          const input = cells.map((c, i) => ({ ...c, contributors: new Set(c.contributors.map((p) => dayContributor(dayOf[i]!, p))) }));
          const out = suppress({ cells: input }, { k, measure: dailyDistinct });
          for (const c of out.cells.filter((x) => x.suppressed === null)) {
            const keys = new Set(input.filter((x) => x.row === c.row && x.col === c.col).flatMap((x) => [...x.contributors]));
            expect(dailyDistinct(keys)).toBeGreaterThanOrEqual(k);
          }
          expect(derivableBySolving(out)).toEqual([]);
          expect(suppress(out, { k, measure: dailyDistinct })).toEqual(out);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('stays fast on a realistic table (200 screens × 11 types)', () => {
    const cells: CellInput[] = [];
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let r = 0; r < 200; r += 1) for (let c = 0; c < 11; c += 1) if (rnd() < 0.6) cells.push({ row: `screen-${r}`, col: `t${c}`, value: Math.floor(rnd() * 90), contributors: Math.floor(rnd() * 14) });
    const started = performance.now();
    const t = suppress({ cells });
    expect(performance.now() - started).toBeLessThan(2000);
    expect(derivableEntries(t)).toEqual([]);
  });
});
