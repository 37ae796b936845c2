/** npm run rules:schema — writes content-rules/schema.json from the zod schema. */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildJsonSchema } from '../lib/rules/json-schema';

const file = resolve(import.meta.dirname, '..', 'content-rules', 'schema.json');
writeFileSync(file, `${JSON.stringify(buildJsonSchema(), null, 2)}\n`);
console.log(`wrote ${file}`);
