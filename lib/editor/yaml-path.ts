/**
 * Where the cursor is in a YAML file that is being typed (so often not valid YAML): the path of
 * keys and sequence items above it, and whether it is on a key or a value. Read from indentation
 * alone, line by line, so a half-written line never hides the structure around it.
 *
 *   tooltip-key:            ← path ['tooltip-key']
 *     target:               ← path ['tooltip-key', 'target']
 *       - role: butt|       ← at 'value' of ['tooltip-key', 'target', 0, 'role'], prefix "butt"
 *         na|               ← at 'key' in ['tooltip-key', 'target', 0], prefix "na"
 */
export type YamlPath = Array<string | number>;

export interface CursorContext {
  /** The mapping (or sequence item) that holds the cursor; for a value, ends with its key. */
  path: YamlPath;
  at: 'key' | 'value';
  /** What is typed before the cursor in the token being completed. */
  prefix: string;
  /** Offset where the token being completed starts. */
  from: number;
  /** Keys already present in the mapping the cursor is in (for key completion). */
  siblings: string[];
}

interface Level {
  col: number;
  kind: 'item' | 'key';
  key?: string;
}

const KEY = /^((?:"[^"]*"|'[^']*'|[^\s#'"][^:#]*?))\s*:(\s|$)/;

const unquote = (k: string) => (/^["'].*["']$/.test(k) ? k.slice(1, -1) : k);

/** The structure one line opens: its "- " items and its "key:" (if any), outer first. */
function levelsOf(line: string): { levels: Level[]; rest: string; restCol: number } {
  const levels: Level[] = [];
  let col = line.length - line.trimStart().length;
  let rest = line.slice(col);
  while (rest === '-' || rest.startsWith('- ')) {
    levels.push({ col, kind: 'item' });
    const skip = rest === '-' ? 1 : 2 + (rest.slice(2).length - rest.slice(2).trimStart().length);
    col += skip;
    rest = rest.slice(skip);
  }
  const key = KEY.exec(rest);
  if (key) levels.push({ col, kind: 'key', key: unquote(key[1]!.trim()) });
  return { levels, rest, restCol: col };
}

const isBlank = (line: string) => /^\s*(#.*)?$/.test(line) || /^(---|\.\.\.)\s*$/.test(line);

/** Climb from `limit` (a column) through the lines above, collecting the enclosing path. */
function ancestors(lines: string[], upTo: number, limit: number, path: YamlPath): YamlPath {
  for (let i = upTo; i >= 0 && limit > 0; i--) {
    const line = lines[i]!;
    if (isBlank(line)) continue;
    const { levels } = levelsOf(line);
    for (let j = levels.length - 1; j >= 0; j--) {
      const level = levels[j]!;
      if (level.col >= limit) continue;
      path.unshift(level.kind === 'key' ? level.key! : itemIndex(lines, i, level.col));
      limit = level.col;
    }
  }
  return path;
}

/** Which item of its sequence the "- " at (line, col) is: earlier dashes at the same column. */
function itemIndex(lines: string[], lineNo: number, col: number): number {
  let n = 0;
  for (let i = lineNo - 1; i >= 0; i--) {
    const line = lines[i]!;
    if (isBlank(line)) continue;
    const indent = line.length - line.trimStart().length;
    if (indent < col) break;
    if (indent === col) {
      if (!line.trimStart().startsWith('-')) break;
      n++;
    }
  }
  return n;
}

/** Keys at column `col` of the mapping that holds line `lineNo` (above and below it). */
function siblingKeys(lines: string[], lineNo: number, col: number): string[] {
  const keys: string[] = [];
  for (const step of [-1, 1] as const) {
    for (let i = lineNo + step; i >= 0 && i < lines.length; i += step) {
      const line = lines[i]!;
      if (isBlank(line)) continue;
      const { levels } = levelsOf(line);
      const outside = levels.length === 0 ? line.length - line.trimStart().length < col : levels[0]!.col < col;
      // Going down, a line that starts further left ends the mapping; going up, it may be the
      // line that starts it ("- role: x" above "  name: y").
      if (step === 1 && outside) break;
      const here = levels.find((l) => l.col === col && l.kind === 'key');
      if (here) keys.push(here.key!);
      if (step === -1 && outside) break;
    }
  }
  return keys;
}

export function cursorContext(text: string, offset: number): CursorContext {
  const lines = text.split('\n');
  const before = text.slice(0, offset).split('\n');
  const lineNo = before.length - 1;
  const head = before[lineNo]!;
  const { levels, rest, restCol } = levelsOf(head);
  const last = levels.at(-1);
  const path: YamlPath = [];
  // Collect this line's own levels (items and a finished "key:"), innermost last.
  const own = last?.kind === 'key' ? levels.slice(0, -1) : levels;
  if (last?.kind === 'key') {
    // On a value: "key: pre|" (flow maps and lists are not completed inside).
    const afterColon = rest.slice(rest.indexOf(':') + 1);
    const prefix = afterColon.trimStart().replace(/^["']/, '');
    const path = ancestors(lines, lineNo - 1, own[0]?.col ?? last.col, [...own.map((l) => (l.kind === 'item' ? itemIndex(lines, lineNo, l.col) : l.key!)), last.key!]);
    return { path, at: 'value', prefix, from: offset - prefix.length, siblings: [] };
  }
  for (const l of own) path.push(itemIndex(lines, lineNo, l.col));
  const prefix = rest.replace(/^["']/, '');
  const col = restCol;
  ancestors(lines, lineNo - 1, own[0]?.col ?? col, path);
  const siblings = siblingKeys(lines, lineNo, col).filter((k) => k !== prefix);
  return { path, at: 'key', prefix, from: offset - prefix.length, siblings };
}
