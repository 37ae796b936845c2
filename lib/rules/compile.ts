/**
 * Rule files -> compiled bundle, in the uBlock Origin shape: parse -> validate -> compile.
 *
 * Input is a list of { path, text } (paths relative to content-rules/), so the same code runs in
 * the build (wxt.config.ts), in `npm run rules:check`, in unit tests and, later, in the editor.
 * It never throws on bad input: every problem is a located Diagnostic, a broken file is skipped,
 * and one broken pack never disables another.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import type {
  CompiledBundle,
  CompiledHost,
  CompiledPack,
  CompiledProbe,
  CompiledScreen,
  CompiledTooltip,
  CompiledUrl,
  TargetStrategy,
} from './compiled';
import { didYouMean, formatJsonPath, sortDiagnostics, type Diagnostic } from './diagnostics';
import { FILE_KINDS, type FileKind, type PackFile, type ScreenFile, type TargetSource, tooltipsFile } from './schema';
import { compileUrlPattern } from './url-pattern';
import { matchUrl, normalizeUrl } from '../screens/match-url';

export interface SourceFile {
  /** Relative to content-rules/, with forward slashes: "demo/pack.yaml". */
  path: string;
  text: string;
}

export interface CompileResult {
  bundle: CompiledBundle;
  diagnostics: Diagnostic[];
  /** Build-time facts the runtime bundle leaves out: each screen's test URLs (for the matrix test). */
  testUrls: Record<string, string[]>;
}

interface ParsedFile {
  file: SourceFile;
  kind: FileKind;
  stem: string;
  doc: Document.Parsed;
  lines: LineCounter;
}

/** Where a JSON path points in a YAML document (the deepest node that exists on that path). */
function locate(parsed: ParsedFile, path: ReadonlyArray<PropertyKey>, { key = false } = {}) {
  let node: unknown = parsed.doc.contents;
  let found: { range?: [number, number, number] | null } | null = node as Node | null;
  for (const part of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(part));
      if (!pair) break;
      node = pair.value;
      found = (key ? pair.key : pair.value) as Node | null ?? (pair.key as Node);
    } else if (isSeq(node) && typeof part === 'number') {
      node = node.items[part];
      if (!node) break;
      found = node as Node;
    } else break;
  }
  const offset = found?.range?.[0] ?? 0;
  const pos = parsed.lines.linePos(offset);
  const quoted = isScalar(found) && (found.type === 'QUOTE_DOUBLE' || found.type === 'QUOTE_SINGLE');
  return { line: pos.line, column: pos.col, offset, quoted };
}

/** Position of a character inside a (single-line) scalar, for errors within a pattern. */
function locateInside(parsed: ParsedFile, path: ReadonlyArray<PropertyKey>, charOffset: number) {
  const at = locate(parsed, path);
  return { line: at.line, column: at.column + charOffset + (at.quoted ? 1 : 0) };
}

/** Known object keys at a path of a zod schema, for "did you mean". */
function knownKeysAt(schema: z.ZodType, path: ReadonlyArray<PropertyKey>): string[] {
  const keys = new Set<string>();
  const visit = (s: z.ZodType | undefined, rest: ReadonlyArray<PropertyKey>): void => {
    if (!s) return;
    const def = (s as unknown as { _zod: { def: Record<string, unknown> & { type: string } } })._zod.def;
    switch (def.type) {
      case 'optional':
      case 'nullable':
      case 'default':
      case 'prefault':
      case 'readonly':
      case 'catch':
        return visit(def.innerType as z.ZodType, rest);
      case 'pipe':
        return visit(def.in as z.ZodType, rest);
      case 'union':
        for (const option of def.options as z.ZodType[]) visit(option, rest);
        return;
      case 'array':
        return visit(def.element as z.ZodType, rest.slice(1));
      case 'record':
        if (rest.length === 0) return;
        return visit(def.valueType as z.ZodType, rest.slice(1));
      case 'object': {
        const shape = def.shape as Record<string, z.ZodType>;
        if (rest.length === 0) {
          for (const k of Object.keys(shape)) keys.add(k);
          return;
        }
        return visit(shape[String(rest[0])], rest.slice(1));
      }
      default:
        return;
    }
  };
  visit(schema, path);
  return [...keys];
}

function kindOf(name: string): { kind: FileKind; stem: string } | undefined {
  if (name === FILE_KINDS.pack.suffix) return { kind: 'pack', stem: 'pack' };
  for (const [kind, { suffix }] of Object.entries(FILE_KINDS) as Array<[FileKind, { suffix: string }]>) {
    if (kind !== 'pack' && name.endsWith(suffix)) return { kind, stem: name.slice(0, -suffix.length) };
  }
  return undefined;
}

const asList = (t: TargetSource): TargetStrategy[] => (Array.isArray(t) ? t : [t]);

function compileHost(h: string): CompiledHost {
  const scheme = h.startsWith('http://') ? 'http' : 'https';
  let host = h.replace(/^https?:\/\//, '').toLowerCase();
  const wildcard = host.startsWith('*.');
  if (wildcard) host = host.slice(2);
  return { scheme, host, wildcard };
}

export function compileRules(files: SourceFile[]): CompileResult {
  const diagnostics: Diagnostic[] = [];
  const report = (file: string, at: { line: number; column: number }, path: string, message: string, severity: Diagnostic['severity'] = 'error') =>
    diagnostics.push({ file, line: at.line, column: at.column, path, message, severity });
  const start = { line: 1, column: 1 };

  // 1. Sort files into packs by folder; decide each file's kind by its suffix.
  const byPack = new Map<string, ParsedFile[]>();
  for (const file of [...files].sort((a, b) => a.path.localeCompare(b.path))) {
    const parts = file.path.split('/');
    if (!/\.ya?ml$/.test(file.path)) continue; // README.md and friends
    if (parts.length !== 2) {
      report(file.path, start, '', 'rule files live directly in a pack folder: content-rules/<pack>/<file>.yaml');
      continue;
    }
    const [packId, name] = parts as [string, string];
    if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(packId)) {
      report(file.path, start, '', `pack folder "${packId}" must be kebab-case (lower-case letters, digits, dashes)`);
      continue;
    }
    const kind = kindOf(name);
    if (!kind) {
      const suffixes = Object.values(FILE_KINDS).map((k) => k.suffix);
      const guess = didYouMean(name.replace(/^[^.]*/, ''), suffixes.map((s) => s.replace(/^[^.]*/, '')));
      report(
        file.path,
        start,
        '',
        `unknown kind of rule file; names end in ${suffixes.map((s) => `"${s}"`).join(', ')}` +
          (guess ? ` (did you mean "${name.replace(/\..*$/, '')}${guess}"?)` : ''),
      );
      continue;
    }
    if (kind.kind !== 'pack' && !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(kind.stem)) {
      report(file.path, start, '', `"${kind.stem}" must be kebab-case: it becomes the id "${packId}/${kind.stem}"`);
      continue;
    }
    const lines = new LineCounter();
    const doc = parseDocument(file.text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
    const parsed: ParsedFile = { file, ...kind, doc, lines };
    if (doc.errors.length > 0) {
      for (const e of doc.errors) {
        const pos = lines.linePos(e.pos[0]);
        report(file.path, { line: pos.line, column: pos.col }, '', `YAML: ${e.message.split('\n')[0]}`);
      }
      continue;
    }
    const list = byPack.get(packId) ?? [];
    list.push(parsed);
    byPack.set(packId, list);
  }

  // 2. Validate each file against its schema; keep the valid ones.
  const validate = <T>(parsed: ParsedFile, schema: z.ZodType<T>): T | undefined => {
    const result = schema.safeParse(parsed.doc.toJS({ maxAliasCount: 50 }));
    if (result.success) return result.data;
    for (const issue of result.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) {
          const path = [...issue.path, key];
          const guess = didYouMean(key, knownKeysAt(schema as z.ZodType, issue.path));
          report(
            parsed.file.path,
            locate(parsed, path, { key: true }),
            formatJsonPath(path),
            `unknown field "${key}"` + (guess ? ` (did you mean "${guess}"?)` : ''),
          );
        }
        continue;
      }
      const message =
        issue.code === 'invalid_type' && issue.input === undefined ? 'required' : issue.message;
      report(parsed.file.path, locate(parsed, issue.path), formatJsonPath(issue.path), message);
    }
    return undefined;
  };

  const packs: CompiledPack[] = [];
  const testUrls: Record<string, string[]> = {};
  for (const [packId, parsedFiles] of byPack) {
    const packFile = parsedFiles.find((f) => f.kind === 'pack');
    if (!packFile) {
      report(`${packId}/pack.yaml`, start, '', 'missing: every pack folder needs a pack.yaml (name, version, crm, hosts)');
      continue;
    }
    const pack = validate(packFile, FILE_KINDS.pack.schema) as PackFile | undefined;
    if (!pack) continue;
    if (!pack.locales.includes(pack.defaultLocale)) {
      report(packFile.file.path, locate(packFile, ['defaultLocale']), 'defaultLocale', `must be one of locales (${pack.locales.join(', ')})`);
    }
    const hosts = pack.hosts.map(compileHost);

    // Screens first: tooltips and walkthroughs refer to them.
    const screens: CompiledScreen[] = [];
    const screenFiles = new Map<string, { parsed: ParsedFile; data: ScreenFile }>();
    for (const parsed of parsedFiles.filter((f) => f.kind === 'screen')) {
      const data = validate(parsed, FILE_KINDS.screen.schema) as ScreenFile | undefined;
      // URL patterns are checked even when the file has other errors, so one run reports all.
      const raw = parsed.doc.toJS() as { url?: unknown } | null;
      const matchers = (data?.url ?? (Array.isArray(raw?.url) ? raw.url : [])) as Array<Partial<ScreenFile['url'][number]> | null>;
      const url: CompiledUrl[] = [];
      let ok = data !== undefined;
      matchers.forEach((m, i) => {
        if (!m || typeof m !== 'object') return;
        const compiled: CompiledUrl = { specificity: 0 };
        const ignoreCase = m.ignoreCase === true;
        const part = (kind: 'path' | 'hash', pattern: unknown) => {
          if (typeof pattern !== 'string') return;
          const r = compileUrlPattern(pattern, { kind, ignoreCase });
          if (r.ok) {
            compiled[kind] = r.regexp;
            compiled.specificity += r.specificity;
          } else {
            ok = false;
            const path = ['url', i, kind];
            report(parsed.file.path, locateInside(parsed, path, r.error.offset), formatJsonPath(path), r.error.message);
          }
        };
        part('path', m.path);
        part('hash', m.hash);
        if (m.query && typeof m.query === 'object') {
          compiled.query = [];
          for (const [name, value] of Object.entries(m.query)) {
            if (typeof value === 'boolean') {
              compiled.query.push([name, value]);
              compiled.specificity += 5;
              continue;
            }
            if (typeof value !== 'string') continue;
            const r = compileUrlPattern(value, { kind: 'value', ignoreCase });
            if (r.ok) {
              compiled.query.push([name, r.regexp]);
              compiled.specificity += 5 + r.specificity;
            } else {
              ok = false;
              const path = ['url', i, 'query', name];
              report(parsed.file.path, locateInside(parsed, path, r.error.offset), formatJsonPath(path), r.error.message);
            }
          }
        }
        if (data && !m.path && !m.hash && !m.query) {
          ok = false;
          report(parsed.file.path, locate(parsed, ['url', i]), formatJsonPath(['url', i]), 'give at least one of path, hash or query');
        }
        url.push(compiled);
      });
      if (!ok || !data) continue;
      const probes: CompiledProbe[] = (data.probes ?? []).map((p) =>
        p.exists ? { kind: 'exists', target: asList(p.exists) } : { kind: 'absent', target: asList(p.absent!) },
      );
      const screen: CompiledScreen = {
        id: `${packId}/${parsed.stem}`,
        title: data.title,
        url,
        probes,
        source: { file: parsed.file.path, line: 1 },
      };
      screens.push(screen);
      testUrls[screen.id] = data.testUrls;
      screenFiles.set(parsed.stem, { parsed, data });
    }

    // Test URLs: each must be on the pack's hosts and match its own screen, and no other screen
    // unless that overlap is declared (github-url-detection's matrix, run at every build).
    for (const screen of screens) {
      const stem = screen.id.slice(packId.length + 1);
      const { parsed, data } = screenFiles.get(stem)!;
      data.testUrls.forEach((raw, i) => {
        const at = locate(parsed, ['testUrls', i]);
        const path = formatJsonPath(['testUrls', i]);
        const url = new URL(raw);
        if (!hosts.some((h) => url.protocol === `${h.scheme}:` && (url.hostname === h.host || (h.wildcard && url.hostname.endsWith(`.${h.host}`))))) {
          report(parsed.file.path, at, path, `host "${url.hostname}" is not one of the pack's hosts`);
        }
        const normalized = normalizeUrl(url);
        if (!screen.url.some((m) => matchUrl(m, normalized))) {
          report(parsed.file.path, at, path, `does not match this screen's url patterns`);
        }
        for (const other of screens) {
          if (other === screen) continue;
          const otherStem = other.id.slice(packId.length + 1);
          const declared = data.overlaps?.includes(otherStem) || screenFiles.get(otherStem)?.data.overlaps?.includes(stem);
          if (!declared && other.url.some((m) => matchUrl(m, normalized))) {
            report(parsed.file.path, at, path, `also matches screen "${otherStem}"; narrow one of the patterns, or declare it in "overlaps"`);
          }
        }
      });
      data.overlaps?.forEach((o, i) => {
        if (!screenFiles.has(o)) {
          const guess = didYouMean(o, screenFiles.keys());
          report(parsed.file.path, locate(parsed, ['overlaps', i]), formatJsonPath(['overlaps', i]), `no screen "${o}" in pack "${packId}"` + (guess ? ` (did you mean "${guess}"?)` : ''));
        }
      });
    }

    // Rules.
    const rules: CompiledTooltip[] = [];
    const allScreenStems = parsedFiles.filter((f) => f.kind === 'screen').map((f) => f.stem);
    for (const parsed of parsedFiles.filter((f) => f.kind === 'tooltips')) {
      const data = validate(parsed, tooltipsFile);
      if (!screenFiles.has(parsed.stem)) {
        if (allScreenStems.includes(parsed.stem)) {
          report(parsed.file.path, start, '', `skipped: its screen file "${parsed.stem}.screen.yaml" has errors`, 'warning');
        } else {
          const guess = didYouMean(parsed.stem, allScreenStems);
          report(
            parsed.file.path,
            start,
            '',
            `no screen "${parsed.stem}" in pack "${packId}": tooltips files are named after their screen's file` +
              (guess ? ` (did you mean "${guess}.tooltips.yaml"?)` : ''),
          );
        }
        continue;
      }
      if (!data) continue;
      for (const [key, rule] of Object.entries(data)) {
        rules.push({
          kind: 'tooltip',
          id: `${packId}/${parsed.stem}.tooltips#${key}`,
          screen: `${packId}/${parsed.stem}`,
          target: asList(rule.target),
          ...(rule.title !== undefined && { title: rule.title }),
          text: rule.text,
          placement: rule.placement,
          ifMissing: rule.ifMissing,
          source: { file: parsed.file.path, line: locate(parsed, [key], { key: true }).line },
        });
      }
    }

    packs.push({
      id: packId,
      name: pack.name,
      version: pack.version,
      crm: pack.crm,
      hosts,
      locales: pack.locales,
      defaultLocale: pack.defaultLocale,
      screens: screens.sort((a, b) => a.id.localeCompare(b.id)),
      rules,
    });
  }

  return { bundle: { format: 1, packs }, diagnostics: sortDiagnostics(diagnostics), testUrls };
}
