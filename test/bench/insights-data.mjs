// The insights benchmark's data: a year of a busy team's usage, 1,000,000 signals, generated
// deterministically (seeded PRNG) as SIGNALS and folded into daily rollups with the store's own
// fold (lib/store/rollup.ts rollUp), so the rows are exactly what the store would hold.
//
//   3 packs (3 CRMs) × 7 screens = 21 screens; per screen 6 rules (4 tips, 2 tooltips);
//   per pack 2 walkthroughs × 4 steps and 3 stages; pack version 1.0.0 for the first half of the
//   year, 1.1.0 after. Every signal type: guidance (tips shown/dismissed/used, help), walkthroughs
//   (started/step/completed/abandoned), feedback (4 kinds), rule-missing, stage-complete (at most
//   once a day per stage), and the 7 friction types (half of them name a rule; back-and-forth a
//   peer screen; form-dwell one of 5 dwell buckets). Screens follow a Zipf-like popularity;
//   weekdays carry 5x a weekend day.
//
// A signal is drawn one at a time: 1M draws and one rollUp, a few seconds in Node.

const PACKS = [
  { id: 'demo', crm: 'demo' },
  { id: 'sales', crm: 'webcrm' },
  { id: 'service', crm: 'dynamics' },
];
const SCREENS_PER_PACK = 7;
const RULES_PER_SCREEN = 6;
const FEEDBACK = ['helpful', 'not-helpful', 'wrong', 'confusing'];
const DWELL = ['under-30s', '30s-2m', '2m-5m', '5m-15m', 'over-15m'];
// Type mix (weights): a busy team's guidance and friction.
const TYPES = [
  ['tip-shown', 30],
  ['tip-dismissed', 8],
  ['tip-used', 6],
  ['help-opened', 4],
  ['rule-missing', 2],
  ['feedback', 3],
  ['walkthrough-started', 2],
  ['walkthrough-step', 4],
  ['walkthrough-completed', 1.3],
  ['walkthrough-abandoned', 0.7],
  ['rage-click', 8],
  ['dead-click', 10],
  ['validation-loop', 5],
  ['required-field-bounce', 5],
  ['error-banner', 4],
  ['back-and-forth', 3],
  ['form-dwell', 4],
];
const FRICTION = new Set(['rage-click', 'dead-click', 'validation-loop', 'required-field-bounce', 'error-banner', 'back-and-forth', 'form-dwell']);

function mulberry32(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function weighted(entries, random) {
  const total = entries.reduce((a, [, w]) => a + w, 0);
  const cumulative = [];
  let acc = 0;
  for (const [v, w] of entries) cumulative.push([v, (acc += w / total)]);
  return () => {
    const x = random();
    for (const [v, c] of cumulative) if (x < c) return v;
    return cumulative[cumulative.length - 1][0];
  };
}

const isoDay = (ms) => new Date(ms).toISOString().slice(0, 10);

/** The `days` days ending yesterday (UTC), oldest first. */
export function benchDays(days = 365, today = new Date()) {
  const end = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()) - 86_400_000;
  return Array.from({ length: days }, (_, i) => isoDay(end - (days - 1 - i) * 86_400_000));
}

/** Signals (SignalRecord shape) of one day, `n` of them; stage-complete added once per stage at most. */
function* daySignals(day, dayIndex, n, random, pick) {
  const packVersion = dayIndex < 182 ? '1.0.0' : '1.1.0';
  for (let i = 0; i < n; i += 1) {
    const pack = pick.pack();
    const screenNo = pick.screen();
    const screen = `${pack.id}/s${screenNo}`;
    const type = pick.type();
    const base = { type, day, crm: pack.crm, pack: pack.id, packVersion, screen, extensionVersion: '0.1.0' };
    const ruleNo = Math.floor(random() * RULES_PER_SCREEN);
    const tip = `${screen}.tips#t${ruleNo % 4}`;
    const anyRule = ruleNo < 4 ? tip : `${screen}.tooltips#h${ruleNo - 4}`;
    const w = Math.floor(random() * 2);
    const step = Math.floor(random() * 4);
    if (type.startsWith('tip-')) yield { ...base, rule: tip };
    else if (type === 'feedback') yield { ...base, rule: anyRule, detail: pick.feedback() };
    else if (type === 'rule-missing') yield { ...base, rule: anyRule };
    else if (type === 'help-opened') yield base;
    else if (type === 'walkthrough-step') yield { ...base, rule: `${pack.id}/walk${w}#step${step}` };
    else if (type.startsWith('walkthrough-')) yield { ...base, rule: `${pack.id}/walk${w}` };
    else if (FRICTION.has(type)) {
      const s = { ...base, ...(random() < 0.5 && { rule: anyRule }) };
      if (type === 'back-and-forth') s.peer = `${pack.id}/s${(screenNo + 1) % SCREENS_PER_PACK}`;
      if (type === 'form-dwell') s.detail = pick.dwell();
      yield s;
    }
  }
  // Stage completions: at most once a day per stage; later stages rarer.
  for (const pack of PACKS) {
    for (let s = 0; s < 3; s += 1) if (random() < 0.6 / (s + 1)) yield { type: 'stage-complete', day, crm: pack.crm, pack: pack.id, packVersion, screen: `${pack.id}/s0`, rule: `${pack.id}/stage-${s}`, extensionVersion: '0.1.0' };
  }
}

/**
 * A year of rollups equivalent to `total` signals. `rollUp` is lib/store/rollup.ts's (passed in,
 * so this file stays plain JS). Returns { rows (StoredRollup[]), signals, days, packs }.
 */
export function generateYear({ rollUp, total = 1_000_000, days: dayCount = 365, seed = 8, today = new Date() }) {
  const random = mulberry32(seed);
  const days = benchDays(dayCount, today);
  const zipf = Array.from({ length: SCREENS_PER_PACK }, (_, i) => [i, 1 / (i + 1)]);
  const pick = {
    pack: weighted(PACKS.map((p, i) => [p, [5, 3, 2][i]]), random),
    screen: weighted(zipf, random),
    type: weighted(TYPES, random),
    feedback: weighted(FEEDBACK.map((f, i) => [f, [5, 2, 1, 1][i]]), random),
    dwell: weighted(DWELL.map((d, i) => [d, [5, 4, 2, 1, 0.5][i]]), random),
  };
  const weights = days.map((d) => ([0, 6].includes(new Date(`${d}T00:00:00Z`).getUTCDay()) ? 1 : 5));
  const sum = weights.reduce((a, b) => a + b, 0);
  // Whole signals per day, adding up to exactly `total` (stage completions come on top, ~1k).
  const perDay = weights.map((w) => Math.floor((w / sum) * total));
  perDay[perDay.length - 1] += total - perDay.reduce((a, b) => a + b, 0);
  const rows = [];
  let signals = 0;
  days.forEach((day, i) => {
    const list = [...daySignals(day, i, perDay[i], random, pick)];
    signals += list.length;
    for (const row of rollUp(list).values()) rows.push(row);
  });
  return { rows, signals, days, packs: PACKS.map((p) => p.id) };
}

/** A raw signal row for the raw-scan figure (the same shape the signals store holds). */
export const RAW_SIGNAL = { type: 'rage-click', day: '2026-01-01', crm: 'demo', pack: 'demo', packVersion: '1.0.0', screen: 'demo/s1', rule: 'demo/s1.tooltips#h0', extensionVersion: '0.1.0', uid: '' };
