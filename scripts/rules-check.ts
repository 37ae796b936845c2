/**
 * npm run rules:check [paths...]
 * Validates rule packs and prints every problem as `file:line:column  json.path  message`.
 * With no paths it checks content-rules/. Exit code 1 when there is any error.
 */
import { resolve, relative } from 'node:path';
import { compileRules } from '../lib/rules/compile';
import { formatDiagnostic } from '../lib/rules/diagnostics';
import { readRuleFiles } from '../lib/rules/read-rule-files';

const root = resolve(import.meta.dirname, '..', 'content-rules');
const wanted = process.argv.slice(2).map((p) => resolve(p));
const files = readRuleFiles(root).filter((f) => {
  if (wanted.length === 0) return true;
  const full = resolve(root, f.path);
  return wanted.some((w) => full === w || full.startsWith(w + '/'));
});
const { bundle, diagnostics } = compileRules(files);
const shown = relative(process.cwd(), root) || '.';
for (const d of diagnostics) console.log(formatDiagnostic({ ...d, file: `${shown}/${d.file}` }));
const errors = diagnostics.filter((d) => d.severity === 'error').length;
const rules = bundle.packs.reduce((n, p) => n + p.rules.length, 0);
const screens = bundle.packs.reduce((n, p) => n + p.screens.length, 0);
console.log(
  `rules:check: ${files.length} file(s), ${bundle.packs.length} pack(s), ${screens} screen(s), ${rules} rule(s); ` +
    `${errors} error(s), ${diagnostics.length - errors} warning(s)`,
);
process.exitCode = errors > 0 ? 1 : 0;
