import { useEffect, useState } from 'react';
import type { Translate } from '../../lib/i18n';
import type { PageMessage } from '../../lib/messages';
import type { SyncStatus as Status } from '../../lib/sync/sync-page';

/** Transparency: whether anything leaves this browser, to which host, and the last day sent. */
export function SyncStatus({ send, t }: { send: (m: PageMessage) => Promise<unknown>; t: Translate }) {
  const [status, setStatus] = useState<Status | null>(null);
  useEffect(() => {
    send({ type: 'sync:status' }).then(
      (s) => setStatus(s && typeof s === 'object' && 'active' in s ? (s as Status) : null),
      () => setStatus(null),
    );
  }, [send]);
  if (!status) return null;
  return (
    <section aria-label="Sync" data-testid="sync-status">
      {status.active ? (
        <>
          <p>{t('popupSyncOn', status.host ?? '')}</p>
          <p className="muted">{status.lastUploadDay ? t('popupSyncLast', status.lastUploadDay) : t('popupSyncNever')}</p>
          {status.lastError && <p className="warn">{t('popupSyncError')}</p>}
        </>
      ) : (
        <p className="muted">{t('popupSyncOff')}</p>
      )}
    </section>
  );
}
