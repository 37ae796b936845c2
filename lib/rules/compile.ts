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
  CompiledAction,
  CompiledAdvance,
  CompiledBundle,
  CompiledHost,
  CompiledPack,
  CompiledProbe,
  CompiledRule,
  CompiledScreen,
  CompiledStage,
  CompiledStep,
  CompiledUrl,
  CompiledWalkthrough,
  CompiledWhen,
  TargetStrategy,
} from './compiled';
import { didYouMean, formatJsonPath, sortDiagnostics, type Diagnostic } from './diagnostics';
import {
  FILE_KINDS,
  packCore,
  tipsFile,
  tooltipsFile,
  walkthroughFile,
  type FileKind,
  type PackFile,
  type ScreenFile,
  type TargetSource,
  type tipRule,
  type tooltipRule,
  type WalkthroughFile,
  type WhenSource,
} from './schema';
import { compileUrlPattern } from './url-pattern';
import { matchUrl, normalizeUrl } from '../screens/match-url';
import { matchScreen } from '../screens/match-screen';

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

type Issue = z.core.$ZodIssue;

/**
 * zod reports a failed union as one "Invalid input" with every branch's issues inside. Authors
 * need the branch they meant: the one whose input had the right type and that got furthest.
 */
function flattenUnions(issues: readonly Issue[]): Issue[] {
  return issues.flatMap((issue): Issue[] => {
    if (issue.code !== 'invalid_union' || issue.errors.length === 0) return [issue];
    const score = (branch: readonly Issue[]) =>
      // A branch that failed at its root (wrong type, or not one of an enum's values) is the
      // least likely to be the one the author meant.
      branch.reduce((n, i) => n + (i.path.length === 0 && (i.code === 'invalid_type' || i.code === 'invalid_value') ? 100 : 1), 0) -
      Math.max(0, ...branch.map((i) => i.path.length)) * 0.01;
    let best = [...issue.errors].sort((a, b) => score(a) - score(b))[0]!;
    // "unknown field apears" explains "appears: required" of another branch; saying the branch's
    // own missing field as well would only mislead.
    const unknownAt = best.filter((i) => i.code === 'unrecognized_keys').map((i) => i.path.join('.'));
    best = best.filter(
      (i) => !(i.code === 'invalid_type' && i.input === undefined && unknownAt.includes(i.path.slice(0, -1).join('.'))),
    );
    return flattenUnions(best.map((i) => ({ ...i, path: [...issue.path, ...i.path] }) as Issue));
  });
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
    for (const issue of flattenUnions(result.error.issues)) {
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
    // A pack.yaml whose core (hosts, locales…) is valid keeps the pack alive even when its
    // stages or signals have errors: those are reported and left out.
    const pack =
      (validate(packFile, FILE_KINDS.pack.schema) as PackFile | undefined) ??
      packCore.safeParse(packFile.doc.toJS()).data;
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
        const ignoreCase = m.ignoreCase === true;
        const compiled: CompiledUrl = { specificity: 0, ...(ignoreCase && { ignoreCase }) };
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

    // References between files are checked here, where every file of the pack is known.
    const screenId = (stem: string) => `${packId}/${stem}`;
    const allScreenStems = parsedFiles.filter((f) => f.kind === 'screen').map((f) => f.stem);
    const walkthroughStems = new Set(parsedFiles.filter((f) => f.kind === 'walkthrough').map((f) => f.stem));
    const stageIds = new Set(pack.stages.map((s) => s.id));
    const refCheck = (parsed: ParsedFile, path: PropertyKey[], what: 'screen' | 'walkthrough' | 'stage', key: string): boolean => {
      const known = what === 'screen' ? screenFiles.keys() : what === 'walkthrough' ? walkthroughStems : stageIds;
      const set = new Set(known);
      if (set.has(key)) return true;
      if (what === 'screen' && allScreenStems.includes(key)) return true; // exists but broken: reported there
      const guess = didYouMean(key, set);
      report(parsed.file.path, locate(parsed, path), formatJsonPath(path), `no ${what} "${key}" in pack "${packId}"` + (guess ? ` (did you mean "${guess}"?)` : ''));
      return false;
    };
    const compileWhen = (parsed: ParsedFile, path: PropertyKey[], w: WhenSource | undefined): CompiledWhen | undefined => {
      if (!w) return undefined;
      if (w.after) {
        refCheck(parsed, [...path, 'after', 'visits'], 'screen', w.after.visits);
        if (w.after.from) refCheck(parsed, [...path, 'after', 'from'], 'screen', w.after.from);
      }
      w.stages?.forEach((st, i) => refCheck(parsed, [...path, 'stages', i], 'stage', st));
      return {
        trigger: w.trigger,
        ...(w.after && {
          after: { visits: screenId(w.after.visits), times: w.after.times, ...(w.after.from && { from: screenId(w.after.from) }) },
        }),
        ...(w.stages && { stages: w.stages }),
        ...(w.audience && { audience: w.audience }),
        ...(w.locales && { locales: w.locales }),
      };
    };

    const rules: CompiledRule[] = [];
    for (const parsed of parsedFiles.filter((f) => f.kind === 'tooltips' || f.kind === 'tips')) {
      const kind = parsed.kind as 'tooltips' | 'tips';
      const data = validate(parsed, (kind === 'tips' ? tipsFile : tooltipsFile) as z.ZodType) as
        | Record<string, z.infer<typeof tooltipRule> | z.infer<typeof tipRule>>
        | undefined;
      if (!screenFiles.has(parsed.stem)) {
        if (allScreenStems.includes(parsed.stem)) {
          report(parsed.file.path, start, '', `skipped: its screen file "${parsed.stem}.screen.yaml" has errors`, 'warning');
        } else {
          const guess = didYouMean(parsed.stem, allScreenStems);
          report(
            parsed.file.path,
            start,
            '',
            `no screen "${parsed.stem}" in pack "${packId}": ${kind} files are named after their screen's file` +
              (guess ? ` (did you mean "${guess}.${kind}.yaml"?)` : ''),
          );
        }
        continue;
      }
      if (!data) continue;
      for (const [key, rule] of Object.entries(data)) {
        if (rule.walkthrough) refCheck(parsed, [key, 'walkthrough'], 'walkthrough', rule.walkthrough);
        const when = compileWhen(parsed, [key, 'when'], rule.when);
        const base = {
          id: `${packId}/${parsed.stem}.${kind}#${key}`,
          screen: screenId(parsed.stem),
          target: rule.target ? asList(rule.target) : [],
          ...(rule.title !== undefined && { title: rule.title }),
          text: rule.text,
          placement: rule.placement,
          ifMissing: rule.ifMissing,
          ...(when && { when }),
          frequency: rule.frequency,
          ...(rule.walkthrough && { walkthrough: `${packId}/${rule.walkthrough}.walkthrough` }),
          source: { file: parsed.file.path, line: locate(parsed, [key], { key: true }).line },
        };
        if (!('savesSeconds' in rule)) {
          rules.push({ ...base, kind: 'tooltip', display: (rule as z.infer<typeof tooltipRule>).display });
          continue;
        }
        const a = rule.action;
        let action: CompiledAction;
        if (a.screen !== undefined) {
          refCheck(parsed, [key, 'action', 'screen'], 'screen', a.screen);
          action = { kind: 'screen', screen: screenId(a.screen) };
        } else {
          const actionKind = a.click ? 'click' : a.submit ? 'submit' : 'change';
          action = { kind: actionKind, target: asList((a.click ?? a.submit ?? a.change)!) };
        }
        rules.push({ ...base, kind: 'tip', replaces: rule.replaces, savesSeconds: rule.savesSeconds, action, mastery: rule.mastery });
      }
    }

    const walkthroughs: CompiledWalkthrough[] = [];
    for (const parsed of parsedFiles.filter((f) => f.kind === 'walkthrough')) {
      const data = validate(parsed, walkthroughFile) as WalkthroughFile | undefined;
      if (!data) continue;
      const id = `${packId}/${parsed.stem}.walkthrough`;
      let ok = true;
      const seen = new Map<string, number>();
      const steps: CompiledStep[] = data.steps.map((step, i) => {
        const at = ['steps', i];
        if (seen.has(step.id)) {
          ok = false;
          report(parsed.file.path, locate(parsed, [...at, 'id']), formatJsonPath([...at, 'id']), `duplicate step id "${step.id}" (also steps[${seen.get(step.id)}])`);
        }
        seen.set(step.id, i);
        ok = refCheck(parsed, [...at, 'screen'], 'screen', step.screen) && ok;
        let advance: CompiledAdvance;
        if (typeof step.advance === 'string') advance = { kind: step.advance };
        else if ('screen' in step.advance) {
          ok = refCheck(parsed, [...at, 'advance', 'screen'], 'screen', step.advance.screen) && ok;
          advance = { kind: 'screen', screen: screenId(step.advance.screen) };
        } else if ('appears' in step.advance) advance = { kind: 'appears', target: asList(step.advance.appears) };
        else advance = { kind: 'disappears', target: asList(step.advance.disappears) };
        const skipIf: CompiledProbe | undefined = step.skipIf
          ? step.skipIf.exists
            ? { kind: 'exists', target: asList(step.skipIf.exists) }
            : { kind: 'absent', target: asList(step.skipIf.absent!) }
          : undefined;
        return {
          id: `${id}#${step.id}`,
          screen: screenId(step.screen),
          target: step.target ? asList(step.target) : [],
          ...(step.title !== undefined && { title: step.title }),
          text: step.text,
          placement: step.placement,
          advance,
          optional: step.optional,
          ...(skipIf && { skipIf }),
          ifMissing: step.ifMissing,
          source: { file: parsed.file.path, line: locate(parsed, at).line },
        };
      });
      const startOn = (data.startOn ?? [data.steps[0]!.screen]).filter((st, i) =>
        data.startOn ? refCheck(parsed, ['startOn', i], 'screen', st) : true,
      );
      data.when?.stages?.forEach((st, i) => refCheck(parsed, ['when', 'stages', i], 'stage', st));
      if (!ok) continue;
      walkthroughs.push({
        id,
        title: data.title,
        ...(data.description !== undefined && { description: data.description }),
        startOn: startOn.map(screenId),
        ...(data.when && { when: data.when }),
        steps,
        source: { file: parsed.file.path, line: 1 },
      });
    }

    // Stages: checklist items must name things that exist.
    const stages: CompiledStage[] = pack.stages.map((st, i) => ({
      id: st.id,
      title: st.title,
      ...(st.description !== undefined && { description: st.description }),
      checklist: st.checklist.flatMap((item, j): CompiledStage['checklist'] => {
        const path = ['stages', i, 'checklist', j];
        if ('walkthrough' in item) {
          return refCheck(packFile, [...path, 'walkthrough'], 'walkthrough', item.walkthrough)
            ? [{ walkthrough: `${packId}/${item.walkthrough}.walkthrough` }]
            : [];
        }
        const [stem, key] = item.tip.split('#') as [string, string];
        const ruleId = `${packId}/${stem}.tips#${key}`;
        if (rules.some((r) => r.id === ruleId)) return [{ tip: ruleId }];
        const guess = didYouMean(item.tip, rules.filter((r) => r.kind === 'tip').map((r) => r.id.replace(`${packId}/`, '').replace('.tips', '')));
        report(packFile.file.path, locate(packFile, [...path, 'tip']), formatJsonPath([...path, 'tip']), `no tip "${item.tip}" in pack "${packId}"` + (guess ? ` (did you mean "${guess}"?)` : ''));
        return [];
      }),
    }));
    const dupStage = pack.stages.findIndex((st, i) => pack.stages.findIndex((o) => o.id === st.id) !== i);
    if (dupStage >= 0) {
      report(packFile.file.path, locate(packFile, ['stages', dupStage, 'id']), formatJsonPath(['stages', dupStage, 'id']), `duplicate stage id "${pack.stages[dupStage]!.id}"`);
    }
    if (pack.liveStage !== undefined) refCheck(packFile, ['liveStage'], 'stage', pack.liveStage);

    // Screens nothing refers to are fine (managers still see friction there); screens that can
    // never win are not: every test URL goes to a more specific screen and there are no probes.
    for (const screen of screens) {
      if (screen.probes.length > 0) continue;
      const urls = testUrls[screen.id] ?? [];
      const winners = urls.map((u) => matchScreen([{ screens } as unknown as CompiledPack], normalizeUrl(u), null)?.screen.id);
      if (urls.length > 0 && winners.every((w) => w !== undefined && w !== screen.id)) {
        const { parsed } = screenFiles.get(screen.id.slice(packId.length + 1))!;
        report(parsed.file.path, locate(parsed, ['url']), 'url', `unreachable: a more specific screen ("${winners[0]!.slice(packId.length + 1)}") wins for all its test URLs`);
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
      stages,
      ...((pack.liveStage ?? pack.stages[0]?.id) && { liveStage: pack.liveStage ?? pack.stages[0]!.id }),
      ...(pack.signals?.errors && { errorTargets: asList(pack.signals.errors) }),
      screens: screens.sort((a, b) => a.id.localeCompare(b.id)),
      rules,
      walkthroughs,
    });
  }

  return { bundle: { format: 1, packs }, diagnostics: sortDiagnostics(diagnostics), testUrls };
}
