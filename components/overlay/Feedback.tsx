import { useId, useState } from 'react';
import type { FeedbackKind } from '../../lib/messages';
import type { Translate } from '../../lib/i18n';

const KINDS: Array<[FeedbackKind, Parameters<Translate>[0]]> = [
  ['helpful', 'feedbackHelpful'],
  ['not-helpful', 'feedbackNotHelpful'],
  ['wrong', 'feedbackWrong'],
  ['confusing', 'feedbackConfusing'],
];

/**
 * "Helpful / not helpful / this is wrong / this process is confusing", with an optional comment
 * the user writes knowingly. The kind is an anonymous signal; the comment is stored apart and
 * only ever shared with the user's explicit OK.
 */
export function Feedback({ t, onFeedback }: { t: Translate; onFeedback: (kind: FeedbackKind, comment?: string) => void }) {
  const [kind, setKind] = useState<FeedbackKind | null>(null);
  const [sent, setSent] = useState(false);
  const [comment, setComment] = useState('');
  const commentId = useId();
  if (sent) return <p className="feedback-thanks" role="status">{t('feedbackThanks')}</p>;
  return (
    <div className="feedback" role="group" aria-label={t('wasThisHelpful')}>
      <div className="feedback-kinds">
        {KINDS.map(([k, label]) => (
          <button
            key={k}
            type="button"
            className="chip"
            aria-pressed={kind === k}
            onClick={() => {
              setKind(k);
              // Helpful needs no more words; the others invite a comment first.
              if (k === 'helpful') {
                onFeedback(k);
                setSent(true);
              }
            }}
          >
            {t(label)}
          </button>
        ))}
      </div>
      {kind && kind !== 'helpful' && (
        <form
          className="feedback-comment"
          onSubmit={(e) => {
            e.preventDefault();
            onFeedback(kind, comment.trim() || undefined);
            setSent(true);
          }}
        >
          <label htmlFor={commentId}>{t('feedbackCommentLabel')}</label>
          <textarea id={commentId} maxLength={500} rows={2} value={comment} onChange={(e) => setComment(e.target.value)} />
          <button type="submit" className="primary">
            {t('feedbackSend')}
          </button>
        </form>
      )}
    </div>
  );
}
