import { useRef, useState } from 'react';
import type { TooltipView } from '../../lib/content/coach';
import { formatDuration, type Translate } from '../../lib/i18n';
import { Feedback } from './Feedback';
import { plainRichText, RichText } from './rich-text';
import { useAnchor } from './use-anchor';

/**
 * A tooltip or a "this saves you time" tip next to its target: a labelled, non-modal dialog.
 * Showing it never steals focus from the CRM; Esc closes it. As a beacon it is a small pulsing
 * dot until clicked.
 */
export function Tooltip({ view, t }: { view: TooltipView; t: Translate }) {
  // A beacon needs a target to sit on; without one the tooltip shows centred.
  const [open, setOpen] = useState(view.display !== 'beacon' || view.element === null);
  if (!open) return <Beacon view={view} t={t} onOpen={() => setOpen(true)} />;
  return <TooltipCard view={view} t={t} />;
}

function Beacon({ view, t, onOpen }: { view: TooltipView; t: Translate; onOpen: () => void }) {
  const ref = useRef<HTMLButtonElement>(null);
  useAnchor(view.element, ref, null, 'right', 4);
  return (
    <button
      ref={ref}
      type="button"
      className="beacon"
      data-rule={view.id}
      aria-label={view.title ? `${t('showTip')}: ${plainRichText(view.title)}` : t('showTip')}
      onClick={onOpen}
    >
      <span className="beacon-dot" aria-hidden="true" />
    </button>
  );
}

function TooltipCard({ view, t }: { view: TooltipView; t: Translate }) {
  const floating = useRef<HTMLDivElement>(null);
  const arrowRef = useRef<HTMLDivElement>(null);
  useAnchor(view.element, floating, arrowRef, view.placement);
  const titleId = `${view.domId}-title`;
  const textId = `${view.domId}-text`;
  return (
    <div
      ref={floating}
      id={view.domId}
      className={['tooltip', view.savesSeconds ? 'tip' : '', view.element ? '' : 'centered'].filter(Boolean).join(' ')}
      role="dialog"
      aria-labelledby={view.title ? titleId : textId}
      aria-describedby={view.title ? textId : undefined}
      data-rule={view.id}
      tabIndex={-1}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          // preventDefault: Esc here must not also close the CRM's modal dialog we sit above.
          e.preventDefault();
          e.stopPropagation();
          view.onDismiss();
        }
      }}
    >
      {view.title && (
        <p className="title" id={titleId}>
          <RichText text={view.title} inline />
        </p>
      )}
      <div className="text" id={textId}>
        <RichText text={view.text} />
      </div>
      {view.savesSeconds !== undefined && (
        <p className="saves">
          <strong>{t('savesAbout', formatDuration(view.savesSeconds, t))}</strong>
          {view.replaces && <span className="replaces">{t('insteadOf', view.replaces)}</span>}
        </p>
      )}
      <Feedback t={t} onFeedback={view.onFeedback} />
      <div className="actions">
        <button type="button" className="primary" onClick={view.onDismiss}>
          {t('gotIt')}
        </button>
      </div>
      {view.element && <div ref={arrowRef} className="arrow" aria-hidden="true" />}
    </div>
  );
}
