/**
 * Links to the insights page: in the popup only for managers (policy `managerAccess`), in the
 * options page always (a trial on one's own data needs no manager rights).
 */
import { useEffect, useState } from 'react';

export const INSIGHTS_PAGE = '/insights.html';

export function InsightsLink({ send }: { send: (message: { type: 'settings:policy' }) => Promise<unknown> }) {
  const [manager, setManager] = useState(false);
  useEffect(() => {
    send({ type: 'settings:policy' }).then(
      (r) => setManager((r as { policy?: { managerAccess?: boolean } } | undefined)?.policy?.managerAccess === true),
      () => setManager(false),
    );
  }, [send]);
  if (!manager) return null;
  return (
    <p>
      <a href={INSIGHTS_PAGE} target="_blank" rel="noreferrer" data-testid="insights-link">Team insights</a>
    </p>
  );
}

export function InsightsSection() {
  return (
    <>
      <p className="muted">
        Charts and tables of where people struggle in the CRM, from this browser’s own data or from the team’s collector (with a
        manager token). Never per person: every number comes from at least k contributors.
      </p>
      <p>
        <a href={INSIGHTS_PAGE} target="_blank" rel="noreferrer" data-testid="options-insights-link">Open insights</a>
      </p>
    </>
  );
}
