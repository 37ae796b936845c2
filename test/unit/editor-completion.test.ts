import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cursorContext } from '../../lib/editor/yaml-path';
import { completionsAt, kindOfPath, type JsonSchema } from '../../lib/editor/schema-complete';

const schema = JSON.parse(readFileSync('content-rules/schema.json', 'utf8')) as JsonSchema;

/** Text with a "|" where the cursor is. */
function at(textWithCursor: string) {
  const offset = textWithCursor.indexOf('|');
  return cursorContext(textWithCursor.replace('|', ''), offset);
}
const labels = (kind: Parameters<typeof completionsAt>[1], text: string) => {
  const c = at(text);
  return completionsAt(schema, kind, c.path, c.at, c.siblings).map((x) => x.label);
};

describe('cursorContext: the YAML path at the cursor', () => {
  it('reads keys, nested maps and sequence items from indentation', () => {
    expect(at('search:\n  target:\n    - role: butt|')).toMatchObject({ path: ['search', 'target', 0, 'role'], at: 'value', prefix: 'butt' });
    expect(at('search:\n  target:\n    - role: button\n      na|')).toMatchObject({ path: ['search', 'target', 0], at: 'key', prefix: 'na' });
    expect(at('search:\n  target:\n    - label: A\n    - role: x\n      |')).toMatchObject({ path: ['search', 'target', 1], at: 'key' });
    expect(at('search:\n  pla|')).toMatchObject({ path: ['search'], at: 'key', prefix: 'pla' });
    expect(at('|')).toMatchObject({ path: [], at: 'key', prefix: '' });
    expect(at('# a comment\nsearch:\n\n  # another\n  text:\n    e|')).toMatchObject({ path: ['search', 'text'], at: 'key', prefix: 'e' });
  });

  it('lists the keys the mapping already has', () => {
    expect(at('search:\n  target: { role: x }\n  |\n  placement: top\nother:\n  title: x').siblings.sort()).toEqual(['placement', 'target']);
    expect(at('steps:\n  - id: a\n    |\n  - id: b\n    text: x').siblings).toEqual(['id']);
  });

  it('survives half-written lines around the cursor', () => {
    expect(at('search:\n  target:\n    - role: "butt\n  placement: |')).toMatchObject({ path: ['search', 'placement'], at: 'value' });
  });
});

describe('completion from the JSON Schema', () => {
  it('tells the file kind by name, as the compiler does', () => {
    expect(kindOfPath('contact-list.tooltips.yaml')).toBe('tooltips');
    expect(kindOfPath('demo/pack.yaml')).toBe('pack');
    expect(kindOfPath('log-a-call.walkthrough.yaml')).toBe('walkthrough');
    expect(kindOfPath('notes.txt')).toBeUndefined();
  });

  it('offers the fields of a tooltip, required first, without those already there', () => {
    const fields = labels('tooltips', 'search:\n  target: { role: x }\n  |');
    expect(fields[0]).toBe('text');
    expect(fields).toEqual(expect.arrayContaining(['title', 'placement', 'when', 'frequency', 'display', 'ifMissing']));
    expect(fields).not.toContain('target');
    expect(fields).not.toContain('savesSeconds'); // a tips field
  });

  it('offers target strategy fields inside a list item and a single map', () => {
    expect(labels('tooltips', 'a:\n  target:\n    - |')).toEqual(expect.arrayContaining(['css', 'role', 'name', 'label', 'text', 'within', 'nth']));
    expect(labels('tooltips', 'a:\n  target:\n    |')).toEqual(expect.arrayContaining(['css', 'role', 'label']));
  });

  it('offers enum values on a value', () => {
    expect(labels('tooltips', 'a:\n  placement: |')).toEqual(['top', 'bottom', 'left', 'right', 'auto']);
    expect(labels('tooltips', 'a:\n  when:\n    trigger: |')).toEqual(['screen', 'visible', 'focus']);
    expect(labels('tips', 'a:\n  frequency: |')).toContain('until-completed');
    expect(labels('walkthrough', 'steps:\n  - id: x\n    advance: |')).toEqual(expect.arrayContaining(['next', 'click', 'submit']));
    expect(labels('screen', 'url:\n  - path: /x\n    ignoreCase: |')).toEqual(['true', 'false']);
  });

  it('offers the top-level fields of each kind', () => {
    expect(labels('pack', 'format: 1\n|')).toEqual(expect.arrayContaining(['name', 'version', 'hosts', 'locales', 'stages']));
    expect(labels('screen', '|')).toEqual(expect.arrayContaining(['title', 'url', 'testUrls', 'probes']));
    expect(labels('walkthrough', 'steps:\n  - id: a\n    |')).toEqual(expect.arrayContaining(['screen', 'target', 'advance', 'skipIf']));
  });

  it('offers nothing where the schema has nothing', () => {
    expect(labels('tooltips', 'a:\n  bogus:\n    |')).toEqual([]);
  });
});
