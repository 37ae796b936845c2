/**
 * The manager insights page: two sources (this browser's rollups through the background, the
 * team's collector with a manager token), filters (source, period, CRM, pack, stage), and per view
 * a chart and the table behind it, with CSV/JSON export of exactly what the view shows.
 * Everything shown comes from published (suppressed) tables: lib/insights/views.ts.
 */
import { useEffect, useMemo, useState } from 'react';
import type { InsightsData, PackMeta } from '../../lib/insights/local';
import { TeamError, teamInfo, teamInsights } from '../../lib/insights/team';
import { buildViews, isHidden, shownText, viewCsv, viewJson, type ExportContext, type Shown, type ViewTable } from '../../lib/insights/views';
import { periodOf, type PeriodGranularity } from '../../lib/sync/payload';
import { Chart, type ChartOption } from './Chart';
import { insightsCss } from './styles';

type Send = (message: { type: string; [key: string]: unknown }) => Promise<unknown>;
interface Area {
  get(key: string): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
}
interface Meta {
  k: number;
  packs: PackMeta[];
  team: { endpoint?: string; token?: string; locked: boolean };
}

export const TEAM_KEY = 'insightsTeam';
const DAY_MS = 86_400_000;

/** The last `n` whole periods of a granularity, newest first. */
export function recentPeriods(granularity: PeriodGranularity, n: number, today = new Date()): string[] {
  const out: string[] = [];
  let t = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  while (out.length < n) {
    const p = periodOf(new Date(t).toISOString().slice(0, 10), granularity);
    if (!out.includes(p)) out.push(p);
    t -= DAY_MS;
  }
  return out;
}

/** `trendPending`: the tables are in, the trend over the earlier periods is still being read. */
type Load = { state: 'idle' | 'loading' } | { state: 'error'; message: string } | { state: 'ready'; data: InsightsData; trendPending?: boolean };
/** Periods in the friction trend (the selected one included). */
const TREND = 6;

export function Insights({ send, storage }: { send: Send; storage: Area }) {
  const [meta, setMeta] = useState<Meta | { error: string } | null>(null);
  const [source, setSource] = useState<'local' | 'team'>('local');
  const [granularity, setGranularity] = useState<PeriodGranularity>('month');
  const [period, setPeriod] = useState(() => recentPeriods('month', 1)[0]!);
  const [crm, setCrm] = useState('');
  const [pack, setPack] = useState('');
  const [stage, setStage] = useState('');
  const [team, setTeam] = useState<{ endpoint: string; token: string }>({ endpoint: '', token: '' });
  const [teamGranularity, setTeamGranularity] = useState<PeriodGranularity | null>(null);
  const [load, setLoad] = useState<Load>({ state: 'idle' });

  useEffect(() => {
    send({ type: 'insights:meta' }).then(
      (r) => {
        const m = r as Meta | { error: string };
        setMeta(m);
        // insights.html?pack=<id> opens on that pack (a link from elsewhere); else the first.
        const wanted = new URLSearchParams(location.search).get('pack');
        if ('packs' in m && m.packs[0]) setPack((m.packs.find((p) => p.id === wanted) ?? m.packs[0]).id);
      },
      () => setMeta({ error: 'Could not reach the extension. Reload this page.' }),
    );
    storage.get(TEAM_KEY).then((v) => {
      const saved = v[TEAM_KEY] as { endpoint?: string; token?: string } | undefined;
      if (saved) setTeam({ endpoint: saved.endpoint ?? '', token: saved.token ?? '' });
    }, () => {});
  }, [send, storage]);

  const ok = meta && 'packs' in meta ? meta : null;
  const teamLocked = ok?.team.locked === true;
  const teamConfig = teamLocked ? { endpoint: ok!.team.endpoint ?? team.endpoint, token: ok!.team.token ?? team.token } : team;
  const effectiveGranularity = source === 'team' ? (teamGranularity ?? granularity) : granularity;
  const periods = useMemo(() => recentPeriods(effectiveGranularity, 13), [effectiveGranularity]);
  useEffect(() => {
    if (!periods.includes(period)) setPeriod(periods[0]!);
  }, [periods, period]);
  const packs = (ok?.packs ?? []).filter((p) => !crm || p.crm === crm);
  const packMeta = ok?.packs.find((p) => p.id === pack);

  useEffect(() => {
    if (!ok || !pack || !periods.includes(period)) return;
    const controller = new AbortController();
    setLoad({ state: 'loading' });
    const run = async (): Promise<InsightsData> => {
      if (source === 'local') {
        // Two steps, so the page answers fast even when the background must read months of rollups
        // (a cold service worker): the selected period first, then the trend over the earlier ones
        // (a finished selected period is cached in the background by then: the second answer reuses it).
        const ask = async (trend: number) => {
          const r = (await send({ type: 'insights:local', pack, period, trend })) as InsightsData | { error: string };
          if ('error' in r) throw new Error(r.error);
          return r;
        };
        const first = await ask(1);
        if (controller.signal.aborted) return first;
        setLoad({ state: 'ready', data: first, trendPending: true });
        return ask(TREND);
      }
      if (!teamConfig.endpoint || !teamConfig.token) throw new TeamError('Enter the collector address and a manager token below.');
      const src = { ...teamConfig, signal: controller.signal };
      const info = await teamInfo(src);
      if (info.granularity !== teamGranularity) setTeamGranularity(info.granularity);
      if (!periods.includes(period) || periodOf(new Date().toISOString().slice(0, 10), info.granularity).length !== period.length) {
        throw new TeamError(`the collector publishes by ${info.granularity}: choose a ${info.granularity}`);
      }
      return teamInsights(src, { pack, period, trend: TREND, k: ok.k }, info);
    };
    run().then(
      (data) => !controller.signal.aborted && setLoad({ state: 'ready', data }),
      (error: unknown) => !controller.signal.aborted && setLoad({ state: 'error', message: error instanceof Error ? error.message : String(error) }),
    );
    return () => controller.abort();
    // teamConfig is derived; its fields are the dependencies.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [ok, source, pack, period, periods, teamConfig.endpoint, teamConfig.token]);

  const views = useMemo(() => (load.state === 'ready' ? buildViews(load.data, packMeta, { ...(stage && { stage }) }) : []), [load, packMeta, stage]);

  if (!meta) return <Shell><p className="muted" role="status">Loading…</p></Shell>;
  if ('error' in meta) return <Shell><p role="alert" className="error">{meta.error}</p></Shell>;

  const empty = load.state === 'ready' && isEmpty(load.data);
  const ctx: ExportContext | null =
    load.state === 'ready'
      ? { pack: load.data.pack, period: load.data.period, from: load.data.from, to: load.data.to, sources: [load.data.source === 'local' ? 'this browser' : 'team'], k: load.data.k, contributors: load.data.contributors }
      : null;

  return (
    <Shell>
      <form className="filters" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
        <fieldset>
          <legend>Source</legend>
          <label className="inline"><input type="radio" name="source" checked={source === 'local'} onChange={() => setSource('local')} /> This browser</label>
          <label className="inline"><input type="radio" name="source" checked={source === 'team'} onChange={() => setSource('team')} /> The team</label>
        </fieldset>
        {source === 'local' && (
          <label>Period length
            <select value={granularity} onChange={(e) => setGranularity(e.target.value as PeriodGranularity)} data-testid="granularity">
              <option value="month">Month</option>
              <option value="week">Week</option>
            </select>
          </label>
        )}
        <label>Period
          <select value={period} onChange={(e) => setPeriod(e.target.value)} data-testid="period">
            {periods.map((p) => <option key={p} value={p}>{p}</option>)}
          </select>
        </label>
        <label>CRM
          <select
            value={crm}
            onChange={(e) => {
              // The pack follows the CRM: keep it if it is that CRM's, else that CRM's first pack.
              const next = e.target.value;
              setCrm(next);
              const current = ok!.packs.find((p) => p.id === pack);
              if (next && current?.crm !== next) {
                setPack(ok!.packs.find((p) => p.crm === next)?.id ?? '');
                setStage('');
              }
            }}
            data-testid="crm"
          >
            <option value="">All</option>
            {[...new Set(ok!.packs.map((p) => p.crm))].map((c) => <option key={c} value={c}>{c}</option>)}
          </select>
        </label>
        <label>Pack
          <select value={pack} onChange={(e) => { setPack(e.target.value); setStage(''); }} data-testid="pack">
            {packs.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
          </select>
        </label>
        <label>Stage
          <select value={stage} onChange={(e) => setStage(e.target.value)} data-testid="stage">
            <option value="">All stages</option>
            {(packMeta?.stages ?? []).map((s) => <option key={s.id} value={s.id}>{s.title}</option>)}
          </select>
        </label>
      </form>

      {source === 'team' && (
        <section aria-labelledby="team-title" className="team">
          <h2 id="team-title">Team collector</h2>
          {teamLocked && <p><span className="lock">🔒 set by policy</span></p>}
          <label>Collector address
            <input type="url" value={teamConfig.endpoint} disabled={teamLocked} data-testid="team-endpoint" onChange={(e) => setTeam({ ...team, endpoint: e.target.value })} />
          </label>
          <label>Manager token
            <input type="password" value={teamConfig.token} disabled={teamLocked} data-testid="team-token" onChange={(e) => setTeam({ ...team, token: e.target.value })} />
          </label>
          {!teamLocked && <button type="button" onClick={() => void storage.set({ [TEAM_KEY]: team })}>Remember on this browser</button>}
        </section>
      )}

      <p className="muted privacy">
        No row is about one person or one install. Every number comes from at least <strong>k = {ok!.k}</strong> contributors;
        smaller cells read “fewer than {ok!.k}”, and cells that would let one be worked out read “hidden”.{' '}
        {source === 'local'
          ? 'For this browser, a contributor is a day of its data (the collector counts contributors per day too): 30 days of data are 30 contributor-days; 3 days show only hidden cells.'
          : 'For the team, a cell counts the largest number of distinct contributors on any one day of the period (contributor ids rotate daily).'}
      </p>

      {load.state === 'loading' && <p role="status" className="muted" data-testid="loading">Loading insights…</p>}
      {load.state === 'ready' && load.trendPending && <p role="status" className="muted" data-testid="trend-loading">Loading the trend over the last {TREND} periods…</p>}
      {load.state === 'error' && <p role="alert" className="error" data-testid="error">Insights could not be loaded: {load.message}</p>}
      {empty && <p role="status" className="empty" data-testid="empty">No data for {pack} in {period} yet. Pick another period or pack, or wait until people have used the CRM with CRM Coach.</p>}
      {load.state === 'ready' && !empty && ctx && <Views views={views} ctx={ctx} />}
    </Shell>
  );
}

function isEmpty(data: InsightsData): boolean {
  return Object.values(data.tables).every((t) => !t || t.cells.length === 0) && data.trend.every((t) => t.table.cells.length === 0);
}

function Shell({ children }: { children: React.ReactNode }) {
  return (
    <>
      <style>{insightsCss}</style>
      <main>
        <h1>CRM Coach insights</h1>
        {children}
      </main>
    </>
  );
}

const num = (v: Shown | string | undefined): number | null => (typeof v === 'number' ? v : null);

function chartOf(view: ViewTable): ChartOption[] {
  const grid = { left: 160, right: 20, top: 30, bottom: 60, containLabel: false };
  const bar = (labels: string[], series: { name: string; data: (number | null)[] }[]): ChartOption => ({
    tooltip: {}, legend: { top: 0 }, grid, xAxis: { type: 'value' }, yAxis: { type: 'category', data: labels },
    series: series.map((s) => ({ type: 'bar', name: s.name, data: s.data })),
  });
  switch (view.id) {
    case 'friction': {
      const body = view.rows.slice(0, -1);
      const cols = view.columns.slice(1, -1);
      const data: [number, number, number | '-'][] = [];
      let max = 1;
      body.forEach((r, y) => cols.forEach((_, x) => {
        const v = num(r[x + 1]);
        data.push([x, y, v ?? '-']);
        if (v !== null && v > max) max = v;
      }));
      const heat: ChartOption = {
        tooltip: {}, grid: { ...grid, bottom: 90 },
        xAxis: { type: 'category', data: cols, axisLabel: { rotate: 30 } }, yAxis: { type: 'category', data: body.map((r) => String(r[0])) },
        visualMap: { min: 0, max, calculable: false, orient: 'horizontal', left: 'center', bottom: 0 },
        series: [{ type: 'heatmap', data, label: { show: true } }],
      };
      const trend: ChartOption = {
        tooltip: { trigger: 'axis' }, legend: { top: 0 }, grid: { ...grid, left: 50 },
        xAxis: { type: 'category', data: view.trend?.periods ?? [] }, yAxis: { type: 'value' },
        series: (view.trend?.types ?? []).map((type, i) => ({ type: 'line', name: type, connectNulls: false, data: (view.trend?.values ?? []).map((row) => num(row[i])) })),
      };
      return [heat, trend];
    }
    case 'targets':
      return [bar(view.rows.map((r) => String(r[1])), [{ name: 'friction', data: view.rows.map((r) => num(r[r.length - 1])) }])];
    case 'walkthroughs':
      return [bar(view.rows.map((r) => `${r[0]} · ${r[1]}`), [{ name: 'count', data: view.rows.map((r) => num(r[2])) }])];
    case 'tips':
      return [bar(view.rows.map((r) => String(r[1])), [
        { name: 'shown', data: view.rows.map((r) => num(r[2])) },
        { name: 'used', data: view.rows.map((r) => num(r[4])) },
        { name: 'time saved (min)', data: view.rows.map((r) => num(r[5])) },
      ])];
    case 'stages':
      return [bar(view.rows.map((r) => String(r[1])), [{ name: 'share (%)', data: view.rows.map((r) => num(r[4])) }])];
    case 'health':
      return [bar(view.rows.map((r) => String(r[1])), [{ name: 'missing', data: view.rows.map((r) => num(r[2])) }])];
    case 'feedback':
      return [bar(view.rows.map((r) => String(r[0])), [{ name: 'count', data: view.rows.map((r) => num(r[1])) }])];
  }
}

function download(name: string, type: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * The views, mounted one per task (a first render of seven tables and their charts in one commit
 * was a long task on a year of data: the page must never freeze). Once mounted they stay mounted,
 * so a filter change re-renders them in place.
 */
function Views({ views, ctx }: { views: ViewTable[]; ctx: ExportContext }) {
  const [mounted, setMounted] = useState(1);
  useEffect(() => {
    if (mounted >= views.length) return;
    const timer = setTimeout(() => setMounted((n) => n + 1), 0);
    return () => clearTimeout(timer);
  }, [mounted, views.length]);
  return (
    <>
      {views.slice(0, mounted).map((view) => (
        <View key={view.id} view={view} ctx={ctx} />
      ))}
      {mounted < views.length && <p className="muted" role="status">Drawing the other views…</p>}
    </>
  );
}

/** Rows a table shows before "Show all": the chart and the exports always cover every row. */
const TABLE_ROWS = 100;

function View({ view, ctx }: { view: ViewTable; ctx: ExportContext }) {
  const [allRows, setAllRows] = useState(false);
  // Rebuilt views with the same content (the trend's answer leaves every other view as it was)
  // keep their chart options, so their charts are not redrawn.
  const content = useMemo(() => JSON.stringify(view), [view]);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const charts = useMemo(() => chartOf(view), [content]);
  const base = `crm-coach-${view.id}-${ctx.pack}-${ctx.period}`;
  return (
    <section aria-labelledby={`${view.id}-title`} className="view" data-view={view.id}>
      <h2 id={`${view.id}-title`}>{view.title}</h2>
      <div className="actions">
        <button type="button" onClick={() => download(`${base}.csv`, 'text/csv;charset=utf-8', viewCsv(view, ctx))}>Export CSV</button>
        <button type="button" onClick={() => download(`${base}.json`, 'application/json', viewJson(view, ctx))}>Export JSON</button>
      </div>
      {view.rows.length === 0 ? (
        <p className="empty">Nothing to show here for this period and filters.</p>
      ) : (
        charts.map((option, i) => <Chart key={i} option={option} label={`${view.title}: chart ${i + 1} (the table below has the numbers)`} testId={`chart-${view.id}-${i}`} />)
      )}
      <table data-testid={`table-${view.id}`}>
        <caption className="visually-hidden">{view.title}</caption>
        <thead>
          <tr>{view.columns.map((c) => <th key={c} scope="col">{c}</th>)}</tr>
        </thead>
        <tbody>
          {(allRows ? view.rows : view.rows.slice(0, TABLE_ROWS)).map((row, i) => (
            <tr key={i}>
              {row.map((v, j) => (
                <td key={j} className={isHidden(v) ? 'hidden-value' : undefined}>{shownText(v, ctx.k)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {!allRows && view.rows.length > TABLE_ROWS && (
        <button type="button" onClick={() => setAllRows(true)}>
          Show all {view.rows.length} rows (the exports always have them all)
        </button>
      )}
      {view.comments && view.comments.length > 0 && (
        <>
          <h3>Comments people chose to send</h3>
          <ul className="comments">
            {view.comments.map((c, i) => (
              <li key={i}><code>{c.rule}</code> ({c.kind}): {c.text}</li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
