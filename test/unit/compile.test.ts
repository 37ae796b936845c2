import { describe, expect, it } from 'vitest';
import { compileRules, type SourceFile } from '../../lib/rules/compile';
import { formatDiagnostic } from '../../lib/rules/diagnostics';

const pack = (id: string, extra = '') => ({
  path: `${id}/pack.yaml`,
  text: `format: 1\nname: ${id}\nversion: 1.0.0\ncrm: demo\nhosts: [https://crm.example.com]\nlocales: [en, nb]\ndefaultLocale: en\n${extra}`,
});
const screen = (id: string, name: string, path: string, urls: string[]) => ({
  path: `${id}/${name}.screen.yaml`,
  text: `title: ${name}\nurl:\n  - path: ${path}\ntestUrls:\n${urls.map((u) => `  - ${u}`).join('\n')}\n`,
});
const tooltips = (id: string, name: string, body: string) => ({ path: `${id}/${name}.tooltips.yaml`, text: body });

const errorsOf = (files: SourceFile[]) =>
  compileRules(files).diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic);

describe('compileRules', () => {
  it('compiles a pack: ids from paths, hosts, screens and tooltips', () => {
    const { bundle, diagnostics } = compileRules([
      pack('acme'),
      screen('acme', 'deal-list', '/deals', ['https://crm.example.com/deals']),
      tooltips('acme', 'deal-list', 'filter:\n  target: { label: Filter }\n  text: { en: Filter here, nb: Filtrer her }\n'),
    ]);
    expect(diagnostics).toEqual([]);
    const [p] = bundle.packs;
    expect(p).toMatchObject({ id: 'acme', version: '1.0.0', hosts: [{ scheme: 'https', host: 'crm.example.com', wildcard: false }] });
    expect(p!.screens.map((s) => s.id)).toEqual(['acme/deal-list']);
    expect(p!.rules).toEqual([
      expect.objectContaining({
        id: 'acme/deal-list.tooltips#filter',
        screen: 'acme/deal-list',
        target: [{ label: 'Filter' }],
        placement: 'auto',
        ifMissing: { wait: 10000, then: 'skip' },
        source: { file: 'acme/deal-list.tooltips.yaml', line: 1 },
      }),
    ]);
  });

  it('reports every problem with file:line:column, path and message, not just the first', () => {
    const errors = errorsOf([
      pack('acme'),
      {
        path: 'acme/deal-list.screen.yaml',
        text: 'title: Deals\nurl:\n  - path: /deals/:id(a|\n    hsah: /x\ntestUrls:\n  - not a url\n',
      },
      tooltips('acme', 'deal-list', 'x:\n  target: { css: a, role: button }\n  text: hi\n  placment: top\n'),
      tooltips('acme', 'deel-lst', 'x:\n  target: { css: a }\n  text: hi\n'),
    ]);
    expect(errors).toEqual([
      'acme/deal-list.screen.yaml:3:21  url[0].path  unclosed "(": a one-of list looks like ":object(Account|Contact)"',
      'acme/deal-list.screen.yaml:4:5  url[0].hsah  unknown field "hsah" (did you mean "hash"?)',
      'acme/deal-list.screen.yaml:6:5  testUrls[0]  a full http(s) URL, like https://acme.example.com/path',
      'acme/deal-list.tooltips.yaml:2:11  x.target  give only one of css, role, label or text (found css, role)',
      'acme/deal-list.tooltips.yaml:4:3  x.placment  unknown field "placment" (did you mean "placement"?)',
      'acme/deel-lst.tooltips.yaml:1:1  (file)  no screen "deel-lst" in pack "acme": tooltips files are named after their screen\'s file (did you mean "deal-list.tooltips.yaml"?)',
    ]);
  });

  it('locates YAML syntax errors', () => {
    const errors = errorsOf([pack('acme'), { path: 'acme/x.screen.yaml', text: 'title: [unclosed\nurl: 1\n' }]);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]).toMatch(/^acme\/x\.screen\.yaml:\d+:\d+  \(file\)  YAML: /);
  });

  it('keeps the other packs and files when one is broken', () => {
    const { bundle, diagnostics } = compileRules([
      pack('good'),
      screen('good', 'home', '/', ['https://crm.example.com/']),
      { path: 'broken/pack.yaml', text: 'format: 2\n' },
      screen('broken', 'home', '/', ['https://crm.example.com/']),
      pack('half'),
      screen('half', 'ok', '/ok', ['https://crm.example.com/ok']),
      { path: 'half/bad.screen.yaml', text: 'title: x\n' },
    ]);
    expect(bundle.packs.map((p) => [p.id, p.screens.map((s) => s.id)])).toEqual([
      ['good', ['good/home']],
      ['half', ['half/ok']],
    ]);
    expect(diagnostics.map((d) => d.file)).toContain('broken/pack.yaml');
    expect(diagnostics.map((d) => `${d.file} ${d.path}`)).toContain('half/bad.screen.yaml url');
  });

  it('checks test URLs: own screen, pack hosts, and undeclared overlaps', () => {
    const errors = errorsOf([
      pack('acme'),
      screen('acme', 'record', '/deals/:id', ['https://crm.example.com/deals/new', 'https://other.example.com/deals/1']),
      screen('acme', 'create', '/deals/new', ['https://crm.example.com/deals/new', 'https://crm.example.com/deals']),
    ]);
    expect(errors).toEqual([
      'acme/create.screen.yaml:5:5  testUrls[0]  also matches screen "record"; narrow one of the patterns, or declare it in "overlaps"',
      'acme/create.screen.yaml:6:5  testUrls[1]  does not match this screen\'s url patterns',
      'acme/record.screen.yaml:5:5  testUrls[0]  also matches screen "create"; narrow one of the patterns, or declare it in "overlaps"',
      'acme/record.screen.yaml:6:5  testUrls[1]  host "other.example.com" is not one of the pack\'s hosts',
    ]);
  });

  it('rejects plain http except on loopback, and unknown file kinds', () => {
    const errors = errorsOf([
      { ...pack('acme'), text: pack('acme').text.replace('https://crm.example.com', 'http://crm.example.com') },
      { path: 'acme/notes.tooltip.yaml', text: 'a: 1\n' },
    ]);
    expect(errors).toEqual([
      expect.stringContaining('acme/notes.tooltip.yaml:1:1  (file)  unknown kind of rule file'),
      'acme/pack.yaml:5:9  hosts[0]  plain http is only allowed for 127.0.0.1 and localhost; use https',
    ]);
    expect(errors[0]).toContain('(did you mean "notes.tooltips.yaml"?)');
  });
});
