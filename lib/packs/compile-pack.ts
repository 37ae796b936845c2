/** One pack's files (names inside its folder) -> its compiled form, or every located problem. */
import { compileRules } from '../rules/compile';
import type { CompiledPack } from '../rules/compiled';
import type { Diagnostic } from '../rules/diagnostics';
import type { PackFileEntry } from './pack-file';

export type CompilePackResult = { pack: CompiledPack; diagnostics: Diagnostic[] } | { error: string; diagnostics: Diagnostic[] };

export function compilePack(packId: string, files: readonly PackFileEntry[]): CompilePackResult {
  const seen = new Set<string>();
  for (const f of files) {
    if (f.path.includes('/')) return { error: `"${f.path}": a pack's files sit directly in its folder`, diagnostics: [] };
    if (seen.has(f.path)) return { error: `"${f.path}" appears twice`, diagnostics: [] };
    seen.add(f.path);
  }
  const { bundle, diagnostics } = compileRules(files.map((f) => ({ path: `${packId}/${f.path}`, text: f.text })));
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) {
    const first = errors[0]!;
    return { error: `${errors.length} error(s); first: ${first.file}:${first.line}:${first.column} ${first.message}`, diagnostics };
  }
  const pack = bundle.packs.find((p) => p.id === packId);
  if (!pack) return { error: `no pack "${packId}": it needs a pack.yaml`, diagnostics };
  return { pack, diagnostics };
}
