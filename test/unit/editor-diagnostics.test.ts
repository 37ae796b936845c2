import { describe, expect, it } from 'vitest';
import { checkDraft, editorDiagnostics, offsetOf, toSourceFiles } from '../../lib/editor/check-draft';
import { compileRules } from '../../lib/rules/compile';
import { readRuleFiles } from '../../lib/rules/read-rule-files';

const demo = readRuleFiles('content-rules')
  .filter((f) => f.path.startsWith('demo/'))
  .map((f) => ({ path: f.path.slice('demo/'.length), text: f.text }));
const withFile = (path: string, text: string) => demo.map((f) => (f.path === path ? { path, text } : f));

describe('diagnostics in the editor = rules:check', () => {
  it('the bundled demo pack is clean', () => {
    const check = checkDraft('demo', demo);
    expect(check.errors).toBe(0);
    expect(check.pack?.rules.length).toBeGreaterThan(0);
  });

  it('gives the same diagnostics as compiling content-rules, for the whole pack', () => {
    const file = 'contact-list.tooltips.yaml';
    const text = demo.find((f) => f.path === file)!.text.replace('  placement: bottom', '  placment: bottom');
    const files = withFile(file, text);
    expect(checkDraft('demo', files).diagnostics).toEqual(compileRules(toSourceFiles('demo', files)).diagnostics);
  });

  it('maps a typo to the range of the word, with "did you mean"', () => {
    const file = 'contact-list.tooltips.yaml';
    const text = demo.find((f) => f.path === file)!.text.replace('  placement: bottom', '  placment: bottom');
    const check = checkDraft('demo', withFile(file, text));
    expect(check.errors).toBe(1);
    const [d] = editorDiagnostics('demo', file, text, check.diagnostics);
    expect(text.slice(d!.from, d!.to)).toBe('placment');
    expect(d!.message).toBe('unknown field "placment" (did you mean "placement"?)');
    const line = text.slice(0, d!.from).split('\n').length;
    expect(d!.where).toBe(`${line}:3  search.placment`);
    // Other files' diagnostics are not drawn in this one.
    expect(editorDiagnostics('demo', 'pack.yaml', demo[0]!.text, check.diagnostics)).toEqual([]);
  });

  it('reports references across files (a rule naming a walkthrough that is not there)', () => {
    const file = 'contact-list.tooltips.yaml';
    const text = demo.find((f) => f.path === file)!.text + 'extra:\n  target: { role: button }\n  text: Hi\n  walkthrough: log-a-cal\n';
    const check = checkDraft('demo', withFile(file, text));
    const [d] = editorDiagnostics('demo', file, text, check.diagnostics);
    expect(d!.message).toBe('no walkthrough "log-a-cal" in pack "demo" (did you mean "log-a-call"?)');
    expect(text.slice(d!.from, d!.to)).toBe('log-a-cal');
  });

  it('maps YAML syntax errors and clamps positions into the text', () => {
    const text = 'search:\n  text: "open\n';
    const check = checkDraft('demo', withFile('contact-list.tooltips.yaml', text));
    const ds = editorDiagnostics('demo', 'contact-list.tooltips.yaml', text, check.diagnostics);
    expect(ds.length).toBeGreaterThan(0);
    expect(ds[0]!.message).toMatch(/^YAML: /);
    for (const d of ds) expect(d.from).toBeLessThanOrEqual(text.length);
    expect(offsetOf('ab\ncd', 2, 2)).toBe(4);
    expect(offsetOf('ab\ncd', 2, 99)).toBe(5);
    expect(offsetOf('ab\ncd', 9, 1)).toBe(5);
  });
});
