/**
 * A CodeMirror 6 YAML editor: syntax highlighting, the compiler's diagnostics drawn inline
 * (computed by the section, debounced, over the whole pack) and completion of field names and
 * enum values from the JSON Schema at the cursor's YAML path.
 */
import { autocompletion, type CompletionContext, type CompletionResult } from '@codemirror/autocomplete';
import { yaml } from '@codemirror/lang-yaml';
import { lintGutter, setDiagnostics, type Diagnostic as CmDiagnostic } from '@codemirror/lint';
import { EditorView, basicSetup } from 'codemirror';
import { forwardRef, useEffect, useImperativeHandle, useRef } from 'react';
import type { EditorDiagnostic } from '../../lib/editor/check-draft';
import { completionsAt, type JsonSchema } from '../../lib/editor/schema-complete';
import { cursorContext } from '../../lib/editor/yaml-path';
import type { FileKind } from '../../lib/rules/schema';

export interface YamlEditorHandle {
  /** Insert text at the cursor (the picker's target in the YAML view). */
  insertAtCursor(text: string): void;
}

interface Props {
  value: string;
  onChange: (text: string) => void;
  diagnostics: EditorDiagnostic[];
  kind: FileKind | undefined;
  schema: JsonSchema;
  label: string;
}

export const YamlEditor = forwardRef<YamlEditorHandle, Props>(function YamlEditor({ value, onChange, diagnostics, kind, schema, label }, ref) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  // Latest props for CodeMirror's callbacks, which are created once.
  const latest = useRef({ onChange, kind, schema });
  latest.current = { onChange, kind, schema };

  useEffect(() => {
    const complete = (ctx: CompletionContext): CompletionResult | null => {
      const { kind, schema } = latest.current;
      if (!kind) return null;
      const c = cursorContext(ctx.state.doc.toString(), ctx.pos);
      if (!ctx.explicit && c.prefix === '' && c.at === 'key' && ctx.state.doc.lineAt(ctx.pos).text.trim() !== '') return null;
      const items = completionsAt(schema, kind, c.path, c.at, c.siblings);
      if (items.length === 0) return null;
      return {
        from: c.from,
        options: items.map((i) => ({
          label: i.label,
          type: i.kind === 'field' ? 'property' : 'enum',
          ...(i.detail && { info: i.detail }),
          ...(i.kind === 'field' && { apply: `${i.label}: ` }),
          ...(i.required && { boost: 1 }),
        })),
        validFor: /^[\w$-]*$/,
      };
    };
    const v = new EditorView({
      parent: host.current!,
      doc: value,
      extensions: [
        basicSetup,
        yaml(),
        lintGutter(),
        autocompletion({ override: [complete], activateOnTyping: true }),
        EditorView.contentAttributes.of({ 'aria-label': label }),
        EditorView.updateListener.of((u) => {
          if (u.docChanged) latest.current.onChange(u.state.doc.toString());
        }),
        EditorView.theme({ '&': { border: '1px solid #8a9bb0', borderRadius: '6px', background: '#fff', fontSize: '13px' }, '.cm-scroller': { minHeight: '320px', maxHeight: '60vh' } }),
      ],
    });
    view.current = v;
    return () => {
      v.destroy();
      view.current = null;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- created once; value is synced below
  }, []);

  // The form (or a file switch) changed the text: replace the document, keeping the cursor in range.
  useEffect(() => {
    const v = view.current;
    if (!v) return;
    const current = v.state.doc.toString();
    if (current === value) return;
    const head = Math.min(v.state.selection.main.head, value.length);
    v.dispatch({ changes: { from: 0, to: current.length, insert: value }, selection: { anchor: head } });
  }, [value]);

  useEffect(() => {
    const v = view.current;
    if (!v) return;
    const length = v.state.doc.length;
    const list: CmDiagnostic[] = diagnostics.map((d) => ({
      from: Math.min(d.from, length),
      to: Math.min(Math.max(d.to, d.from), length),
      severity: d.severity,
      message: d.message,
      source: d.where,
    }));
    v.dispatch(setDiagnostics(v.state, list));
  }, [diagnostics]);

  useImperativeHandle(ref, () => ({
    insertAtCursor(text: string) {
      const v = view.current;
      if (!v) return;
      const { from, to } = v.state.selection.main;
      v.dispatch({ changes: { from, to, insert: text }, selection: { anchor: from + text.length } });
      v.focus();
    },
  }));

  return <div ref={host} className="yaml-editor" data-testid="yaml-editor" />;
});
