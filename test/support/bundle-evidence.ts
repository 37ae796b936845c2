import { resolve } from 'node:path';
import { build } from 'rolldown';

/** The evidence helper as one IIFE script (built once per test worker, in memory). */
export async function bundleEvidenceScript(): Promise<string> {
  const result = await build({
    input: resolve(import.meta.dirname, 'evidence-entry.ts'),
    output: { format: 'iife' },
    write: false,
  });
  return result.output[0].code;
}
