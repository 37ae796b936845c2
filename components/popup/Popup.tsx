/**
 * The salesperson's own view: time saved, exactly what is recorded (the same counts IndexedDB
 * holds, per day), the policy, pause (all or per category), download and delete. Everything
 * goes through the background, the one writer of stored data.
 */
import { InsightsLink } from '../insights/InsightsLink';
import { useCallback, useEffect, useState } from 'react';
import type { PrivacySummary } from '../../lib/background/handle-page-message';
import { createTranslator, formatDuration, type MessageKey } from '../../lib/i18n';
import { SIGNAL_CATEGORIES, type PageMessage, type SignalCategory } from '../../lib/messages';
import { localize } from '../../lib/rules/compiled';
import { popupCss } from './styles';
import { SyncStatus } from './SyncStatus';

export function Popup({ send }: { send: (m: PageMessage) => Promise<unknown> }) {
  const [summary, setSummary] = useState<PrivacySummary | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [confirmWipe, setConfirmWipe] = useState(false);
  const refresh = useCallback(async () => setSummary((await send({ type: 'privacy:summary' })) as PrivacySummary), [send]);
  useEffect(() => void refresh(), [refresh]);

  const locale = summary?.locale ?? navigator.language;
  const t = createTranslator(locale);
  const label = (key: string) => t(key.replaceAll('-', '_') as MessageKey);
  // Guidance types have their own words; friction detectors share one plain description.
  const typeLabel = (type: string) => {
    const key = `type_${type}`.replaceAll('-', '_');
    const text = label(key);
    return text === key ? t('type_other') : text;
  };
  if (!summary) return <style>{popupCss}</style>;
  const month = new Date().toISOString().slice(0, 7);
  const saved = summary.ledger[month] ?? 0;

  const setPause = async (all: boolean, categories: SignalCategory[]) => {
    // Show the new state at once (a controlled checkbox would otherwise flick back until the
    // background answers); the refresh then shows what the background stored.
    setSummary({ ...summary, paused: { all, categories } });
    await send({ type: 'privacy:pause', all, categories });
    await refresh();
  };
  const download = async () => {
    const data = await send({ type: 'privacy:export' });
    const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `crm-coach-my-data-${new Date().toISOString().slice(0, 10)}.json`;
    a.click();
    URL.revokeObjectURL(url);
  };

  return (
    <main lang={summary.locale ?? undefined}>
      <style>{popupCss}</style>
      <h1>{t('popupTitle')}</h1>
      <section className="ledger" aria-labelledby="ledger-title">
        <h2 id="ledger-title" className="visually-hidden">
          {t('popupSavedThisMonth', '')}
        </h2>
        <p className="big">{saved > 0 ? t('popupSavedThisMonth', formatDuration(saved, t)) : t('popupNothingSavedYet')}</p>
        {summary.walkthroughsCompleted > 0 && <p>{t('popupWalkthroughsDone', summary.walkthroughsCompleted)}</p>}
        {summary.stages.map((s) => (
          <p key={s.pack} data-testid={`stage-${s.pack}`}>
            {t('popupStageProgress', localize(s.packName, locale), localize(s.stage, locale), s.done, s.total)}
          </p>
        ))}
      </section>

      <section aria-labelledby="recorded-title">
        <h2 id="recorded-title">{t('popupWhatIsRecorded')}</h2>
        <p className="muted">{t('popupRecordedIntro')}</p>
        <p data-testid="recorded-total">{t('popupRecordedTotal', summary.total)}</p>
        {summary.days.length === 0 ? (
          <p className="muted">{t('popupNoEntries')}</p>
        ) : (
          <ul className="days">
            {summary.days.map((d) => (
              <li key={d.day} data-day={d.day}>
                <details>
                  <summary>
                    <time dateTime={d.day}>{d.day}</time> · <span data-testid="day-total">{d.total}</span>
                  </summary>
                  <ul>
                    {Object.entries(d.byType).map(([type, n]) => (
                      <li key={type}>
                        {typeLabel(type)}: {n}
                      </li>
                    ))}
                  </ul>
                </details>
              </li>
            ))}
          </ul>
        )}
        <p className="muted">{t('popupCommentsKept', summary.comments)}</p>
        <SyncStatus send={send} t={t} />
        <InsightsLink send={send} />
      </section>

      <section aria-labelledby="policy-title">
        <h2 id="policy-title">{t('popupPolicy')}</h2>
        <p className="muted">{t('popupPolicyText', summary.limits.maxAgeDays, summary.limits.maxRows)}</p>
        {summary.health.dropped.age + summary.health.dropped.count > 0 && (
          <p className="muted">{t('popupDropped', summary.health.dropped.age + summary.health.dropped.count)}</p>
        )}
        {summary.health.failedSignals > 0 && <p className="warn">{t('popupFailed', summary.health.failedSignals)}</p>}
      </section>

      <section aria-labelledby="pause-title">
        <h2 id="pause-title">{t('popupPause')}</h2>
        <label className="check">
          <input type="checkbox" checked={summary.paused.all} onChange={(e) => void setPause(e.target.checked, summary.paused.categories)} />
          {t('popupPauseAll')}
        </label>
        <fieldset disabled={summary.paused.all}>
          <legend className="visually-hidden">{t('popupPause')}</legend>
          {SIGNAL_CATEGORIES.map((c) => (
            <label key={c} className="check">
              <input
                type="checkbox"
                checked={summary.paused.all || summary.paused.categories.includes(c)}
                onChange={(e) =>
                  void setPause(false, e.target.checked ? [...summary.paused.categories, c] : summary.paused.categories.filter((x) => x !== c))
                }
              />
              {label(`popupCategory_${c}`)}
            </label>
          ))}
        </fieldset>
      </section>

      <section className="row">
        <button type="button" onClick={() => void download()}>
          {t('popupDownload')}
        </button>
        {!confirmWipe ? (
          <button type="button" className="danger" onClick={() => setConfirmWipe(true)}>
            {t('popupWipe')}
          </button>
        ) : (
          <div role="alertdialog" aria-labelledby="wipe-q" className="confirm">
            <p id="wipe-q">{t('popupWipeConfirm')}</p>
            <button
              type="button"
              className="danger"
              onClick={async () => {
                await send({ type: 'privacy:wipe' });
                setConfirmWipe(false);
                setNotice(t('popupWiped'));
                await refresh();
              }}
            >
              {t('popupWipe')}
            </button>
            <button type="button" onClick={() => setConfirmWipe(false)}>
              {t('close')}
            </button>
          </div>
        )}
      </section>
      {notice && (
        <p role="status" className="notice">
          {notice}
        </p>
      )}

      <section>
        <label className="field">
          {t('popupLanguage')}
          <select
            value={summary.locale ?? ''}
            onChange={async (e) => {
              await send({ type: 'settings:locale', locale: e.target.value || null });
              await refresh();
            }}
          >
            <option value="">{t('popupLanguageBrowser')}</option>
            <option value="en">English</option>
            <option value="nb">Norsk bokmål</option>
          </select>
        </label>
      </section>
    </main>
  );
}
