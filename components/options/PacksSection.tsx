import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { browser } from 'wxt/browser';
import type { Send } from './sections';
import type { PackListEntry, RemoteEntry } from '../../lib/packs/pack-manager';
import { Lock } from './Lock';

interface ListReply {
  packs: PackListEntry[];
  remotes: RemoteEntry[];
  keys: string[];
  lockedKeys: boolean;
  precedence: string[];
  adminMode: boolean;
  lockedAdminMode: boolean;
}
type Reply = { ok?: boolean; error?: string; diagnostics?: Array<{ file: string; line: number; column: number; message: string }> };

const when = (iso?: string) => (iso ? new Date(iso).toLocaleString() : 'never');

/** The pack manager: which packs are in force, from where, their health, stage and switches. */
export function PacksSection({ send }: { send: Send }) {
  const [list, setList] = useState<ListReply | { error: string } | null>(null);
  const [status, setStatus] = useState<{ ok: boolean; text: string; details?: string[] } | null>(null);
  const reload = useCallback(
    () =>
      send({ type: 'packs:list' }).then(
        (r) => setList(r as ListReply),
        () => setList({ error: 'Could not reach the extension. Reload this page.' }),
      ),
    [send],
  );
  useEffect(() => void reload(), [reload]);

  /** Send a change, show its outcome, and show the list as it now stands. */
  const act = async (message: Parameters<Send>[0], done: string) => {
    const reply = (await send(message).catch(() => ({ error: 'Could not reach the extension.' }))) as Reply;
    setStatus(
      reply.error
        ? { ok: false, text: reply.error, details: reply.diagnostics?.map((d) => `${d.file}:${d.line}:${d.column} ${d.message}`) }
        : { ok: true, text: done },
    );
    await reload();
    return reply;
  };

  if (!list) return <p className="muted">Loading…</p>;
  if ('error' in list) return <p role="alert" className="error">{list.error}</p>;

  return (
    <>
      <p className="muted">
        Where a pack comes from decides which version is in force: {list.precedence.join(' › ')} (the first one that has the pack wins).
      </p>
      <div aria-live="polite">
        {status && (
          <div role={status.ok ? 'status' : 'alert'} className={status.ok ? 'ok' : 'error'} data-testid="packs-status">
            <p>{status.text}</p>
            {status.details && status.details.length > 0 && (
              <ul>
                {status.details.slice(0, 20).map((d) => (
                  <li key={d}>
                    <code>{d}</code>
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}
      </div>

      <h2>Packs</h2>
      <table>
        <caption className="visually-hidden">Rule packs</caption>
        <thead>
          <tr>
            <th scope="col">Pack</th>
            <th scope="col">Version and source</th>
            <th scope="col">Health</th>
            <th scope="col">On</th>
            <th scope="col">Live stage</th>
            <th scope="col">File</th>
          </tr>
        </thead>
        <tbody>
          {list.packs.map((p) => (
            <PackRow key={p.id} pack={p} act={act} send={send} />
          ))}
        </tbody>
      </table>

      {list.adminMode && <ImportForm act={act} />}

      <h2>Remote packs</h2>
      <p className="muted">Signed packs fetched over HTTPS and checked against the trusted keys; refreshed every few hours.</p>
      <RemoteList remotes={list.remotes} act={act} />

      <h2>Trusted keys</h2>
      <KeysForm keys={list.keys} locked={list.lockedKeys} act={act} />

      {!list.adminMode && (
        <p className="muted">
          Authoring (editor, import) is turned off on this browser <Lock />
        </p>
      )}
    </>
  );
}

type Act = (message: Parameters<Send>[0], done: string) => Promise<Reply>;

function PackRow({ pack: p, act, send }: { pack: PackListEntry; act: Act; send: Send }) {
  const [hostsGranted, setHostsGranted] = useState<boolean | null>(null);
  const origins = p.hosts.map((h) => `${h}/*`);
  useEffect(() => {
    browser.permissions.contains({ origins }).then(setHostsGranted, () => setHostsGranted(null));
  }, [origins.join(' ')]);
  const exportFile = async () => {
    const reply = (await send({ type: 'packs:export', pack: p.id })) as { filename: string; text: string } | { error: string };
    if ('error' in reply) return;
    const url = URL.createObjectURL(new Blob([reply.text], { type: 'application/json' }));
    const a = Object.assign(document.createElement('a'), { href: url, download: reply.filename });
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  const also = p.available.slice(1).map((a) => `${a.source} ${a.version}`);
  return (
    <tr data-pack={p.id}>
      <th scope="row">
        {p.name} <code className="muted">{p.id}</code>
        {p.error && (
          <p role="alert" className="error" data-testid="pack-error">
            {p.error}
          </p>
        )}
        {hostsGranted === false && (
          <p>
            <button type="button" onClick={() => void browser.permissions.request({ origins }).then(setHostsGranted)}>
              Allow on {p.hosts.join(', ')}
            </button>
          </p>
        )}
      </th>
      <td>
        <span data-testid="pack-version">{p.version}</span> · <span data-testid="pack-source">{p.source}</span>
        {also.length > 0 && <div className="muted">also: {also.join(', ')}</div>}
      </td>
      <td>
        {p.health.missing === 0 ? (
          <span className="ok">all targets found</span>
        ) : (
          <details>
            <summary>{p.health.missing} rule(s) not found recently</summary>
            <ul>
              {p.health.rules.map((r) => (
                <li key={r}>
                  <code>{r}</code>
                </li>
              ))}
            </ul>
          </details>
        )}
      </td>
      <td>
        <input
          type="checkbox"
          aria-label={`${p.name} on`}
          checked={p.enabled}
          disabled={p.lockedEnabled}
          onChange={(e) => void act({ type: 'packs:set-enabled', pack: p.id, enabled: e.target.checked }, `${p.name} ${e.target.checked ? 'on' : 'off'}.`)}
        />
        {p.lockedEnabled && <Lock />}
      </td>
      <td>
        {p.stages.length === 0 ? (
          <span className="muted">no stages</span>
        ) : (
          <>
            <select
              aria-label={`${p.name} live stage`}
              value={p.liveStage ?? ''}
              disabled={p.lockedStage}
              onChange={(e) => void act({ type: 'packs:set-stage', pack: p.id, stage: e.target.value || null }, `${p.name}: live stage changed.`)}
            >
              {p.stages.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.title}
                </option>
              ))}
            </select>
            {p.lockedStage && <Lock />}
          </>
        )}
      </td>
      <td>
        <button type="button" onClick={() => void exportFile()}>
          Export
        </button>
      </td>
    </tr>
  );
}

function ImportForm({ act }: { act: Act }) {
  return (
    <>
      <h2>Import a pack</h2>
      <label htmlFor="pack-import">Pack file (.crmpack.json)</label>
      <input
        id="pack-import"
        type="file"
        accept=".json,.yaml,.yml,application/json"
        onChange={async (e) => {
          const file = e.target.files?.[0];
          if (!file) return;
          await act({ type: 'packs:import', text: await file.text() }, `Imported ${file.name}.`);
          e.target.value = '';
        }}
      />
    </>
  );
}

function RemoteList({ remotes, act }: { remotes: RemoteEntry[]; act: Act }) {
  const [url, setUrl] = useState('');
  const add = async (e: FormEvent) => {
    e.preventDefault();
    const reply = await act({ type: 'packs:remote-add', url }, 'Remote pack added.');
    if (!reply.error || reply.ok) setUrl('');
  };
  return (
    <>
      {remotes.length === 0 ? (
        <p>No remote packs.</p>
      ) : (
        <table>
          <caption className="visually-hidden">Remote packs</caption>
          <thead>
            <tr>
              <th scope="col">URL</th>
              <th scope="col">Pack in force</th>
              <th scope="col">Last refresh</th>
              <th scope="col">Last error</th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {remotes.map((r) => (
              <tr key={r.url} data-remote={r.url}>
                <th scope="row">
                  <code>{r.url}</code> {r.locked && <Lock />}
                </th>
                <td>{r.pack ? `${r.pack} ${r.version}` : <span className="muted">none yet</span>}</td>
                <td>{when(r.lastRefresh)}</td>
                <td>
                  {r.lastError ? (
                    <span role="alert" className="error" data-testid="remote-error">
                      {r.lastError} ({when(r.lastAttempt)})
                    </span>
                  ) : (
                    <span className="muted">none</span>
                  )}
                </td>
                <td>{!r.locked && <button type="button" onClick={() => void act({ type: 'packs:remote-remove', url: r.url }, 'Removed.')}>Remove</button>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form onSubmit={(e) => void add(e)}>
        <label htmlFor="remote-url">Add a remote pack (HTTPS URL)</label>
        <input id="remote-url" type="url" required value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://packs.example.com/salesforce.crmpack.json" />{' '}
        <button type="submit" className="primary">
          Add
        </button>{' '}
        <button type="button" onClick={() => void act({ type: 'packs:remote-refresh' }, 'Remote packs refreshed.')}>
          Refresh now
        </button>
      </form>
    </>
  );
}

function KeysForm({ keys, locked, act }: { keys: string[]; locked: boolean; act: Act }) {
  const [text, setText] = useState(keys.join('\n'));
  useEffect(() => setText(keys.join('\n')), [keys.join('\n')]);
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void act({ type: 'packs:keys-set', keys: text.split('\n').map((k) => k.trim()).filter(Boolean) }, 'Trusted keys saved.');
      }}
    >
      <label htmlFor="trusted-keys">
        Public keys remote packs must be signed with (one per line, from <code>npm run rules:keygen</code>) {locked && <Lock />}
      </label>
      <textarea id="trusted-keys" rows={3} value={text} disabled={locked} onChange={(e) => setText(e.target.value)} spellCheck={false} />
      {!locked && (
        <p>
          <button type="submit">Save keys</button>
        </p>
      )}
    </form>
  );
}
