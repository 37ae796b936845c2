/**
 * Recording and reading Chromium traces for the benchmark.
 *
 * Main-thread time by owner: every JS entry from the browser into a script is a `FunctionCall`
 * (or `EvaluateScript`) trace event carrying the script's URL; the extension's scripts have
 * chrome-extension:// URLs, the page's http:// URLs. Entries nest (a MutationObserver callback of
 * ours runs inside the microtask checkpoint at the end of a page callback), so each event is
 * credited its *self* time: its duration minus the script events nested in it. Whatever the
 * browser does inside our call (a style recalc or layout that checkVisibility forces, a GC our
 * allocations trigger) is inside our event and so counts as ours. Promise reactions run in
 * microtask checkpoints without a FunctionCall of their own; those are split by the CPU profiler's
 * samples taken during them (see below), and what no sample covers is reported as
 * `unattributedMs` and counted as the page's.
 * Tasks: `ThreadControllerImpl::RunTask` (category toplevel) on the page's renderer main thread.
 * A long task (> 50 ms wall) is "ours" when it would not have been long without our time in it.
 * Millisecond figures are thread (CPU) time unless named wall: this machine's 2 cores are shared,
 * and wall time there also counts the time the thread waited for a core.
 */
export const TRACE_CATEGORIES = ['devtools.timeline', 'toplevel', 'blink.user_timing', 'v8.execute', '__metadata'];
const SCRIPT_EVENTS = new Set(['FunctionCall', 'EvaluateScript']);
const TASK = 'ThreadControllerImpl::RunTask';
/** Style and layout: inside a script call they were forced by it (checkVisibility, getClientRects). */
const FORCED = new Set(['UpdateLayoutTree', 'Layout']);
export const LONG_TASK_MS = 50;

/** Starts tracing (and optionally the sampling profiler) on a CDP session; returns stop(). */
export async function startRecording(cdp, { profileIntervalUs = 0 } = {}) {
  const events = [];
  const onData = (e) => events.push(...e.value);
  cdp.on('Tracing.dataCollected', onData);
  await cdp.send('Tracing.start', {
    transferMode: 'ReportEvents',
    traceConfig: { includedCategories: TRACE_CATEGORIES, recordMode: 'recordAsMuchAsPossible' },
  });
  if (profileIntervalUs > 0) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: profileIntervalUs });
    await cdp.send('Profiler.start');
  }
  return async function stop() {
    const profile = profileIntervalUs > 0 ? (await cdp.send('Profiler.stop')).profile : null;
    if (profileIntervalUs > 0) await cdp.send('Profiler.disable');
    const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
    await cdp.send('Tracing.end');
    await complete;
    cdp.off('Tracing.dataCollected', onData);
    return { events, profile };
  };
}

const byStart = (a, b) => a.ts - b.ts || b.dur - a.dur;

/** The renderer main thread that recorded a user-timing mark, and the mark's timestamp. */
export function findMark(events, name) {
  const m = events.find((e) => e.name === name && typeof e.cat === 'string' && e.cat.includes('blink.user_timing'));
  return m ? { pid: m.pid, tid: m.tid, ts: m.ts } : null;
}

/**
 * Main-thread figures of one thread between two timestamps (µs, trace clock). Events overlapping
 * the window are clipped to it. Two clocks: wall time (`dur`: what blocks the page; long tasks)
 * and thread time (`tdur`: CPU the thread actually got, steady when other processes compete for
 * the cores; a clipped event gets the same share of its thread time). `isOurs(url)` decides
 * ownership of script time.
 */
export function analyzeMainThread(events, { pid, tid, start, end, isOurs, samples = [] }) {
  const main = events
    .filter((e) => e.pid === pid && e.tid === tid && e.ph === 'X' && e.ts < end && e.ts + e.dur > start)
    .sort(byStart);
  const clip = (e) => {
    const wall = Math.max(0, Math.min(end, e.ts + e.dur) - Math.max(start, e.ts));
    const cpu = e.dur > 0 ? (e.tdur ?? e.dur) * (wall / e.dur) : 0;
    return { wall, cpu };
  };
  const tasks = [];
  const scripts = [];
  const microtasks = [];
  const rendering = [];
  const containers = [];
  for (const e of main) {
    if (e.name === 'FireAnimationFrame' || e.name === 'RunMicrotasks') containers.push(e);
    if (e.name === TASK) tasks.push(e);
    else if (SCRIPT_EVENTS.has(e.name)) scripts.push(e);
    else if (e.name === 'RunMicrotasks') microtasks.push(e);
    else if (FORCED.has(e.name)) rendering.push(e);
  }
  // Top-level tasks only (a nested run loop can run tasks inside a task).
  const top = [];
  for (const t of tasks) if (!top.length || t.ts >= top.at(-1).ts + top.at(-1).dur) top.push(t);

  const urlOf = (e) => e.args?.data?.url || '(no url)';
  // Self time of each script event (clipped): minus the script events directly nested in it.
  const self = new Map();
  const stack = [];
  for (const e of scripts) {
    while (stack.length && stack.at(-1).ts + stack.at(-1).dur <= e.ts) stack.pop();
    const c = clip(e);
    self.set(e, { ...c });
    const parent = stack.at(-1);
    if (parent) {
      const ps = self.get(parent);
      ps.wall -= c.wall;
      ps.cpu -= c.cpu;
    }
    stack.push(e);
  }
  const byUrl = {};
  const ours = { wall: 0, cpu: 0 };
  for (const e of scripts) {
    const s = self.get(e);
    const url = urlOf(e);
    byUrl[url] = (byUrl[url] ?? 0) + Math.max(0, s.cpu) / 1000;
    if (isOurs(url)) {
      ours.wall += Math.max(0, s.wall);
      ours.cpu += Math.max(0, s.cpu);
    }
  }
  // Style/layout forced inside our calls (part of our self time; the page's frame would have
  // done some of it anyway, so it is also reported on its own).
  let forcedCpu = 0;
  {
    const merged = [...scripts.map((e) => [e, true]), ...rendering.map((e) => [e, false])].sort((x, y) => byStart(x[0], y[0]));
    const open = [];
    for (const [e, isScript] of merged) {
      while (open.length && open.at(-1).ts + open.at(-1).dur <= e.ts) open.pop();
      if (isScript) open.push(e);
      else {
        const owner = open.at(-1);
        if (owner && owner.ts + owner.dur >= e.ts + e.dur && isOurs(urlOf(owner))) forcedCpu += clip(e).cpu;
      }
    }
  }

  // How our code got called: rAF callbacks (DOM passes) and microtask checkpoints (the
  // MutationObserver callback is delivered in one).
  let oursRaf = 0;
  let oursMicrotask = 0;
  {
    const merged = [...containers.map((e) => [e, false]), ...scripts.map((e) => [e, true])].sort((x, y) => byStart(x[0], y[0]));
    const open = [];
    for (const [e, isScript] of merged) {
      while (open.length && open.at(-1).ts + open.at(-1).dur <= e.ts) open.pop();
      if (isScript && isOurs(urlOf(e))) {
        const parent = open.at(-1);
        if (parent?.name === 'FireAnimationFrame') oursRaf++;
        else if (parent?.name === 'RunMicrotasks') oursMicrotask++;
      }
      open.push(e);
    }
  }

  // Microtask checkpoints outside any script event (promise reactions: the continuation of an
  // awaited extension message, the overlay's React render after show()). The trace does not say
  // whose they are; the CPU samples taken during each one do, so its time (minus the script
  // events inside it) is split by the share of samples whose stack holds a frame of ours. A
  // checkpoint without samples stays unattributed (counted as the page's).
  const extra = []; // { ts, wall, cpu } credited to us, for the per-task figures
  let unattributed = 0;
  let si = 0;
  for (const m of microtasks) {
    if (scripts.some((s) => s.ts <= m.ts && s.ts + s.dur >= m.ts + m.dur)) continue;
    let inner = { wall: 0, cpu: 0 };
    let reach = -Infinity;
    const innerRanges = [];
    for (const s of scripts) {
      if (s.ts < m.ts || s.ts >= m.ts + m.dur || s.ts < reach) continue;
      const c = clip(s);
      inner = { wall: inner.wall + c.wall, cpu: inner.cpu + c.cpu };
      reach = s.ts + s.dur;
      innerRanges.push([s.ts, reach]);
    }
    const c = clip(m);
    const rest = { wall: Math.max(0, c.wall - inner.wall), cpu: Math.max(0, c.cpu - inner.cpu) };
    while (si < samples.length && samples[si].ts < m.ts) si++;
    let n = 0;
    let mine = 0;
    for (let j = si; j < samples.length && samples[j].ts < m.ts + m.dur; j++) {
      if (innerRanges.some(([a, b]) => samples[j].ts >= a && samples[j].ts < b)) continue;
      n++;
      if (samples[j].ours) mine++;
    }
    if (n === 0) {
      unattributed += rest.cpu;
      continue;
    }
    const share = mine / n;
    ours.wall += rest.wall * share;
    ours.cpu += rest.cpu * share;
    if (share > 0) extra.push({ ts: m.ts, wall: rest.wall * share, cpu: rest.cpu * share });
  }

  // Per task: our self time inside it.
  let k = 0;
  const perTask = top.map((t) => {
    const c = clip(t);
    let oursWall = 0;
    let oursCpu = 0;
    while (k < scripts.length && scripts[k].ts < t.ts) k++;
    for (let j = k; j < scripts.length && scripts[j].ts < t.ts + t.dur; j++) {
      if (!isOurs(urlOf(scripts[j]))) continue;
      oursWall += Math.max(0, self.get(scripts[j]).wall);
      oursCpu += Math.max(0, self.get(scripts[j]).cpu);
    }
    for (const x of extra) {
      if (x.ts < t.ts || x.ts >= t.ts + t.dur) continue;
      oursWall += x.wall;
      oursCpu += x.cpu;
    }
    return { ms: t.dur / 1000, wall: c.wall / 1000, cpu: c.cpu / 1000, oursWall: oursWall / 1000, oursCpu: oursCpu / 1000 };
  });
  const long = perTask.filter((t) => t.ms > LONG_TASK_MS);
  const sum = (xs, f) => xs.reduce((a, x) => a + f(x), 0);
  const busyWall = sum(perTask, (t) => t.wall);
  const busyCpu = sum(perTask, (t) => t.cpu);
  return {
    windowMs: (end - start) / 1000,
    tasks: perTask.length,
    busyMs: busyCpu,
    oursMs: ours.cpu / 1000,
    pageMs: busyCpu - ours.cpu / 1000,
    wall: { busyMs: busyWall, oursMs: ours.wall / 1000, pageMs: busyWall - ours.wall / 1000 },
    unattributedMs: unattributed / 1000,
    oursForcedMs: forcedCpu / 1000,
    oursRafCallbacks: oursRaf,
    oursMicrotaskCallbacks: oursMicrotask,
    maxTaskMs: Math.max(0, ...perTask.map((t) => t.ms)),
    maxOursInTaskMs: Math.max(0, ...perTask.map((t) => t.oursWall)),
    longTasks: long.length,
    longTasksWithOurs: long.filter((t) => t.oursWall > 0).length,
    longTasksOurs: long.filter((t) => t.oursWall > 0 && t.ms - t.oursWall <= LONG_TASK_MS).length,
    byUrl,
  };
}

/** Profile samples as [{ ts (trace clock, µs), ours: a frame of ours anywhere in the stack }]. */
export function profileSamples(profile, isOurs) {
  if (!profile) return [];
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const cache = new Map();
  const oursAt = (id) => {
    if (cache.has(id)) return cache.get(id);
    const v = isOurs(nodes.get(id).callFrame.url) || (parent.has(id) && oursAt(parent.get(id)));
    cache.set(id, v);
    return v;
  };
  const out = [];
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i];
    out.push({ ts: t, ours: oursAt(profile.samples[i]) });
  }
  return out;
}

/**
 * Sampling-profile cross-check: time of samples whose stack holds a frame of ours (any depth),
 * and self time per function of ours. Samples are in the trace clock (µs), like trace events.
 */
export function analyzeProfile(profile, { start = -Infinity, end = Infinity, isOurs }) {
  if (!profile) return null;
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const oursCache = new Map();
  const stackIsOurs = (id) => {
    if (oursCache.has(id)) return oursCache.get(id);
    const n = nodes.get(id);
    const v = isOurs(n.callFrame.url) || (parent.has(id) && stackIsOurs(parent.get(id)));
    oursCache.set(id, v);
    return v;
  };
  let t = profile.startTime;
  let sampledUs = 0;
  let oursUs = 0;
  const selfByFunction = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i];
    const dt = profile.timeDeltas[i + 1] ?? 0;
    if (t < start || t >= end) continue;
    const id = profile.samples[i];
    const n = nodes.get(id);
    const fn = n.callFrame.functionName;
    if (fn === '(idle)') continue;
    sampledUs += dt;
    if (!stackIsOurs(id)) continue;
    oursUs += dt;
    // Self time by the innermost frame of ours (native callees are charged to their JS caller).
    let x = id;
    while (x !== undefined && !isOurs(nodes.get(x).callFrame.url)) x = parent.get(x);
    const cf = nodes.get(x).callFrame;
    const key = `${cf.functionName || '(anonymous)'} ${cf.url.split('/').pop()}:${cf.lineNumber + 1}:${cf.columnNumber + 1}`;
    selfByFunction.set(key, (selfByFunction.get(key) ?? 0) + dt / 1000);
  }
  return {
    sampledMs: sampledUs / 1000,
    oursMs: oursUs / 1000,
    hotspots: [...selfByFunction].sort((a, b) => b[1] - a[1]).slice(0, 10).map(([fn, ms]) => ({ fn, ms: +ms.toFixed(1) })),
  };
}
