import { useEffect, useRef } from 'react';
import type { StepView } from '../../lib/content/walkthrough-runner';
import type { Translate } from '../../lib/i18n';
import { Feedback } from './Feedback';
import { RichText } from './rich-text';
import { useAnchor } from './use-anchor';

/**
 * One walkthrough step: a labelled dialog next to its target (centred without one). Arrow keys
 * step back and forth, Esc puts the walkthrough aside ("Later"). When the step appears because of
 * the user's own click in our UI, focus moves into it and returns when it goes; a step moved on by
 * working in the CRM never takes focus away from the CRM.
 */
export function StepDialog({ view, t, takeFocus }: { view: StepView; t: Translate; takeFocus: boolean }) {
  const floating = useRef<HTMLDivElement>(null);
  const arrowRef = useRef<HTMLDivElement>(null);
  useAnchor(view.element, floating, arrowRef, view.placement);

  useEffect(() => {
    if (!takeFocus) return;
    const previous = floating.current?.ownerDocument.activeElement as HTMLElement | null;
    floating.current?.focus();
    return () => previous?.focus?.();
  }, [view.id, takeFocus]);

  const titleId = `${view.domId}-title`;
  const textId = `${view.domId}-text`;
  const last = view.index === view.count - 1;
  return (
    <div
      ref={floating}
      id={view.domId}
      className={view.element ? 'tooltip step' : 'tooltip step centered'}
      role="dialog"
      aria-labelledby={titleId}
      aria-describedby={textId}
      data-step={view.id}
      tabIndex={-1}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          // preventDefault: Esc here must not also close the CRM's modal dialog we sit above.
          e.preventDefault();
          e.stopPropagation();
          view.onSnooze();
        } else if (e.key === 'ArrowRight' && view.manual) {
          e.preventDefault();
          view.onNext();
        } else if (e.key === 'ArrowLeft' && view.index > 0) {
          e.preventDefault();
          view.onBack();
        }
      }}
    >
      <p className="eyebrow">
        <RichText text={view.walkthroughTitle} inline /> · <span aria-live="polite">{t('stepOf', view.index + 1, view.count)}</span>
      </p>
      <p className="title" id={titleId}>
        {view.title ? <RichText text={view.title} inline /> : t('stepOf', view.index + 1, view.count)}
      </p>
      <div className="text" id={textId}>
        <RichText text={view.text} />
      </div>
      <Feedback t={t} onFeedback={view.onFeedback} />
      <div className="actions">
        <span className="secondary-actions">
          <button type="button" className="link" onClick={view.onExit}>
            {t('exit')}
          </button>
          <button type="button" className="link" onClick={view.onSnooze}>
            {t('snooze')}
          </button>
          {view.index > 0 && (
            <button type="button" className="link" onClick={view.onRestart}>
              {t('restart')}
            </button>
          )}
        </span>
        {view.index > 0 && (
          <button type="button" onClick={view.onBack}>
            {t('back')}
          </button>
        )}
        {view.optional && !view.manual && (
          <button type="button" onClick={view.onSkip}>
            {t('skipStep')}
          </button>
        )}
        {view.manual && (
          <button type="button" className="primary" onClick={view.onNext}>
            {last ? t('finish') : t('next')}
          </button>
        )}
      </div>
      {view.element && <div ref={arrowRef} className="arrow" aria-hidden="true" />}
    </div>
  );
}
