/**
 * Fuzzing the compiler with malformed rule files mutated from the real packs. Every mutant must
 * compile without throwing, every diagnostic must point inside the file it names, and every
 * mutation of a kind that certainly breaks the file must produce a located error in that file.
 * Deterministic: a seeded PRNG, so a failure names a mutant that reproduces.
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileRules, type SourceFile } from '../../lib/rules/compile';
import { readRuleFiles } from '../../lib/rules/read-rule-files';

const files = readRuleFiles(resolve(import.meta.dirname, '../../content-rules'));

function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Mutation = { name: string; certain: boolean; apply: (text: string, rnd: () => number) => string | null };
const pick = <T>(rnd: () => number, list: readonly T[]) => list[Math.floor(rnd() * list.length)]!;
const keyLines = (text: string) =>
  text.split('\n').map((l, i) => [l, i] as const).filter(([l]) => /^\s*(- )?[a-zA-Z$][\w$]*:/.test(l) && !/^\s*#/.test(l));

const MUTATIONS: Mutation[] = [
  {
    name: 'misspell a field name',
    certain: true,
    apply(text, rnd) {
      const lines = text.split('\n');
      // Only fixed-schema keys (not map keys such as rule keys or locale tags, which are free names).
      const candidates = keyLines(text).filter(([l]) => /^\s*(- )?(title|text|target|url|path|hash|testUrls|placement|format|version|crm|hosts|locales|defaultLocale|steps|screen|advance|replaces|savesSeconds|action|css|role|label|ifMissing|probes|stages|checklist|when|frequency):/.test(l));
      if (candidates.length === 0) return null;
      const [line, i] = pick(rnd, candidates);
      lines[i] = line.replace(/([a-zA-Z$][\w$]*):/, (_, k: string) => `${k.slice(0, -1)}${k.at(-1) === 'x' ? 'y' : 'x'}${k.slice(-1)}Q:`);
      return lines.join('\n');
    },
  },
  {
    name: 'break the YAML syntax',
    certain: true,
    apply(text, rnd) {
      const lines = text.split('\n');
      const i = Math.floor(rnd() * lines.length);
      const breakers = [': : :', '[unclosed', '{ a: ', '"unterminated', '\t- tab', 'key: [1, 2'];
      lines.splice(i, 0, pick(rnd, breakers));
      return lines.join('\n');
    },
  },
  {
    name: 'give a text field a number',
    certain: true,
    apply(text, rnd) {
      const lines = text.split('\n');
      const candidates = lines.map((l, i) => [l, i] as const).filter(([l]) => /^\s*(title|text|replaces): \S/.test(l));
      if (candidates.length === 0) return null;
      const [line, i] = pick(rnd, candidates);
      lines[i] = line.replace(/: .*/, ': 42');
      return lines.join('\n');
    },
  },
  {
    name: 'put a regex or HTML into a URL pattern',
    certain: true,
    apply(text, rnd) {
      if (!/^\s*(- )?path: /m.test(text)) return null;
      const bad = pick(rnd, ['/a/(.*)+$', '/x/[a-z]+', '/a/:p:q', '/a/*/b/*', '/{/a{/b}?}?', 'no-slash']);
      return text.replace(/^(\s*(- )?path: ).*$/m, `$1'${bad}'`);
    },
  },
  {
    name: 'truncate the file mid-way',
    certain: false,
    apply: (text, rnd) => text.slice(0, Math.floor(rnd() * text.length)),
  },
  {
    name: 'delete a line',
    certain: false,
    apply(text, rnd) {
      const lines = text.split('\n');
      lines.splice(Math.floor(rnd() * lines.length), 1);
      return lines.join('\n');
    },
  },
  {
    name: 'shift indentation',
    certain: false,
    apply(text, rnd) {
      const lines = text.split('\n');
      const i = Math.floor(rnd() * lines.length);
      lines[i] = rnd() < 0.5 ? `  ${lines[i]}` : lines[i]!.replace(/^ {1,2}/, '');
      return lines.join('\n');
    },
  },
  {
    name: 'random bytes',
    certain: false,
    apply(text, rnd) {
      const at = Math.floor(rnd() * text.length);
      const junk = Array.from({ length: 1 + Math.floor(rnd() * 8) }, () => String.fromCharCode(Math.floor(rnd() * 0x2fff))).join('');
      return text.slice(0, at) + junk + text.slice(at);
    },
  },
];

/** Mutants that certainly break their file; others are generated along the way. */
const CERTAIN = 1000;

describe('compiler fuzz', () => {
  it(`survives ${CERTAIN}+ malformed files and locates every error`, () => {
    const rnd = prng(20261128);
    let certainChecked = 0;
    const failures: string[] = [];
    for (let n = 0; certainChecked < CERTAIN && n < CERTAIN * 5; n++) {
      const victim = pick(rnd, files);
      // Mostly mutations that certainly break the file; the rest only have to be survived.
      const wantCertain = rnd() < 0.75;
      const mutation = pick(rnd, MUTATIONS.filter((m) => m.certain === wantCertain));
      const mutated = mutation.apply(victim.text, rnd);
      if (mutated === null || mutated === victim.text) continue;
      const pack = victim.path.split('/')[0]!;
      // The mutant with what it can refer to (pack.yaml and the screens), not the whole pack: fast.
      const input: SourceFile[] = files
        .filter((f) => f === victim || (f.path.startsWith(`${pack}/`) && /(\/pack|\.screen)\.yaml$/.test(f.path)))
        .map((f) => (f === victim ? { path: f.path, text: mutated } : f));
      let result;
      try {
        result = compileRules(input);
      } catch (error) {
        failures.push(`#${n} ${mutation.name} in ${victim.path}: threw ${String(error)}`);
        continue;
      }
      const lineCount = (p: string) => (input.find((f) => f.path === p)?.text ?? '').split('\n').length;
      for (const d of result.diagnostics) {
        const ok = d.line >= 1 && d.column >= 1 && (d.line <= lineCount(d.file) + 1 || d.file.endsWith('/pack.yaml'));
        if (!ok) failures.push(`#${n} ${mutation.name}: diagnostic out of the file: ${JSON.stringify(d)}`);
        if (!d.message) failures.push(`#${n}: empty message`);
      }
      if (mutation.certain) {
        certainChecked += 1;
        if (!result.diagnostics.some((d) => d.file === victim.path && d.severity === 'error')) {
          failures.push(`#${n} ${mutation.name} in ${victim.path}: no located error\n${mutated}`);
        }
      }
    }
    expect(failures.slice(0, 5)).toEqual([]);
    expect(certainChecked, 'enough certainly-malformed mutants were generated').toBe(CERTAIN);
  }, 60_000);
});
