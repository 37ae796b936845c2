/** Errors are data: every problem in a rule file becomes one located Diagnostic, never a throw. */

export interface Diagnostic {
  /** Path relative to content-rules/, e.g. "demo/contact-list.screen.yaml". */
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  /** JSON path inside the file, e.g. "url[0].path"; "" for the whole file. */
  path: string;
  message: string;
  severity: 'error' | 'warning';
}

/** `file:line:column  path  message`, the format of `npm run rules:check` and the build. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = `${d.file}:${d.line}:${d.column}`;
  const tag = d.severity === 'warning' ? 'warning: ' : '';
  return `${where}  ${d.path || '(file)'}  ${tag}${d.message}`;
}

export function formatJsonPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else {
      const key = String(part);
      const plain = /^[A-Za-z_$][\w$-]*$/.test(key);
      out += plain ? (out ? `.${key}` : key) : `[${JSON.stringify(key)}]`;
    }
  }
  return out;
}

/** Edit distance where swapping two neighbours counts as one edit ("hsah" -> "hash"). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/** The closest candidate, if it is close enough to be a likely typo. */
export function didYouMean(word: string, candidateList: Iterable<string>): string | undefined {
  const candidates = [...candidateList];
  let best: string | undefined;
  let bestDistance = Infinity;
  const lower = word.toLowerCase();
  for (const candidate of candidates) {
    const d = editDistance(lower, candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  const limit = Math.max(1, Math.floor(word.length / 3));
  if (best !== undefined && bestDistance <= limit) return best;
  // An abbreviation of a longer name ("walkthru" for "walkthrough").
  if (lower.length >= 4) {
    const stem = lower.slice(0, Math.max(4, lower.length - 2));
    for (const candidate of candidates) if (candidate.toLowerCase().startsWith(stem)) return candidate;
  }
  return undefined;
}

export function sortDiagnostics(list: Diagnostic[]): Diagnostic[] {
  return list.sort(
    (a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.message.localeCompare(b.message),
  );
}
