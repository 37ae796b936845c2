/**
 * The JSON Schema for editors (content-rules/schema.json), generated from the zod schema so the
 * two cannot drift (a unit test compares the committed file with this output).
 * One file serves every kind of rule file: the kind is told apart by shape, since the file name
 * (which decides it for the compiler) is not visible to a JSON Schema.
 */
import { z } from 'zod';
import { FILE_KINDS } from './schema';

export function buildJsonSchema(): Record<string, unknown> {
  const defs: Record<string, unknown> = {};
  for (const [kind, { schema }] of Object.entries(FILE_KINDS)) {
    const json = z.toJSONSchema(schema as z.ZodType, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown>;
    delete json.$schema;
    defs[kind] = json;
  }
  const ref = (kind: string) => ({ $ref: `#/$defs/${kind}` });
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://crm-coach.dev/content-rules/schema.json',
    title: 'CRM Coach rule file (format 1)',
    description:
      'One schema for every rule file; see content-rules/README.md. The compiler decides the kind by file name (pack.yaml, *.screen.yaml, *.tooltips.yaml, *.tips.yaml, *.walkthrough.yaml); editors tell them apart by shape.',
    $defs: defs,
    if: { required: ['format'] },
    then: ref('pack'),
    else: {
      if: { required: ['steps'] },
      then: ref('walkthrough'),
      else: {
        if: { anyOf: [{ required: ['url'] }, { required: ['testUrls'] }] },
        then: ref('screen'),
        else: {
          // A map of rules: tips are the ones that say what they save.
          type: 'object',
          additionalProperties: {
            if: { anyOf: [{ required: ['savesSeconds'] }, { required: ['replaces'] }, { required: ['action'] }] },
            then: { $ref: '#/$defs/tips/additionalProperties' },
            else: { $ref: '#/$defs/tooltips/additionalProperties' },
          },
        },
      },
    },
  };
}

/** Every property name anywhere in the schema: what the authoring guide must document. */
export function schemaFieldNames(node: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(node)) node.forEach((n) => schemaFieldNames(n, out));
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'properties' && value && typeof value === 'object') {
        for (const name of Object.keys(value)) if (name !== '$schema') out.add(name);
      }
      schemaFieldNames(value, out);
    }
  }
  return out;
}
