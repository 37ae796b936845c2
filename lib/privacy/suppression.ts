/**
 * k-anonymity for published tables, with complementary suppression. Pure, no dependencies:
 * used by the collector on every response, and by the manager page on anything it derives.
 *
 * A table is a set of cells (row key × column key → a value, built from a set or a count of
 * distinct contributors) with its row totals, column totals and grand total.
 *
 * Which totals an attacker knows (the decision this module is built on):
 *   Totals are computed from ALL cells, suppressed ones included (honest totals), and are
 *   published with the table unless they are suppressed themselves. They are what a coarser
 *   question about the same data answers ("rage clicks on this screen in this period"), so they
 *   must be assumed known whenever they are published anywhere; publishing them here makes that
 *   explicit, and makes one response carry everything that can be combined.
 *
 * What is guaranteed (each checked by the property tests in test/unit/collector/suppression.test.ts):
 *   (a) nothing published (cell, row total, column total, grand total) comes from fewer than k
 *       distinct contributors;
 *   (b) no suppressed value can be derived exactly from the published values by the table's
 *       linear relations (every row and every column sums to its total; the totals sum to the
 *       grand total). In particular every row or column has 0 or ≥ 2 suppressed entries,
 *       counting its total as an entry;
 *   (c) suppressing a suppressed table changes nothing (idempotence), and the result is a
 *       deterministic function of the input (ties broken by key).
 *
 * How:
 *   1. Primary: every entry with fewer than k contributors. A total's contributors are the union
 *      of its cells' (exact when cells carry sets; the caller may give them, e.g. from SQL
 *      COUNT(DISTINCT); otherwise the largest cell's count, a lower bound, so never too lenient).
 *      A total is never smaller than any of its cells, so a suppressed total's cells are
 *      suppressed too.
 *   2. Totals among themselves (canonical, depends on the totals only, so any two tables that
 *      share the same totals suppress them the same way): when the grand total is published and
 *      exactly one row total is suppressed, the next-smallest row total is suppressed too; same
 *      for columns.
 *   3. Cells: the table with its totals is an (R+1) × (C+1) grid in which every line sums to
 *      zero (cells minus the line's total). Its suppressed entries are edges of a bipartite graph
 *      between lines; a suppressed entry is exactly derivable iff it is a bridge of that graph
 *      (if it lies on a cycle, adding ±t around the cycle changes nothing published). While a
 *      bridge exists, one more cell is suppressed: the smallest published cell that closes a
 *      cycle through it; else, when one of its lines holds no other suppressed entry, the
 *      next-smallest published cell in that line (the classic rule: a row with exactly one
 *      suppressed cell gets a second one); else an empty cell that closes a cycle (listed as
 *      suppressed, so nobody can tell it was zero). Every step suppresses one more entry, so it
 *      ends; the last resort (everything suppressed) is bridge-free.
 *
 * What it does not cover: differences between tables over different periods or filters (see
 * collector/README.md, "Privacy").
 */

/** The smallest k accepted: k can only be raised. */
export const MIN_K = 5;

export type Contributors = ReadonlySet<string> | number;
export type Suppression = 'k' | 'complementary' | null;

export interface CellInput {
  row: string;
  col: string;
  value: number;
  /** Distinct contributors: their ids (exact unions) or their count. */
  contributors: Contributors;
  /** Already suppressed (re-applying to a suppressed table keeps it so). */
  suppressed?: Suppression;
}

export interface TotalInput {
  /** Distinct contributors of the whole line (e.g. COUNT(DISTINCT) from the database). */
  contributors: number;
  suppressed?: Suppression;
}

export interface TableInput {
  cells: readonly CellInput[];
  rowTotals?: readonly (TotalInput & { key: string })[];
  colTotals?: readonly (TotalInput & { key: string })[];
  total?: TotalInput;
}

export interface SuppressedEntry {
  value: number;
  /** The contributor measure the decision was made on. */
  contributors: number;
  suppressed: Suppression;
}

export interface SuppressedTable {
  k: number;
  rows: string[];
  cols: string[];
  cells: (SuppressedEntry & { row: string; col: string })[];
  rowTotals: (SuppressedEntry & { key: string })[];
  colTotals: (SuppressedEntry & { key: string })[];
  total: SuppressedEntry;
}

/** What may leave the server: suppressed values are null, contributor measures are dropped. */
export interface PublishedEntry {
  value: number | null;
  suppressed: Suppression;
}
export interface PublishedTable {
  k: number;
  rows: string[];
  cols: string[];
  cells: (PublishedEntry & { row: string; col: string })[];
  rowTotals: (PublishedEntry & { key: string })[];
  colTotals: (PublishedEntry & { key: string })[];
  total: PublishedEntry;
}

export interface SuppressOptions {
  /** At least MIN_K; anything lower is rejected. */
  k?: number;
  /** How many contributors a set stands for (default: its size). See dailyDistinct. */
  measure?: (contributors: ReadonlySet<string>) => number;
}

export function checkK(k: number): number {
  if (!Number.isInteger(k) || k < MIN_K) throw new RangeError(`k must be an integer ≥ ${MIN_K} (got ${k})`);
  return k;
}

/** A contributor key for dailyDistinct: contributor ids rotate daily, so they are per day. */
export const dayContributor = (day: string, contributor: string): string => `${day}|${contributor}`;

/**
 * The measure for day-rotating contributor ids (keys from dayContributor): the largest number of
 * distinct contributors on any one day. Ids of different days cannot be linked, so this is the
 * only count that is certainly a count of distinct installs (a lower bound over the period).
 */
export function dailyDistinct(keys: ReadonlySet<string>): number {
  const perDay = new Map<string, number>();
  let max = 0;
  for (const key of keys) {
    const day = key.slice(0, key.indexOf('|'));
    const n = (perDay.get(day) ?? 0) + 1;
    perDay.set(day, n);
    if (n > max) max = n;
  }
  return max;
}

interface Entry {
  kind: 'cell' | 'row' | 'col' | 'total';
  row: string;
  col: string;
  key: string;
  value: number;
  contributors: number;
  suppressed: Suppression;
  /** A cell that was not in the input (suppressed as a complement: its zero stays unknown). */
  absent: boolean;
  u: number;
  v: number;
}

const byKey = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function suppress(input: TableInput, options: SuppressOptions = {}): SuppressedTable {
  const k = checkK(options.k ?? MIN_K);
  const measure = options.measure ?? ((s: ReadonlySet<string>) => s.size);

  // Merge duplicate (row, col) cells.
  interface Merged { row: string; col: string; value: number; sets: Set<string> | null; lower: number; suppressed: Suppression }
  const merged = new Map<string, Merged>();
  for (const cell of input.cells) {
    if (!Number.isFinite(cell.value)) throw new RangeError(`cell ${cell.row} × ${cell.col}: value is not a finite number`);
    const id = JSON.stringify([cell.row, cell.col]);
    const own = typeof cell.contributors === 'number' ? cell.contributors : measure(cell.contributors);
    const m = merged.get(id);
    if (!m) {
      merged.set(id, {
        row: cell.row,
        col: cell.col,
        value: cell.value,
        sets: typeof cell.contributors === 'number' ? null : new Set(cell.contributors),
        lower: own,
        suppressed: cell.suppressed ?? null,
      });
    } else {
      m.value += cell.value;
      m.lower = Math.max(m.lower, own);
      if (m.sets && typeof cell.contributors !== 'number') for (const c of cell.contributors) m.sets.add(c);
      else m.sets = null;
      m.suppressed = m.suppressed ?? cell.suppressed ?? null;
    }
  }
  const cells = [...merged.values()].sort((a, b) => byKey(a.row, b.row) || byKey(a.col, b.col));
  const rows = [...new Set(cells.map((c) => c.row))].sort(byKey);
  const cols = [...new Set(cells.map((c) => c.col))].sort(byKey);
  const m = rows.length;
  const n = cols.length;
  const rowIndex = new Map(rows.map((r, i) => [r, i]));
  const colIndex = new Map(cols.map((c, i) => [c, i]));
  const ROWSTAR = m;
  const colNode = (c: number) => m + 1 + c;
  const COLSTAR = m + n + 1;
  const nodes = m + n + 2;

  const cellMeasure = (c: Merged) => (c.sets ? Math.max(c.lower, measure(c.sets)) : c.lower);
  const lineMeasure = (members: Merged[], given: number | undefined): number => {
    const floor = Math.max(0, ...members.map(cellMeasure));
    if (given !== undefined) return Math.max(given, floor);
    if (members.every((c) => c.sets)) {
      const union = new Set<string>();
      for (const c of members) for (const id of c.sets!) union.add(id);
      return Math.max(floor, measure(union));
    }
    return floor;
  };
  const givenRow = new Map((input.rowTotals ?? []).map((t) => [t.key, t]));
  const givenCol = new Map((input.colTotals ?? []).map((t) => [t.key, t]));

  const entries: Entry[] = [];
  const grid: (Entry | undefined)[] = new Array(m * n);
  for (const c of cells) {
    const r = rowIndex.get(c.row)!;
    const cc = colIndex.get(c.col)!;
    const e: Entry = {
      kind: 'cell', row: c.row, col: c.col, key: '', value: c.value, contributors: cellMeasure(c),
      suppressed: c.suppressed, absent: false, u: r, v: colNode(cc),
    };
    entries.push(e);
    grid[r * n + cc] = e;
  }
  const rowEntries = rows.map((key, r): Entry => {
    const members = cells.filter((c) => c.row === key);
    const given = givenRow.get(key);
    return {
      kind: 'row', row: key, col: '', key, value: members.reduce((a, c) => a + c.value, 0),
      contributors: lineMeasure(members, given?.contributors), suppressed: given?.suppressed ?? null, absent: false, u: r, v: COLSTAR,
    };
  });
  const colEntries = cols.map((key, c): Entry => {
    const members = cells.filter((x) => x.col === key);
    const given = givenCol.get(key);
    return {
      kind: 'col', row: '', col: key, key, value: members.reduce((a, x) => a + x.value, 0),
      contributors: lineMeasure(members, given?.contributors), suppressed: given?.suppressed ?? null, absent: false, u: ROWSTAR, v: colNode(c),
    };
  });
  const totalEntry: Entry = {
    kind: 'total', row: '', col: '', key: '', value: cells.reduce((a, c) => a + c.value, 0),
    contributors: lineMeasure(cells, input.total?.contributors), suppressed: input.total?.suppressed ?? null, absent: false, u: ROWSTAR, v: COLSTAR,
  };
  // A total is never below any of its lines' totals either.
  totalEntry.contributors = Math.max(totalEntry.contributors, ...rowEntries.map((e) => e.contributors), ...colEntries.map((e) => e.contributors));
  entries.push(...rowEntries, ...colEntries, totalEntry);

  // 1. Primary suppression.
  for (const e of entries) if (e.suppressed === null && e.contributors < k) e.suppressed = 'k';

  // 2. Totals among themselves, canonically.
  if (totalEntry.suppressed === null && m > 0) {
    for (const line of [rowEntries, colEntries]) {
      if (line.filter((e) => e.suppressed !== null).length !== 1) continue;
      const next = smallest(line.filter((e) => e.suppressed === null));
      if (next) next.suppressed = 'complementary';
      else totalEntry.suppressed = 'complementary';
    }
  }

  // 3. Cells, until no suppressed entry is a bridge.
  const added: Entry[] = [];
  const cellAt = (r: number, c: number): Entry => {
    const existing = grid[r * n + c];
    if (existing) return existing;
    const e: Entry = {
      kind: 'cell', row: rows[r]!, col: cols[c]!, key: '', value: 0, contributors: 0,
      suppressed: null, absent: true, u: r, v: colNode(c),
    };
    grid[r * n + c] = e;
    added.push(e);
    return e;
  };
  const isRowNode = (x: number) => x < m;
  const isColNode = (x: number) => x > m && x < COLSTAR;
  const lineCells = (x: number): Entry[] => {
    const out: Entry[] = [];
    if (isRowNode(x)) for (let c = 0; c < n; c += 1) out.push(cellAt(x, c));
    else if (isColNode(x)) for (let r = 0; r < m; r += 1) out.push(cellAt(r, x - m - 1));
    return out;
  };
  // A cell whose other line has no other cell and a published total: its value is public anyway.
  const existingIn = (x: number) => lineCells(x).filter((e) => !e.absent).length;
  const useful = (e: Entry, from: number) => {
    const other = e.u === from ? e.v : e.u;
    const total = isRowNode(other) ? rowEntries[other]! : colEntries[other - m - 1]!;
    return !(existingIn(other) <= 1 && total.suppressed === null);
  };

  for (let guard = 0; guard <= (m + 1) * (n + 1); guard += 1) {
    const active = [...entries, ...added].filter((e) => e.suppressed !== null);
    const bridge = firstBridge(nodes, active);
    if (!bridge) break;
    // What each end reaches without the bridge: a cell joining the two sides closes a cycle.
    const sideA = reach(nodes, active, bridge, bridge.u);
    const sideB = reach(nodes, active, bridge, bridge.v);
    const bridging = (e: Entry) => (sideA[e.u] && sideB[e.v]) || (sideB[e.u] && sideA[e.v]);
    const allCells = (): Entry[] => {
      const out: Entry[] = [];
      for (let r = 0; r < m; r += 1) for (let c = 0; c < n; c += 1) out.push(cellAt(r, c));
      return out;
    };
    const degree = (x: number) => active.filter((e) => e.u === x || e.v === x).length;
    const ends = [bridge.u, bridge.v].filter((x) => (isRowNode(x) || isColNode(x)) && degree(x) === 1);

    const existingPublished = entries.filter((e) => e.kind === 'cell' && e.suppressed === null);
    let pick: Entry | undefined = smallest(existingPublished.filter(bridging));
    for (const x of ends) pick ??= smallest(lineCells(x).filter((e) => !e.absent && e.suppressed === null && useful(e, x)));
    if (!pick) {
      // Empty cells that close a cycle (only candidates among the rows and columns involved).
      pick = firstOf(allCells().filter((e) => e.absent && e.suppressed === null && bridging(e)));
    }
    for (const x of ends) pick ??= firstOf(lineCells(x).filter((e) => e.suppressed === null));
    for (const x of [bridge.u, bridge.v]) pick ??= smallest(lineCells(x).filter((e) => !e.absent && e.suppressed === null));
    if (!pick) {
      suppressEverything(entries, allCells());
      break;
    }
    pick.suppressed = 'complementary';
  }
  // Safety net: whatever happened above, never return a table with a derivable entry.
  if (firstBridge(nodes, [...entries, ...added].filter((e) => e.suppressed !== null))) {
    const all: Entry[] = [];
    for (let r = 0; r < m; r += 1) for (let c = 0; c < n; c += 1) all.push(cellAt(r, c));
    suppressEverything(entries, all);
  }
  // Cells created but never suppressed are not part of the table.
  const out = [...entries.filter((e) => e.kind === 'cell'), ...added.filter((e) => e.suppressed !== null)].sort(
    (a, b) => byKey(a.row, b.row) || byKey(a.col, b.col),
  );

  const plain = (e: Entry): SuppressedEntry => ({ value: e.value, contributors: e.contributors, suppressed: e.suppressed });
  return {
    k,
    rows,
    cols,
    cells: out.map((e) => ({ row: e.row, col: e.col, ...plain(e) })),
    rowTotals: rowEntries.map((e) => ({ key: e.key, ...plain(e) })),
    colTotals: colEntries.map((e) => ({ key: e.key, ...plain(e) })),
    total: plain(totalEntry),
  };
}

function suppressEverything(entries: Entry[], cells: Entry[]): void {
  for (const e of [...entries, ...cells]) if (e.suppressed === null) e.suppressed = 'complementary';
}

/** The published entry with the smallest value (ties: row, then column / key). */
function smallest(candidates: Entry[]): Entry | undefined {
  let best: Entry | undefined;
  for (const e of candidates) {
    if (
      !best ||
      e.value < best.value ||
      (e.value === best.value && (byKey(e.row, best.row) || byKey(e.col, best.col) || byKey(e.key, best.key)) < 0)
    ) {
      best = e;
    }
  }
  return best;
}

const firstOf = (candidates: Entry[]): Entry | undefined => smallest(candidates);

/** Nodes reachable from `start` over the active edges, without crossing `skip`. */
function reach(nodes: number, active: readonly Entry[], skip: Entry, start: number): boolean[] {
  const adjacency: number[][] = Array.from({ length: nodes }, () => []);
  for (const e of active) {
    if (e === skip) continue;
    adjacency[e.u]!.push(e.v);
    adjacency[e.v]!.push(e.u);
  }
  const seen = new Array<boolean>(nodes).fill(false);
  const stack = [start];
  seen[start] = true;
  while (stack.length) {
    const x = stack.pop()!;
    for (const y of adjacency[x]!) {
      if (!seen[y]) {
        seen[y] = true;
        stack.push(y);
      }
    }
  }
  return seen;
}

/**
 * The first bridge (in the order of `edges`) of the graph, or undefined: iterative Tarjan over a
 * simple graph (an entry is one edge; no two entries join the same two lines).
 */
function firstBridge(nodes: number, edges: readonly Entry[]): Entry | undefined {
  const bridges = findBridges(nodes, edges);
  return edges.find((e) => bridges.has(e));
}

function findBridges(nodes: number, edges: readonly Entry[]): Set<Entry> {
  const adjacency: { to: number; edge: number }[][] = Array.from({ length: nodes }, () => []);
  edges.forEach((e, i) => {
    adjacency[e.u]!.push({ to: e.v, edge: i });
    adjacency[e.v]!.push({ to: e.u, edge: i });
  });
  const order = new Array<number>(nodes).fill(-1);
  const low = new Array<number>(nodes).fill(0);
  const out = new Set<Entry>();
  let time = 0;
  for (let root = 0; root < nodes; root += 1) {
    if (order[root] !== -1) continue;
    // Frames: node, the edge it was entered by, the next neighbour to look at.
    const stack: { node: number; via: number; next: number }[] = [{ node: root, via: -1, next: 0 }];
    order[root] = low[root] = time++;
    while (stack.length) {
      const frame = stack[stack.length - 1]!;
      const list = adjacency[frame.node]!;
      if (frame.next < list.length) {
        const { to, edge } = list[frame.next++]!;
        if (edge === frame.via) continue;
        if (order[to] === -1) {
          order[to] = low[to] = time++;
          stack.push({ node: to, via: edge, next: 0 });
        } else low[frame.node] = Math.min(low[frame.node]!, order[to]!);
      } else {
        stack.pop();
        const parent = stack[stack.length - 1];
        if (parent) {
          low[parent.node] = Math.min(low[parent.node]!, low[frame.node]!);
          if (low[frame.node]! > order[parent.node]!) out.add(edges[frame.via]!);
        }
      }
    }
  }
  return out;
}

/**
 * The suppressed entries of a table that can be derived exactly from its published entries
 * (empty for anything `suppress` returns): "cell row × col", "row key", "col key", "total".
 */
export function derivableEntries(table: SuppressedTable | PublishedTable): string[] {
  const m = table.rows.length;
  const n = table.cols.length;
  const rowIndex = new Map(table.rows.map((r, i) => [r, i]));
  const colIndex = new Map(table.cols.map((c, i) => [c, i]));
  const ROWSTAR = m;
  const COLSTAR = m + n + 1;
  const entries: (Entry & { label: string })[] = [];
  const base = { value: 0, contributors: 0, absent: false, row: '', col: '', key: '' };
  for (const c of table.cells) {
    if (c.suppressed === null) continue;
    entries.push({ ...base, kind: 'cell', suppressed: c.suppressed, u: rowIndex.get(c.row)!, v: m + 1 + colIndex.get(c.col)!, label: `cell ${c.row} × ${c.col}` });
  }
  for (const t of table.rowTotals) {
    if (t.suppressed !== null) entries.push({ ...base, kind: 'row', suppressed: t.suppressed, u: rowIndex.get(t.key)!, v: COLSTAR, label: `row ${t.key}` });
  }
  for (const t of table.colTotals) {
    if (t.suppressed !== null) entries.push({ ...base, kind: 'col', suppressed: t.suppressed, u: ROWSTAR, v: m + 1 + colIndex.get(t.key)!, label: `col ${t.key}` });
  }
  if (table.total.suppressed !== null) entries.push({ ...base, kind: 'total', suppressed: table.total.suppressed, u: ROWSTAR, v: COLSTAR, label: 'total' });
  const bridges = findBridges(m + n + 2, entries);
  return entries.filter((e) => bridges.has(e)).map((e) => e.label);
}

/** Drop what must not leave: suppressed values and every contributor measure. */
export function publish(table: SuppressedTable): PublishedTable {
  const shown = (e: SuppressedEntry): PublishedEntry => ({ value: e.suppressed === null ? e.value : null, suppressed: e.suppressed });
  return {
    k: table.k,
    rows: [...table.rows],
    cols: [...table.cols],
    cells: table.cells.map((c) => ({ row: c.row, col: c.col, ...shown(c) })),
    rowTotals: table.rowTotals.map((t) => ({ key: t.key, ...shown(t) })),
    colTotals: table.colTotals.map((t) => ({ key: t.key, ...shown(t) })),
    total: shown(table.total),
  };
}
