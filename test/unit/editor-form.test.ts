import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { emptyForm, formTargetOf, readTooltip, screensOf, tooltipKeys, writeTooltip, type TooltipForm } from '../../lib/editor/tooltip-form';
import { checkDraft } from '../../lib/editor/check-draft';

const FILE = `# yaml-language-server: $schema=../schema.json
# Tooltips on the contact list.
search:
  # Prefer the label: the role is a fallback.
  target:
    - label: Search contacts
    - role: searchbox
  title:
    en: Find anyone # short
    nb: Finn hvem som helst
  text:
    en: Type part of a name.
  placement: bottom
  frequency: once # keep
`;

const written = (text: string, form: TooltipForm) => {
  const r = writeTooltip(text, form);
  if ('error' in r) throw new Error(r.error);
  return r.text;
};

describe('form view <-> YAML', () => {
  it('reads a tooltip into the form', () => {
    expect(readTooltip(FILE, 'search')).toEqual({
      key: 'search',
      strategy: 'label',
      value: 'Search contacts',
      name: '',
      title: { en: 'Find anyone', nb: 'Finn hvem som helst' },
      text: { en: 'Type part of a name.', nb: '' },
      placement: 'bottom',
    });
    expect(readTooltip(FILE, 'nope')).toBeUndefined();
    expect(readTooltip('a: [', 'a')).toBeUndefined();
    expect(tooltipKeys(FILE)).toEqual(['search']);
  });

  it('round-trips unchanged: same text, comments and order kept', () => {
    expect(written(FILE, readTooltip(FILE, 'search')!)).toBe(FILE);
  });

  it('writes only what the form changed, keeping comments, order, fallbacks and other fields', () => {
    const form = readTooltip(FILE, 'search')!;
    const out = written(FILE, { ...form, text: { en: 'Type a name.', nb: 'Skriv et navn.' }, placement: 'top' });
    for (const comment of ['# Tooltips on the contact list.', '# Prefer the label: the role is a fallback.', '# short', '# keep']) {
      expect(out).toContain(comment);
    }
    const data = parse(out);
    expect(data.search.text).toEqual({ en: 'Type a name.', nb: 'Skriv et navn.' });
    expect(data.search.placement).toBe('top');
    expect(data.search.frequency).toBe('once');
    expect(data.search.target).toEqual([{ label: 'Search contacts' }, { role: 'searchbox' }]);
    expect(Object.keys(data.search)).toEqual(['target', 'title', 'text', 'placement', 'frequency']);
    expect(readTooltip(out, 'search')).toEqual({ ...form, text: { en: 'Type a name.', nb: 'Skriv et navn.' }, placement: 'top' });
  });

  it('replaces the first target strategy with a picked one and keeps the fallback', () => {
    const form = readTooltip(FILE, 'search')!;
    const out = written(FILE, { ...form, ...formTargetOf({ role: 'searchbox', name: 'Search contacts' }) });
    expect(parse(out).search.target).toEqual([{ role: 'searchbox', name: 'Search contacts' }, { role: 'searchbox' }]);
  });

  it('adds a new tooltip to a new file, which then compiles', () => {
    const form: TooltipForm = {
      ...emptyForm('new-contact'),
      ...formTargetOf({ role: 'button', name: 'New contact' }),
      title: { en: 'Add a contact', nb: '' },
      text: { en: 'Start here.', nb: 'Start her.' },
    };
    const out = written('', form);
    expect(out.startsWith('# yaml-language-server')).toBe(true);
    expect(parse(out)).toEqual({
      'new-contact': { target: { role: 'button', name: 'New contact' }, title: { en: 'Add a contact' }, text: { en: 'Start here.', nb: 'Start her.' } },
    });
    const pack = 'format: 1\nname: T\nversion: 1.0.0\ncrm: t\nhosts: [http://127.0.0.1]\nlocales: [en, nb]\ndefaultLocale: en\n';
    const screen = 'title: Contacts\nurl:\n  - path: /contacts\ntestUrls:\n  - http://127.0.0.1:4173/contacts\n';
    const check = checkDraft('t', [
      { path: 'pack.yaml', text: pack },
      { path: 'contacts.screen.yaml', text: screen },
      { path: 'contacts.tooltips.yaml', text: out },
    ]);
    expect(check.diagnostics).toEqual([]);
    expect(check.pack?.rules.map((r) => r.id)).toEqual(['t/contacts.tooltips#new-contact']);
  });

  it('adds a second tooltip after the first without touching it', () => {
    const out = written(FILE, { ...emptyForm('another'), value: 'button', text: { en: 'Hi', nb: '' } });
    expect(out.startsWith(FILE.trimEnd())).toBe(true);
    expect(parse(out).another).toEqual({ target: { role: 'button' }, text: { en: 'Hi' } });
  });

  it('refuses to write into a file that does not parse', () => {
    expect(writeTooltip('search:\n  text: [', emptyForm('search'))).toMatchObject({ error: expect.stringMatching(/YAML errors/) });
    expect(writeTooltip('- a\n- b\n', emptyForm('search'))).toMatchObject({ error: expect.stringMatching(/map of tooltips/) });
  });

  it('lists the pack screens from file names', () => {
    expect(screensOf(['pack.yaml', 'b.screen.yaml', 'a.screen.yaml', 'a.tooltips.yaml'])).toEqual(['a', 'b']);
  });
});

describe('a new tooltip whose key is being typed', () => {
  it('is renamed in place, never duplicated', () => {
    let text = FILE;
    let previous: string | undefined;
    for (const key of ['n', 'ne', 'new']) {
      text = written2(text, { ...emptyForm(key), value: 'button', text: { en: 'Hi', nb: '' } }, previous);
      previous = key;
    }
    expect(Object.keys(parse(text))).toEqual(['search', 'new']);
  });
});

function written2(text: string, form: TooltipForm, renameFrom?: string) {
  const r = writeTooltip(text, form, renameFrom);
  if ('error' in r) throw new Error(r.error);
  return r.text;
}
