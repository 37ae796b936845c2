import { useId, useRef, useState } from 'react';
import type { PanelView } from '../../lib/content/panel-model';
import { formatDuration, type Translate } from '../../lib/i18n';
import { plainRichText, RichText } from './rich-text';

/**
 * The launcher (one small button the user can drag out of the way) and the help panel it opens:
 * what this screen offers, the walkthrough in progress, the live rollout stage with its
 * checklist, and the time CRM Coach saved this month.
 */
export function Launcher({ view, t }: { view: PanelView; t: Translate }) {
  const [open, setOpen] = useState(false);
  const [offset, setOffset] = useState({ x: 0, y: 0 });
  const drag = useRef<{ x: number; y: number; moved: boolean } | null>(null);
  const button = useRef<HTMLButtonElement>(null);
  const panelId = useId();

  const toggle = () => {
    if (!open) view.onOpen();
    setOpen(!open);
  };
  return (
    <div className="launcher-wrap" style={{ transform: `translate(${offset.x}px, ${offset.y}px)` }}>
      {open && (
        <HelpPanel
          id={panelId}
          view={view}
          t={t}
          onClose={() => {
            setOpen(false);
            button.current?.focus();
          }}
          // Starting or resuming a walkthrough closes the panel; the step takes the focus.
          onDone={() => setOpen(false)}
        />
      )}
      <button
        ref={button}
        type="button"
        className="launcher"
        aria-expanded={open}
        aria-controls={open ? panelId : undefined}
        aria-label={t('openHelp')}
        title={t('openHelp')}
        onPointerDown={(e) => {
          drag.current = { x: e.clientX - offset.x, y: e.clientY - offset.y, moved: false };
          e.currentTarget.setPointerCapture(e.pointerId);
        }}
        onPointerMove={(e) => {
          const d = drag.current;
          if (!d) return;
          const x = e.clientX - d.x;
          const y = e.clientY - d.y;
          if (Math.abs(x - offset.x) + Math.abs(y - offset.y) > 3) d.moved = true;
          if (d.moved) setOffset({ x, y });
        }}
        onPointerUp={() => {
          const moved = drag.current?.moved;
          drag.current = null;
          if (!moved) toggle();
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter' || e.key === ' ') {
            e.preventDefault();
            toggle();
          }
        }}
      >
        <span aria-hidden="true">?</span>
        {view.active && !view.active.onThisScreen && <span className="launcher-badge" aria-hidden="true" />}
      </button>
    </div>
  );
}

function HelpPanel({ id, view, t, onClose, onDone }: { id: string; view: PanelView; t: Translate; onClose: () => void; onDone: () => void }) {
  const [query, setQuery] = useState('');
  const searchId = useId();
  const titleId = useId();
  const q = query.trim().toLowerCase();
  const hit = (...texts: Array<string | undefined>) => !q || texts.some((x) => x?.toLowerCase().includes(q));
  const walkthroughs = view.walkthroughs.filter((w) => hit(w.title, w.description));
  const tips = view.tips.filter((tip) => hit(tip.title, tip.text, tip.replaces));
  const empty = walkthroughs.length === 0 && tips.length === 0;
  return (
    <div
      id={id}
      className="panel"
      role="dialog"
      aria-labelledby={titleId}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          e.stopPropagation();
          onClose();
        }
      }}
    >
      <div className="panel-head">
        <h2 id={titleId}>
          {t('helpTitle')} · {view.screenTitle}
        </h2>
        <button type="button" className="icon" aria-label={t('close')} onClick={onClose}>
          ×
        </button>
      </div>
      {view.savedThisMonth > 0 && <p className="ledger">{t('savedThisMonth', formatDuration(view.savedThisMonth, t))}</p>}
      {view.active && (
        <section aria-label={t('continueWalkthrough', plainRichText(view.active.title))} className="active">
          <p>
            <strong>{t('continueWalkthrough', plainRichText(view.active.title))}</strong>
            <br />
            {t('continueOn', view.active.stepIndex + 1, view.active.steps, view.active.stepScreenTitle)}
          </p>
          {view.active.snoozed && (
            <button type="button" className="primary" onClick={() => (view.onResume(), onDone())}>
              {t('resume')}
            </button>
          )}
        </section>
      )}
      <label htmlFor={searchId} className="visually-hidden">
        {t('helpSearch')}
      </label>
      <input id={searchId} type="search" placeholder={t('helpSearch')} value={query} onChange={(e) => setQuery(e.target.value)} autoFocus />
      {empty && <p className="muted">{q ? t('noMatches') : t('nothingHere')}</p>}
      {walkthroughs.length > 0 && (
        <section>
          <h3>{t('walkthroughsHere')}</h3>
          <ul className="items">
            {walkthroughs.map((w) => (
              <li key={w.id}>
                <div>
                  <strong>
                    <RichText text={w.title} inline />
                  </strong>
                  {w.completed && <span className="badge">{t('completed')}</span>}
                  {w.description && (
                    <div className="muted">
                      <RichText text={w.description} inline />
                    </div>
                  )}
                </div>
                <button type="button" onClick={() => (view.onStart(w.id), onDone())} data-walkthrough={w.id}>
                  {w.completed ? t('restart') : t('start')}
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
      {tips.length > 0 && (
        <section>
          <h3>{t('tipsHere')}</h3>
          <ul className="items">
            {tips.map((tip) => (
              <li key={tip.id} data-tip={tip.id}>
                <div>
                  <strong>
                    <RichText text={tip.title} inline />
                  </strong>{' '}
                  {tip.learned && <span className="badge">{t('learned')}</span>}
                  <div className="muted">
                    {t('savesAbout', formatDuration(tip.savesSeconds, t))} · {t('insteadOf', tip.replaces)}
                  </div>
                </div>
              </li>
            ))}
          </ul>
        </section>
      )}
      {view.stage && (
        <section>
          <h3>{t('stageNow', view.stage.title)}</h3>
          {view.stage.description && <p className="muted">{view.stage.description}</p>}
          <ul className="checklist">
            {view.stage.checklist.map((item, i) => (
              <li key={i} data-done={item.done}>
                <span aria-hidden="true">{item.done ? '✓' : '○'}</span> <RichText text={item.label} inline />{' '}
                <span className="visually-hidden">({item.done ? t('done') : t('toDo')})</span>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
