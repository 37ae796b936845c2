import { useEffect, useState } from 'react';
import { POLICY_KEYS, type PolicyError } from '../../lib/policy/policy';
import type { Send } from './sections';

interface PolicyReply {
  policy: Record<string, unknown>;
  errors: PolicyError[];
}

/** What enterprise policy sets on this browser: every key, its value (secrets masked) and errors. */
export function PolicySection({ send }: { send: Send }) {
  const [reply, setReply] = useState<PolicyReply | { error: string } | null>(null);
  useEffect(() => {
    send({ type: 'settings:policy' }).then(
      (r) => setReply(r as PolicyReply),
      () => setReply({ error: 'Could not reach the extension. Reload this page.' }),
    );
  }, [send]);
  if (!reply) return <p className="muted">Loading…</p>;
  if ('error' in reply) return <p role="alert" className="error">{reply.error}</p>;
  const set = POLICY_KEYS.filter((k) => reply.policy[k] !== undefined);
  return (
    <>
      <p className="muted">
        Your organisation can set these for every browser (Chrome and Edge enterprise policy). A value set here is locked
        everywhere it appears in these settings.
      </p>
      {reply.errors.length > 0 && (
        <div role="alert" className="error">
          <p>Some policy values could not be used:</p>
          <ul>
            {reply.errors.map((e) => (
              <li key={e.key}>
                <code>{e.key}</code>: {e.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      {set.length === 0 ? (
        <p>No policy is set on this browser.</p>
      ) : (
        <table>
          <caption className="visually-hidden">Policy values in force</caption>
          <thead>
            <tr>
              <th scope="col">Key</th>
              <th scope="col">Value</th>
            </tr>
          </thead>
          <tbody>
            {set.map((k) => (
              <tr key={k}>
                <th scope="row">
                  <code>{k}</code> <span className="lock">🔒 set by policy</span>
                </th>
                <td>
                  <code>{JSON.stringify(reply.policy[k])}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
