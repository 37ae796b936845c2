import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { buildJsonSchema, schemaFieldNames } from '../../lib/rules/json-schema';
import { readRuleFiles } from '../../lib/rules/read-rule-files';

const RULES = resolve(import.meta.dirname, '../../content-rules');
const committed = JSON.parse(readFileSync(resolve(RULES, 'schema.json'), 'utf8'));

describe('content-rules/schema.json', () => {
  it('is what the zod schema generates (run `npm run rules:schema` after changing lib/rules/schema.ts)', () => {
    expect(committed).toEqual(buildJsonSchema());
  });

  const ajv = new Ajv2020({ allErrors: true, strict: false, validateFormats: false });
  const validate = ajv.compile(committed);

  it.each(readRuleFiles(RULES).map((f) => [f.path, f.text]))('accepts the bundled %s', (_, text) => {
    const ok = validate(parse(text));
    expect(validate.errors ?? [], 'an editor would flag a file the compiler accepts').toEqual([]);
    expect(ok).toBe(true);
  });

  it.each([
    ['a misspelt tooltip field', 'x:\n  target: { css: a }\n  text: hi\n  placment: top\n'],
    ['a tip without savesSeconds', 'x:\n  text: hi\n  replaces: slow\n  action: { screen: a }\n'],
    ['a screen without testUrls', 'title: x\nurl: [{ path: /x }]\n'],
    ['a pack with an http host', 'format: 1\nname: x\nversion: 1.0.0\ncrm: x\nhosts: [1]\nlocales: [en]\ndefaultLocale: en\n'],
  ])('rejects %s, as the compiler does', (_, text) => {
    expect(validate(parse(text))).toBe(false);
  });
});

describe('content-rules/README.md (the authoring guide)', () => {
  const guide = readFileSync(resolve(RULES, 'README.md'), 'utf8');
  it('documents every field of the schema', () => {
    const undocumented = [...schemaFieldNames(buildJsonSchema())].filter((name) => !guide.includes(`\`${name}\``));
    expect(undocumented, 'document these fields in content-rules/README.md (as `name`)').toEqual([]);
  });
});
