/**
 * The pack editor (issue #7): choose a pack and a file, edit it as YAML or, for a tooltip, in a
 * form; the compiler's diagnostics show as you type; drafts are kept in storage.local until
 * published; "pick on page" and "preview" act on the CRM tab used last.
 *
 * Loading and publishing go through the pack manager (packs:source, packs:publish); picking and
 * preview through the background's authoring tools (admin:pick, admin:preview).
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { stringify } from 'yaml';
import { browser } from 'wxt/browser';
import { YamlEditor, type YamlEditorHandle } from '../editor/YamlEditor';
import { TooltipFormView } from '../editor/TooltipFormView';
import { checkDraft, editorDiagnostics, fileOfDiagnostic, type DraftCheck, type DraftFile } from '../../lib/editor/check-draft';
import { debounced, discardDraft, isChanged, loadDraft, saveDraft, type DraftArea } from '../../lib/editor/drafts';
import { kindOfPath, type JsonSchema } from '../../lib/editor/schema-complete';
import {
  emptyForm,
  formTargetOf,
  readTooltip,
  screensOf,
  tooltipKeys,
  tooltipsFileOf,
  writeTooltip,
  type TooltipForm,
} from '../../lib/editor/tooltip-form';
import { buildJsonSchema } from '../../lib/rules/json-schema';
import { formatDiagnostic, type Diagnostic } from '../../lib/rules/diagnostics';
import type { TargetStrategy } from '../../lib/rules/compiled';
import type { Send } from './sections';

interface PackEntry {
  id: string;
  name: string;
  version: string;
  source: string;
}
interface ListReply {
  packs: PackEntry[];
  adminMode?: boolean;
  lockedAdminMode?: boolean;
}
type Status = { kind: 'ok' | 'error' | 'info'; text: string; details?: string[] } | null;

const RULE_KEY = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const CHECK_DELAY_MS = 300;
const SAVE_DELAY_MS = 500;

const editorCss = `
.editor-bar { display: flex; flex-wrap: wrap; gap: 8px 16px; align-items: end; margin-bottom: 10px; }
.editor-bar label { margin: 0 0 4px; }
.editor-actions { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin: 12px 0; }
.view-switch button[aria-pressed="true"] { background: #e8f0fe; border-color: #1a56db; color: #1a4fb4; font-weight: 600; }
.form-view { border: 1px solid #d5dde5; border-radius: 8px; background: #fff; padding: 8px 16px 16px; }
.form-view fieldset { border: 1px solid #e3e8ee; border-radius: 6px; margin: 12px 0; }
.diagnostics { list-style: none; padding: 0; margin: 8px 0; font: 12px/1.5 ui-monospace, monospace; }
.diagnostics li { padding: 2px 0; }
.diagnostics .error-line { color: #9f1239; }
.diagnostics .warning-line { color: #6b4f00; }
.draft-note { font-size: 13px; }
`;

const schema = buildJsonSchema() as JsonSchema;

function useDraftArea(): DraftArea {
  return browser.storage.local as unknown as DraftArea;
}

export function EditorSection({ send }: { send: Send }) {
  const area = useDraftArea();
  const [list, setList] = useState<ListReply | { error: string } | null>(null);
  const [pack, setPack] = useState('');
  const [published, setPublished] = useState<DraftFile[] | null>(null);
  const [files, setFiles] = useState<DraftFile[]>([]);
  const [draftSavedAt, setDraftSavedAt] = useState<number | null>(null);
  const [path, setPath] = useState('');
  const [view, setView] = useState<'form' | 'yaml'>('form');
  const [screen, setScreen] = useState('');
  const [isNew, setIsNew] = useState(true);
  const [form, setForm] = useState<TooltipForm>(emptyForm());
  const [writtenKey, setWrittenKey] = useState<string | undefined>(undefined);
  const [formError, setFormError] = useState('');
  const [check, setCheck] = useState<DraftCheck | null>(null);
  const [status, setStatus] = useState<Status>(null);
  const [picking, setPicking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [previewId, setPreviewId] = useState('');
  const editor = useRef<YamlEditorHandle>(null);

  useEffect(() => {
    send({ type: 'packs:list' }).then(
      (r) => {
        const reply = r as ListReply | { error: string };
        setList(reply);
        if ('packs' in reply && reply.packs[0]) setPack((p) => p || reply.packs[0]!.id);
      },
      () => setList({ error: 'Could not reach the extension. Reload this page.' }),
    );
  }, [send]);

  // Load the pack: the published files, and the draft over them if there is one.
  useEffect(() => {
    if (!pack) return;
    let live = true;
    setPublished(null);
    setStatus(null);
    (async () => {
      const source = (await send({ type: 'packs:source', pack })) as { files: DraftFile[] } | { error: string };
      if (!live) return;
      if ('error' in source) {
        setStatus({ kind: 'error', text: source.error });
        return;
      }
      const draft = await loadDraft(area, pack).catch(() => undefined);
      if (!live) return;
      const start = draft?.files ?? source.files;
      setPublished(source.files);
      setFiles(start);
      setDraftSavedAt(draft?.savedAt ?? null);
      const screens = screensOf(start.map((f) => f.path));
      const first = screens[0] ?? '';
      setScreen(first);
      selectRule(start, first, null);
      setPath(start.some((f) => f.path === tooltipsFileOf(first)) ? tooltipsFileOf(first) : (start[0]?.path ?? ''));
    })().catch(() => live && setStatus({ kind: 'error', text: 'Could not load the pack.' }));
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [pack, send]);

  // Diagnostics: the whole pack compiled, debounced while typing.
  useEffect(() => {
    if (!pack || files.length === 0) return;
    const t = setTimeout(() => setCheck(checkDraft(pack, files)), CHECK_DELAY_MS);
    return () => clearTimeout(t);
  }, [pack, files]);

  // Drafts: saved on change (debounced) and on pagehide, until published or discarded.
  const latest = useRef({ pack, files, published });
  latest.current = { pack, files, published };
  const saver = useMemo(
    () =>
      debounced(() => {
        const { pack, files, published } = latest.current;
        if (!pack || !published || !isChanged(files, published)) return;
        const savedAt = Date.now();
        void saveDraft(area, { pack, files }, savedAt).then(() => setDraftSavedAt(savedAt));
      }, SAVE_DELAY_MS),
    [area],
  );
  useEffect(() => {
    if (published && isChanged(files, published)) saver.schedule();
  }, [files, published, saver]);
  useEffect(() => {
    const controller = new AbortController();
    window.addEventListener('pagehide', () => saver.flush(), { signal: controller.signal });
    return () => {
      controller.abort();
      saver.flush();
    };
  }, [saver]);

  const fileText = (p: string, list = files) => list.find((f) => f.path === p)?.text ?? '';
  const setFileText = (p: string, text: string) =>
    setFiles((list) => (list.some((f) => f.path === p) ? list.map((f) => (f.path === p ? { path: p, text } : f)) : [...list, { path: p, text }]));

  function selectRule(list: DraftFile[], screenId: string, key: string | null) {
    const existing = key ? readTooltip(fileText(tooltipsFileOf(screenId), list), key) : undefined;
    setIsNew(!existing);
    setForm(existing ?? emptyForm());
    setWrittenKey(existing ? existing.key : undefined);
    setFormError('');
  }

  const onForm = (next: TooltipForm) => {
    setForm(next);
    if (!RULE_KEY.test(next.key)) {
      setFormError('Give the tooltip a key: lower-case letters, digits and dashes, like "new-contact".');
      return;
    }
    const file = tooltipsFileOf(screen);
    const r = writeTooltip(fileText(file), next, writtenKey);
    if ('error' in r) {
      setFormError(r.error);
      return;
    }
    setFormError('');
    setWrittenKey(next.key);
    setFileText(file, r.text);
    setPath(file);
  };

  const onScreen = (s: string) => {
    setScreen(s);
    selectRule(files, s, null);
  };

  const switchView = (v: 'form' | 'yaml') => {
    // The YAML may have been edited: the form shows what the file says now.
    if (v === 'form' && !isNew) {
      const fresh = readTooltip(fileText(tooltipsFileOf(screen)), form.key);
      if (fresh) setForm(fresh);
    }
    if (v === 'yaml' && view === 'form' && files.some((f) => f.path === tooltipsFileOf(screen))) setPath(tooltipsFileOf(screen));
    setView(v);
  };

  const backToThisTab = useCallback(async () => {
    const tab = await browser.tabs.getCurrent().catch(() => undefined);
    if (tab?.id !== undefined) await browser.tabs.update(tab.id, { active: true }).catch(() => {});
  }, []);

  const pick = async () => {
    setPicking(true);
    setStatus({ kind: 'info', text: 'Picking in the CRM tab: click the element there (Esc cancels).' });
    try {
      const r = (await send({ type: 'admin:pick', pack, files })) as { target: TargetStrategy } | { cancelled: true } | { error: string };
      void backToThisTab();
      if ('error' in r) setStatus({ kind: 'error', text: r.error });
      else if ('cancelled' in r) setStatus({ kind: 'info', text: 'Picking was cancelled.' });
      else {
        if (view === 'form') onForm({ ...form, ...formTargetOf(r.target) });
        else editor.current?.insertAtCursor(stringify(r.target, { collectionStyle: 'flow' }).trim());
        setStatus({ kind: 'ok', text: `Target picked: ${stringify(r.target, { collectionStyle: 'flow' }).trim()}` });
      }
    } catch {
      setStatus({ kind: 'error', text: 'Could not reach the extension.' });
    } finally {
      setPicking(false);
    }
  };

  const formRuleId = `${pack}/${screen}.tooltips#${form.key}`;
  const previewable = useMemo(() => {
    const p = check?.pack;
    if (!p) return [];
    return [...p.rules.filter((r) => r.target.length > 0).map((r) => r.id), ...p.walkthroughs.map((w) => w.id)];
  }, [check]);
  const previewTarget = previewId && previewable.includes(previewId) ? previewId : previewable.includes(formRuleId) ? formRuleId : (previewable[0] ?? '');

  const preview = async () => {
    if (!previewTarget) return;
    setBusy(true);
    try {
      const r = (await send({ type: 'admin:preview', pack, files, id: previewTarget })) as { ok: true; tab: string } | { error: string };
      setStatus('error' in r ? { kind: 'error', text: r.error } : { kind: 'ok', text: `Previewing ${previewTarget} on ${r.tab} (not published).` });
    } finally {
      setBusy(false);
    }
  };

  const changed = published ? isChanged(files, published) : false;
  const errors = check?.errors ?? 0;
  const blockReason = !changed ? 'Nothing to publish: the draft equals the published version.' : errors > 0 ? `Fix the ${errors} error${errors === 1 ? '' : 's'} first: an invalid draft cannot be published.` : '';

  const publish = async () => {
    // Checked again now, not from the debounced result: what is sent is what was checked.
    const fresh = checkDraft(pack, files);
    setCheck(fresh);
    if (fresh.errors > 0) {
      setStatus({ kind: 'error', text: `Not published: ${fresh.errors} error(s).` });
      return;
    }
    setBusy(true);
    try {
      const r = (await send({ type: 'packs:publish', pack, files })) as { ok: true; version: string } | { error: string; diagnostics?: Diagnostic[] };
      if ('error' in r) {
        setStatus({ kind: 'error', text: r.error, details: r.diagnostics?.map(formatDiagnostic) });
        return;
      }
      saver.cancel();
      await discardDraft(area, pack);
      setPublished(files);
      setDraftSavedAt(null);
      setStatus({ kind: 'ok', text: `Published version ${r.version}. CRM tabs show it after a reload.` });
    } finally {
      setBusy(false);
    }
  };

  const discard = async () => {
    if (!published || !window.confirm('Discard the draft? Your unpublished changes to this pack are lost.')) return;
    saver.cancel();
    await discardDraft(area, pack);
    setFiles(published);
    setDraftSavedAt(null);
    selectRule(published, screen, null);
    setStatus({ kind: 'info', text: 'Draft discarded: the editor shows the published version.' });
  };

  if (!list) return <p className="muted">Loading…</p>;
  if ('error' in list) return <p role="alert" className="error">{list.error}</p>;
  if (list.adminMode === false) {
    return <p className="muted">Authoring is turned off on this browser by your organisation (policy “adminMode”).</p>;
  }

  const screens = screensOf(files.map((f) => f.path));
  const keys = tooltipKeys(fileText(tooltipsFileOf(screen)));
  const fileDiagnostics = check ? editorDiagnostics(pack, path, fileText(path), check.diagnostics) : [];
  const byFile = new Map<string, number>();
  for (const d of check?.diagnostics ?? []) if (d.severity === 'error') byFile.set(fileOfDiagnostic(pack, d), (byFile.get(fileOfDiagnostic(pack, d)) ?? 0) + 1);

  return (
    <>
      <style>{editorCss}</style>
      <p className="muted">
        Write tooltips, tips and walkthroughs for a pack. Changes are kept as a draft on this computer until you publish; what is
        published now stays live meanwhile.
      </p>
      <div className="editor-bar">
        <div>
          <label htmlFor="ed-pack">Pack</label>
          <select id="ed-pack" value={pack} onChange={(e) => setPack(e.target.value)}>
            {list.packs.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name} ({p.id} {p.version}, {p.source})
              </option>
            ))}
          </select>
        </div>
        <div className="view-switch" role="group" aria-label="View">
          <button type="button" aria-pressed={view === 'form'} onClick={() => switchView('form')}>
            Form
          </button>{' '}
          <button type="button" aria-pressed={view === 'yaml'} onClick={() => switchView('yaml')}>
            YAML
          </button>
        </div>
      </div>
      {draftSavedAt !== null && changed && (
        <p className="draft-note" data-testid="draft-note">
          Draft saved {new Date(draftSavedAt).toLocaleTimeString()}, not published.
        </p>
      )}

      {published === null ? (
        <p className="muted">Loading the pack…</p>
      ) : view === 'form' ? (
        <>
          <TooltipFormView
            screens={screens}
            screen={screen}
            onScreen={onScreen}
            keys={keys}
            form={form}
            isNew={isNew}
            onSelect={(key) => selectRule(files, screen, key)}
            onChange={onForm}
            onPick={pick}
            picking={picking}
          />
          {formError && (
            <p role="alert" className="error">
              {formError}
            </p>
          )}
        </>
      ) : (
        <>
          <label htmlFor="ed-file">File</label>
          <select id="ed-file" value={path} onChange={(e) => setPath(e.target.value)}>
            {files.map((f) => (
              <option key={f.path} value={f.path}>
                {f.path}
                {byFile.get(f.path) ? ` (${byFile.get(f.path)} error${byFile.get(f.path) === 1 ? '' : 's'})` : ''}
              </option>
            ))}
          </select>{' '}
          <button type="button" onClick={pick} disabled={picking}>
            {picking ? 'Picking in the CRM tab…' : 'Pick on page (insert at cursor)'}
          </button>
          <div style={{ marginTop: 8 }}>
            <YamlEditor
              ref={editor}
              value={fileText(path)}
              onChange={(text) => setFileText(path, text)}
              diagnostics={fileDiagnostics}
              kind={kindOfPath(path)}
              schema={schema}
              label={`YAML of ${path}`}
            />
          </div>
        </>
      )}

      <section aria-label="Problems">
        {check && check.diagnostics.length > 0 ? (
          <ul className="diagnostics" data-testid="diagnostics">
            {check.diagnostics.map((d, i) => (
              <li key={i} className={d.severity === 'error' ? 'error-line' : 'warning-line'}>
                {formatDiagnostic(d)}
              </li>
            ))}
          </ul>
        ) : check ? (
          <p className="ok">No problems found.</p>
        ) : null}
      </section>

      <div className="editor-actions">
        <label htmlFor="ed-preview" className="visually-hidden">
          What to preview
        </label>
        <select id="ed-preview" value={previewTarget} onChange={(e) => setPreviewId(e.target.value)} disabled={previewable.length === 0}>
          {previewable.map((id) => (
            <option key={id} value={id}>
              {id.slice(pack.length + 1)}
            </option>
          ))}
        </select>
        <button type="button" onClick={preview} disabled={busy || !previewTarget}>
          Preview on the CRM tab
        </button>
        <button type="button" className="primary" onClick={publish} disabled={busy || blockReason !== ''} aria-describedby="ed-publish-why">
          Publish
        </button>
        <button type="button" onClick={discard} disabled={busy || !changed}>
          Discard draft
        </button>
        <span id="ed-publish-why" className="muted">
          {blockReason}
        </span>
      </div>
      {status && (
        <div role={status.kind === 'error' ? 'alert' : 'status'} className={status.kind === 'error' ? 'error' : status.kind === 'ok' ? 'ok' : 'muted'}>
          <p>{status.text}</p>
          {status.details && (
            <ul>
              {status.details.map((d) => (
                <li key={d}>
                  <code>{d}</code>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </>
  );
}
