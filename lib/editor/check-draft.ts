/**
 * The editor's checks are the compiler's: `compileRules` over every file of the pack being
 * edited (references between files need them all), the same diagnostics `npm run rules:check`
 * prints. Here they are mapped to editor positions (offsets) of the file on screen.
 */
import { compileRules, type SourceFile } from '../rules/compile';
import type { CompiledPack } from '../rules/compiled';
import type { Diagnostic } from '../rules/diagnostics';

export interface DraftFile {
  /** Relative to the pack folder: "contact-list.tooltips.yaml". */
  path: string;
  text: string;
}

export interface DraftCheck {
  diagnostics: Diagnostic[];
  errors: number;
  pack: CompiledPack | undefined;
}

/** Files as the compiler wants them: "<pack>/<file>" (paths that already say the pack are kept). */
export function toSourceFiles(pack: string, files: readonly DraftFile[]): SourceFile[] {
  return files.map((f) => ({ path: f.path.startsWith(`${pack}/`) ? f.path : `${pack}/${f.path}`, text: f.text }));
}

/** The pack-relative path a diagnostic's file names. */
export const fileOfDiagnostic = (pack: string, d: Diagnostic): string => (d.file.startsWith(`${pack}/`) ? d.file.slice(pack.length + 1) : d.file);

export function checkDraft(pack: string, files: readonly DraftFile[]): DraftCheck {
  const { bundle, diagnostics } = compileRules(toSourceFiles(pack, files));
  return {
    diagnostics,
    errors: diagnostics.filter((d) => d.severity === 'error').length,
    pack: bundle.packs.find((p) => p.id === pack),
  };
}

export interface EditorDiagnostic {
  from: number;
  to: number;
  severity: 'error' | 'warning';
  message: string;
  /** "line:column  path" as rules:check prints it, for the list under the editor. */
  where: string;
}

/** Offset of a 1-based line and column in `text`, clamped to the text. */
export function offsetOf(text: string, line: number, column: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const next = text.indexOf('\n', offset);
    if (next < 0) return text.length;
    offset = next + 1;
  }
  const end = text.indexOf('\n', offset);
  const lineEnd = end < 0 ? text.length : end;
  return Math.min(offset + Math.max(0, column - 1), lineEnd);
}

/**
 * One file's diagnostics as editor ranges: from the reported column to the end of the token
 * there (a key, a scalar), so the squiggle covers the word the message is about.
 */
export function editorDiagnostics(pack: string, path: string, text: string, diagnostics: readonly Diagnostic[]): EditorDiagnostic[] {
  return diagnostics
    .filter((d) => fileOfDiagnostic(pack, d) === path)
    .map((d) => {
      const from = offsetOf(text, d.line, d.column);
      const rest = text.slice(from);
      const token = /^("[^"\n]*"|'[^'\n]*'|[^\s:,\]}#]+)/.exec(rest)?.[0].length ?? 0;
      const lineEnd = rest.indexOf('\n') < 0 ? rest.length : rest.indexOf('\n');
      const to = from + (token > 0 ? token : Math.min(1, lineEnd));
      return { from, to, severity: d.severity, message: d.message, where: `${d.line}:${d.column}  ${d.path || '(file)'}` };
    });
}
