/**
 * k-anonymity for published tables, with complementary suppression. Pure, no dependencies:
 * used by the collector on every response, and by the manager page on anything it derives.
 *
 * A table is a set of cells (row key × column key → a value, built from a set or a count of
 * distinct contributors) with its row totals, column totals and grand total.
 *
 * Which totals an attacker knows (the decision this module is built on):
 *   Totals are computed from ALL cells, suppressed ones included (honest totals), and are
 *   published with the table unless they are suppressed themselves. A total is what a coarser
 *   question about the same data would answer ("rage clicks on this screen"), so it is treated
 *   as an entry of the table like any cell: it has contributors, it can be suppressed, and it
 *   is one of the equations an attacker may use. A caller must not publish other numbers about
 *   the same data (the collector's responses never overlap: collector/README.md, "Privacy").
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
 *   2. Complements: the table with its totals is an (R+1) × (C+1) grid in which every line sums
 *      to zero (its cells minus its total; the totals row and column likewise, with the grand
 *      total). The suppressed entries are the edges of a bipartite graph between these lines,
 *      and a suppressed entry is exactly derivable iff it is a bridge of that graph: if it lies
 *      on a cycle, adding +t and -t alternately around the cycle changes nothing published.
 *      "Every line has 0 or ≥ 2 suppressed entries" (a row with exactly one suppressed cell
 *      gets a second one) is necessary but not enough: two cycles joined by one suppressed cell
 *      satisfy it, and that cell is the difference of two sums. So, while a bridge exists, the
 *      cheapest chain of published entries (cost: value + 1) that closes a cycle through it is
 *      suppressed too: for a row with exactly one suppressed cell the chain starts with another
 *      entry of that row, the classic rule generalised. A total is a candidate like a cell, so
 *      hiding one grand total can save a whole row. Only when no chain of entries with data
 *      exists is an empty cell used (listed as suppressed, so nobody can tell it was zero).
 *      Every step suppresses more, so it ends; the last resort, everything suppressed, is
 *      bridge-free.
 *
 * What it does not cover: numbers published elsewhere about the same data (differences between
 * overlapping tables). The collector avoids them by construction (collector/README.md).
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

  // 2. Complements, until no suppressed entry is a bridge.
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
  const allCells = (): Entry[] => {
    const out: Entry[] = [];
    for (let r = 0; r < m; r += 1) for (let c = 0; c < n; c += 1) out.push(cellAt(r, c));
    return out;
  };

  /** The entry joining a row-side node (a row or the totals row) and a column-side node. */
  const peek = (x: number, y: number): Entry | undefined => {
    const [a, b] = x <= m ? [x, y] : [y, x];
    if (a < m) return b < COLSTAR ? grid[a * n + (b - m - 1)] : rowEntries[a];
    return b < COLSTAR ? colEntries[b - m - 1] : totalEntry;
  };
  const create = (x: number, y: number): Entry => {
    const [a, b] = x <= m ? [x, y] : [y, x];
    return peek(a, b) ?? cellAt(a, b - m - 1);
  };

  for (let guard = 0; guard <= (m + 1) * (n + 1); guard += 1) {
    const active = [...entries, ...added].filter((e) => e.suppressed !== null);
    const bridge = firstBridge(nodes, active);
    if (!bridge) break;
    const path = cheapestCycle(bridge, m, n, peek);
    if (!path) {
      suppressEverything(entries, allCells());
      break;
    }
    for (const [x, y] of path) create(x, y).suppressed = 'complementary';
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

/** What an empty cell costs on a path: only used when no chain of entries with data will do. */
const ABSENT_COST = 1e12;

/**
 * The cheapest chain of published entries that closes a cycle through `bridge` (so that it, and
 * every entry of the chain, stops being a bridge): Dijkstra from one end of the bridge to the
 * other over the (R+1) × (C+1) grid's lines (a complete bipartite graph: rows and the totals row
 * on one side, columns and the totals column on the other), where a suppressed entry costs
 * nothing, a published one its value + 1 and an empty cell ABSENT_COST. Returns the node pairs
 * of the entries to suppress; undefined when there is no such chain.
 */
function cheapestCycle(
  bridge: Entry,
  m: number,
  n: number,
  peek: (x: number, y: number) => Entry | undefined,
): [number, number][] | undefined {
  const nodes = m + n + 2;
  const dist = new Array<number>(nodes).fill(Infinity);
  const prev = new Array<number>(nodes).fill(-1);
  const done = new Array<boolean>(nodes).fill(false);
  dist[bridge.u] = 0;
  const cost = (x: number, y: number): number => {
    const e = peek(x, y);
    if (e === bridge) return Infinity;
    if (!e) return ABSENT_COST;
    return e.suppressed !== null ? 0 : Math.abs(e.value) + 1;
  };
  for (;;) {
    let x = -1;
    for (let i = 0; i < nodes; i += 1) if (!done[i] && dist[i]! < Infinity && (x < 0 || dist[i]! < dist[x]!)) x = i;
    if (x < 0) return undefined;
    if (x === bridge.v) break;
    done[x] = true;
    const [from, to] = x <= m ? [m + 1, nodes] : [0, m + 1];
    for (let y = from; y < to; y += 1) {
      if (done[y]) continue;
      const d = dist[x]! + cost(x, y);
      if (d < dist[y]!) {
        dist[y] = d;
        prev[y] = x;
      }
    }
  }
  const out: [number, number][] = [];
  for (let y = bridge.v; y !== bridge.u; y = prev[y]!) {
    const x = prev[y]!;
    const e = peek(x, y);
    if (!e || e.suppressed === null) out.push([x, y]);
  }
  return out;
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
