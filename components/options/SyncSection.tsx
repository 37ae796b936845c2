import { useCallback, useEffect, useId, useState } from 'react';
import { browser } from 'wxt/browser';
import { SYNC_STATE_KEY } from '../../lib/sync/sync-config';
import type { SyncStatus } from '../../lib/sync/sync-page';
import type { Send } from './sections';
import { Lock } from './Lock';

interface SharedComment {
  id: number;
  day: string;
  rule: string;
  kind: string;
  text: string;
  shared: boolean;
  sent: boolean;
}

const when = (ms: number | undefined) => (ms === undefined ? '—' : new Date(ms).toLocaleString());

/**
 * Sync: where daily aggregates go (endpoint, token, on/off), its status in plain words, and which
 * of the user's comments may leave. The token is write-only: once saved it is never shown again.
 */
export function SyncSection({ send }: { send: Send }) {
  const [status, setStatus] = useState<SyncStatus | { error: string } | null>(null);
  const [endpoint, setEndpoint] = useState('');
  const [token, setToken] = useState('');
  const [enabled, setEnabled] = useState(false);
  const [notice, setNotice] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [comments, setComments] = useState<SharedComment[]>([]);
  const ids = { endpoint: useId(), token: useId(), enabled: useId() };

  const refresh = useCallback(async () => {
    try {
      const s = (await send({ type: 'sync:status' })) as SyncStatus;
      setStatus(s);
      setComments((await send({ type: 'sync:comments' })) as SharedComment[]);
      return s;
    } catch {
      setStatus({ error: 'Could not reach the extension. Reload this page.' });
      return undefined;
    }
  }, [send]);

  useEffect(() => {
    void refresh().then((s) => {
      if (!s) return;
      setEndpoint(s.endpoint.value ?? '');
      setEnabled(s.enabled.value);
    });
    // The background writes its sync state after every attempt: show each change as it happens.
    const onChanged = (changes: Record<string, unknown>, areaName: string) => {
      if (areaName === 'local' && SYNC_STATE_KEY in changes) void refresh();
    };
    browser.storage.onChanged.addListener(onChanged);
    return () => browser.storage.onChanged.removeListener(onChanged);
  }, [refresh]);

  if (!status) return <p className="muted">Loading…</p>;
  if ('error' in status) return <p role="alert" className="error">{status.error}</p>;

  const act = async (message: Parameters<Send>[0], done: (reply: any) => { ok: boolean; text: string } | null) => {
    setBusy(true);
    setNotice(null);
    try {
      setNotice(done(await send(message)));
    } finally {
      setBusy(false);
      await refresh();
    }
  };
  const save = () =>
    act({ type: 'sync:save', enabled, endpoint, ...(token && { token }) }, (r) => {
      if (r?.error) return { ok: false, text: r.error };
      setToken('');
      return { ok: true, text: 'Saved.' };
    });

  const error = status.lastError;
  return (
    <>
      <p className="muted">
        When sync is on, this browser sends its organisation's collector the <strong>daily totals</strong> of what CRM Coach
        recorded (counts per day, screen, rule and signal type; no text, names, values or addresses from the CRM), and the
        comments you chose to share below. Each day goes with a new random id, so days cannot be linked to each other or to you.
        Only days after sync was first turned on are sent{status.since ? ` (from ${status.since})` : ''}; nothing recorded
        earlier leaves this browser.
      </p>

      <form
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <label htmlFor={ids.enabled} className="check">
          <input
            id={ids.enabled}
            type="checkbox"
            checked={status.enabled.locked ? status.enabled.value : enabled}
            disabled={status.enabled.locked}
            onChange={(e) => setEnabled(e.target.checked)}
          />{' '}
          Send daily totals to the collector {status.enabled.locked && <Lock />}
        </label>

        <label htmlFor={ids.endpoint}>Collector address {status.endpoint.locked && <Lock />}</label>
        <input
          id={ids.endpoint}
          type="url"
          placeholder="https://collector.example.com"
          value={status.endpoint.locked ? (status.endpoint.value ?? '') : endpoint}
          disabled={status.endpoint.locked}
          onChange={(e) => setEndpoint(e.target.value)}
          aria-describedby={`${ids.endpoint}-hint`}
        />
        <p id={`${ids.endpoint}-hint`} className="muted">
          https only (plain http is allowed for a collector on this computer: 127.0.0.1 or localhost).
        </p>

        <label htmlFor={ids.token}>Upload token {status.token.locked && <Lock />}</label>
        <input
          id={ids.token}
          type="password"
          autoComplete="off"
          placeholder={status.token.set ? 'saved (hidden); type to replace' : 'the organisation’s upload token'}
          value={token}
          disabled={status.token.locked}
          onChange={(e) => setToken(e.target.value)}
        />
        <p>
          <button type="submit" className="primary" disabled={busy}>
            Save
          </button>{' '}
          <button type="button" disabled={busy || !status.active} onClick={() => void act({ type: 'sync:test' }, (r) => ({ ok: !!r?.ok, text: String(r?.message ?? '') }))}>
            Test connection
          </button>{' '}
          <button type="button" disabled={busy || !status.active} onClick={() => void act({ type: 'sync:now' }, () => null)}>
            Sync now
          </button>
        </p>
      </form>
      {notice && (
        <p role={notice.ok ? 'status' : 'alert'} className={notice.ok ? 'ok' : 'error'} data-testid="sync-notice">
          {notice.text}
        </p>
      )}

      <h2>Status</h2>
      {status.problem && status.enabled.value && (
        <p role="alert" className="error">
          Sync is not running: {status.problem}
        </p>
      )}
      {error && (
        <p role="alert" className="error" data-testid="sync-error">
          {error.message} <span className="muted">({when(error.at)})</span>
          {status.blocked && ' Sync is paused until the token or address changes, or you press “Sync now”.'}
        </p>
      )}
      <table data-testid="sync-status">
        <tbody>
          <tr>
            <th scope="row">Sync</th>
            <td>{status.active ? `on, to ${status.host}` : 'off: nothing leaves this browser'}</td>
          </tr>
          <tr>
            <th scope="row">Last upload</th>
            <td>
              {when(status.lastUploadAt)}
              {status.lastUploadDay && ` (newest day sent: ${status.lastUploadDay})`}
            </td>
          </tr>
          <tr>
            <th scope="row">Batches waiting</th>
            <td data-testid="sync-waiting">{status.waiting}</td>
          </tr>
          <tr>
            <th scope="row">Next attempt</th>
            <td>{status.nextAttemptAt !== undefined ? when(status.nextAttemptAt) : status.active ? 'at the next check (every 30 minutes)' : '—'}</td>
          </tr>
          {status.rejected > 0 && (
            <tr>
              <th scope="row">Refused by the collector</th>
              <td>{status.rejected} batch(es), kept on this device and not sent again</td>
            </tr>
          )}
          {status.late > 0 && (
            <tr>
              <th scope="row">Recorded after their day was sent</th>
              <td>{status.late} signal(s): kept on this device, not sent (a day is sent once)</td>
            </tr>
          )}
        </tbody>
      </table>

      <h2>Your comments</h2>
      <p className="muted">
        Comments you wrote in feedback stay on this device unless you tick “Share” here. A shared comment is sent with the next
        upload, without any id; once sent it cannot be taken back.
      </p>
      {comments.length === 0 ? (
        <p>No comments.</p>
      ) : (
        <table>
          <caption className="visually-hidden">Your feedback comments</caption>
          <thead>
            <tr>
              <th scope="col">Day</th>
              <th scope="col">Comment</th>
              <th scope="col">Share</th>
            </tr>
          </thead>
          <tbody>
            {comments.map((c) => (
              <tr key={c.id}>
                <td>{c.day}</td>
                <td>
                  <span className="muted">{c.kind}</span> {c.text}
                </td>
                <td>
                  {c.sent ? (
                    'sent'
                  ) : (
                    <label className="check">
                      <input
                        type="checkbox"
                        checked={c.shared}
                        onChange={(e) => void act({ type: 'sync:share', id: c.id, shared: e.target.checked }, () => null)}
                      />{' '}
                      Share with my organisation
                    </label>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
