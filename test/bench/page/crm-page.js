/*
 * The benchmark's CRM-like page, served at /bench/<screen>?n=<elements>. Runs in the page's own
 * world, synchronously at the end of <body>, so the whole page exists before document_idle (when
 * the extension's content script runs). Deterministic (seeded PRNG): the same n gives the same page.
 *
 *   <header>  nav: one link per screen, a search box, the user menu
 *   <main>
 *     #view     the current screen's toolbar, form (labels + inputs), badge and custom elements
 *               with open shadow roots; re-rendered on SPA navigation (__bench.navigate)
 *     #list     table.records, 100 rows (17 elements each, a checkbox, a link, an Edit button) in
 *               a fixed-height scroller: the list view the mutation storm re-renders
 *     .related  three tables of the same rows           35 % of the remaining element budget
 *     #feed     activity feed, deeply nested divs        40 %
 *     .details  read-only record fields (dl/dt/dd)       the rest, up to n elements in all
 * The last three are below the fold and use content-visibility: auto (see the CSS).
 *
 * window.__bench: stats(), storm(ms, rowsPerFrame, shiftPx), navigate(tag, ruleId), late(tag, ruleId),
 * waitTooltip(ruleId) — see each function. Frame counting: one rAF loop that increments `frame`
 * first thing in its callback and then runs the action a measurement asked for, so an action
 * "happens in frame f0"; a tooltip is "visible in frame V" when a ResizeObserver callback (which
 * runs in the rendering steps of the frame that lays it out, after rAF callbacks) sees it visible.
 */
(() => {
  const params = new URLSearchParams(location.search);
  const target = Number(params.get('n') ?? 20000);
  let seed = Number(params.get('seed') ?? 1234567);
  const rand = () => {
    // mulberry32
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const hash = () => Math.floor(rand() * 0xffffff).toString(36).padStart(5, '0');
  const pick = (a) => a[Math.floor(rand() * a.length)];
  const NAMES = ['Ada', 'Bjørn', 'Chen', 'Dina', 'Emil', 'Fatima', 'Goran', 'Hilde', 'Ivan', 'Jonas', 'Kari', 'Lars'];
  const LAST = ['Hansen', 'Johansen', 'Olsen', 'Larsen', 'Andersen', 'Berg', 'Haugen', 'Dahl', 'Lie', 'Moen'];
  const COMPANIES = ['Fjord AS', 'Nordlys AB', 'Polar Tech', 'Vestkyst Bygg', 'Aurora Retail', 'Kvitt Finans', 'Midnatt Media'];
  const STATUS = ['Open', 'Qualified', 'Proposal', 'Won', 'Lost'];
  const screenFromPath = () => (location.pathname.match(/\/bench\/(s\d\d|found)/) ?? [])[1] ?? 's00';

  // Custom element with an open shadow root, like Lightning's <lightning-input>.
  if (!customElements.get('bench-field')) {
    customElements.define(
      'bench-field',
      class extends HTMLElement {
        constructor() {
          super();
          this.attachShadow({ mode: 'open' });
        }
      },
    );
  }

  const css = document.createElement('style');
  css.textContent = `
    body { margin: 0; font: 13px/1.4 system-ui, sans-serif; color: #222; }
    header { display: flex; gap: 8px; padding: 6px 12px; background: #0b3d62; color: #fff; flex-wrap: wrap; }
    header a { color: #cfe6ff; }
    .toolbar { display: flex; gap: 6px; padding: 6px 12px; border-bottom: 1px solid #ddd; }
    form.record { display: grid; grid-template-columns: repeat(4, 1fr); gap: 4px 12px; padding: 8px 12px; }
    form.record label { display: block; font-size: 11px; color: #555; }
    .badge { display: inline-block; padding: 1px 6px; border-radius: 8px; background: #e4f4e4; }
    table { border-collapse: collapse; width: 100%; table-layout: fixed; }
    td, th { border-bottom: 1px solid #eee; padding: 2px 6px; overflow: hidden; white-space: nowrap; text-overflow: ellipsis; }
    .feed-item { padding: 2px 12px; }
    .feed-item .c { padding-left: 2px; }
    #list .scroller { height: 360px; overflow: auto; contain: strict; }
    /* Off-screen sections skip rendering work, as a well-built app's would: without this the page
       alone cannot hold 60 fps at 20k elements on 2 cores, and there would be no headroom to lose. */
    .related, #feed, .details { content-visibility: auto; contain-intrinsic-size: auto 5000px; }
  `;
  document.head.append(css);

  let rowSeq = 0;
  const rowHtml = () => {
    const id = ++rowSeq;
    const h = hash();
    return (
      `<tr class="r-${h}" data-id="r-${id}">` +
      `<td class="c-${h}"><input type="checkbox" aria-label="Select row ${id}"></td>` +
      `<td class="c-${h}"><a href="#/r/${id}" class="lnk-${hash()}">${pick(NAMES)} ${pick(LAST)} ${id}</a></td>` +
      `<td><span class="co-${h}">${pick(COMPANIES)}</span></td>` +
      `<td><span>${pick(NAMES).toLowerCase()}.${id}@example.com</span></td>` +
      `<td><div class="st-${h}"><span class="badge">${pick(STATUS)}</span></div></td>` +
      `<td>${(rand() * 100000).toFixed(0)} NOK</td>` +
      `<td><time>2025-0${1 + (id % 9)}-1${id % 10}</time></td>` +
      `<td><button class="act-${h}" type="button">Edit</button></td>` +
      `</tr>`
    );
  };
  const ROW_ELEMENTS = 17;
  const ROW_NODES = 24; // 17 elements + 7 text nodes

  const feedItemHtml = (k) => {
    const h = hash();
    return (
      `<div class="feed-item f-${h}"><div class="c c-${hash()}"><div class="c c-${hash()}"><div class="c c-${hash()}">` +
      `<span class="icon i-${h}"></span><div class="body"><p class="t"><strong>${pick(NAMES)} ${pick(LAST)}</strong> logged a call ${k}</p>` +
      `<div class="meta"><time>${1 + (k % 28)} days ago</time></div></div></div></div></div></div>`
    );
  }; // 11 elements

  function viewHtml(tag) {
    const fields = [];
    const labels = [`Account owner ${tag}`];
    for (let i = 0; i < 39; i++) labels.push(`Field ${i} ${pick(['name', 'phone', 'city', 'segment', 'source'])}`);
    labels.forEach((label, i) => {
      const id = `x-${hash()}`;
      fields.push(`<div class="fld-${hash()}"><label for="${id}">${label}</label><input id="${id}" type="text" name="f${i}"></div>`);
    });
    return (
      `<div class="toolbar tb-${hash()}">` +
      `<button type="button" data-qa="new-${tag}">New</button>` +
      `<button type="button" class="btn-${hash()}">Export ${tag}</button>` +
      `<button type="button">Refresh</button><button type="button">Import</button><button type="button">Print</button>` +
      `<span class="badge" id="badge-${tag}">Quarterly target reached ${tag}</span>` +
      `</div>` +
      `<h1>Bench screen ${tag}</h1>` +
      `<form class="record" onsubmit="return false">${fields.join('')}</form>` +
      `<div class="shadow-fields">${Array.from({ length: 6 }, () => `<bench-field></bench-field>`).join('')}</div>`
    );
  }
  function fillShadowFields(view, tag) {
    view.querySelectorAll('bench-field').forEach((host, i) => {
      const label = i === 0 ? `Stage ${tag}` : `Picklist ${i} ${hash()}`;
      host.shadowRoot.innerHTML =
        `<div class="field"><label for="in">${label}</label><select id="in"><option>Prospecting</option><option>Closed</option></select>` +
        `<span class="help">Pick one</span></div>`;
    });
  }
  function renderView(view, tag) {
    view.innerHTML = viewHtml(tag);
    fillShadowFields(view, tag);
  }

  // --- build ---
  const tag = screenFromPath();
  const header = document.createElement('header');
  header.innerHTML =
    Array.from({ length: 25 }, (_, i) => `<a href="/bench/s${String(i).padStart(2, '0')}">Screen s${String(i).padStart(2, '0')}</a>`).join('') +
    `<input type="search" aria-label="Global search" placeholder="Search"><button type="button" class="user-${hash()}">Me</button>`;
  const main = document.createElement('main');
  const view = document.createElement('section');
  view.id = 'view';
  renderView(view, tag);
  const refreshed = document.createElement('p');
  refreshed.className = 'refreshed';
  const refreshedText = document.createTextNode('Refreshed 0');
  refreshed.append(refreshedText);
  main.append(view, refreshed);
  document.body.append(header, main);

  const countAll = () => {
    let elements = 0;
    let texts = 0;
    let shadowRoots = 0;
    const walk = (root) => {
      const w = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
      for (let n = w.nextNode(); n; n = w.nextNode()) {
        if (n.nodeType === 3) texts++;
        else {
          elements++;
          if (n.shadowRoot) {
            shadowRoots++;
            walk(n.shadowRoot);
          }
        }
      }
    };
    walk(document.documentElement);
    return { elements: elements + 1, texts, shadowRoots };
  };
  const LIST_ROWS = Number(params.get('rows') ?? 100);
  const list = document.createElement('section');
  list.id = 'list';
  list.innerHTML =
    `<h2>All contacts</h2><div class="scroller"><table class="records grid-${hash()}"><thead><tr><th></th><th>Name</th><th>Company</th><th>E-mail</th>` +
    `<th>Status</th><th>Amount</th><th>Date</th><th></th></tr></thead><tbody>${Array.from({ length: LIST_ROWS }, rowHtml).join('')}</tbody></table></div>`;
  main.append(list);
  const fixed = countAll().elements;
  const budget = Math.max(0, target - fixed);
  const relatedRows = Math.floor((budget * 0.35) / ROW_ELEMENTS / 3);
  const related = document.createElement('section');
  related.className = 'related';
  related.innerHTML = [0, 1, 2]
    .map((t) => `<h2>Related ${t}</h2><table class="rel-${hash()}"><tbody>${Array.from({ length: relatedRows }, rowHtml).join('')}</tbody></table>`)
    .join('');
  const feedItems = Math.floor((budget * 0.4) / 11);
  const feed = document.createElement('section');
  feed.id = 'feed';
  feed.innerHTML = `<div class="panel"><section class="sub">${Array.from({ length: feedItems }, (_, k) => feedItemHtml(k)).join('')}</section></div>`;
  main.append(related, feed);
  // Record details: read-only fields (dl/dt/dd in groups) fill the rest of the budget.
  const details = document.createElement('section');
  details.className = `details d-${hash()}`;
  const detailFields = Math.max(0, Math.floor((target - countAll().elements - 2) / 4));
  let html = '';
  for (let i = 0; i < detailFields; i++) {
    if (i % 10 === 0) html += `${i ? '</dl></div>' : ''}<div class="group g-${hash()}"><dl>`;
    html += `<div class="f-${hash()}"><dt>Detail ${i}</dt><dd>${pick(COMPANIES)}</dd></div>`;
  }
  details.innerHTML = html + (html ? '</dl></div>' : '');
  main.append(details);
  const tbody = list.querySelector('tbody');

  // --- frames ---
  const state = { frame: 0, loops: 0, actions: [], hooks: new Set() };
  const loop = () => {
    state.frame++;
    for (const h of state.hooks) h();
    const actions = state.actions.splice(0);
    for (const a of actions) a();
    if (state.loops > 0) requestAnimationFrame(loop);
  };
  const frames = {
    start() {
      if (state.loops++ === 0) requestAnimationFrame(loop);
    },
    stop() {
      state.loops = Math.max(0, state.loops - 1);
    },
    /** Run fn inside the next frame's rAF callback; resolves with { frame, t } of that moment. */
    inNextFrame(fn) {
      return new Promise((resolve) => state.actions.push(() => {
        const t = performance.now();
        fn();
        resolve({ frame: state.frame, t });
      }));
    },
  };

  // --- tooltip detection (the overlay's shadow root is open) ---
  const findTip = (ruleId) =>
    document.querySelector('crm-coach-overlay')?.shadowRoot?.querySelector(`[role="dialog"][data-rule="${CSS.escape(ruleId)}"]`) ?? null;
  const tipVisible = (el) => {
    if (!el.isConnected || !el.checkVisibility({ visibilityProperty: true })) return false;
    if (el.style.left === '' || el.style.top === '') return false; // not positioned yet
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth;
  };
  /**
   * Resolves when the tooltip of ruleId is in the DOM and visible: { frame, t, via }. `frame` is
   * the frame that renders it (ResizeObserver), or, when it became visible without a size change,
   * the frame whose rAF saw it first (an upper bound). Rejects after timeoutMs.
   */
  function waitTooltip(ruleId, timeoutMs = 10_000) {
    return new Promise((resolve, reject) => {
      let done = false;
      const observed = new WeakSet();
      let observingHost = null;
      const ro = new ResizeObserver(() => check('ro'));
      const mo = new MutationObserver(() => check('mo'));
      mo.observe(document.documentElement, { childList: true });
      const hook = () => check('raf');
      state.hooks.add(hook);
      frames.start();
      const timer = setTimeout(() => finish(null), timeoutMs);
      function finish(result) {
        if (done) return;
        done = true;
        clearTimeout(timer);
        ro.disconnect();
        mo.disconnect();
        state.hooks.delete(hook);
        frames.stop();
        if (result) resolve(result);
        else reject(new Error(`tooltip ${ruleId} not visible within ${timeoutMs} ms`));
      }
      function check(via) {
        if (done) return;
        const host = document.querySelector('crm-coach-overlay');
        if (host?.shadowRoot && observingHost !== host) {
          observingHost = host;
          mo.observe(host.shadowRoot, { childList: true, subtree: true });
        }
        const el = findTip(ruleId);
        if (!el) return;
        if (!observed.has(el)) {
          observed.add(el);
          ro.observe(el);
        }
        if ((via === 'ro' || via === 'raf') && tipVisible(el)) finish({ frame: state.frame, t: performance.now(), via });
      }
      check('init');
    });
  }

  // --- mutation storm: the list view refreshing ---
  /**
   * For ms milliseconds, every frame: re-render rowsPerFrame rows of the list in place (remove
   * them, insert as many new ones where they were; the block moves down the list frame by frame)
   * and update the "Refreshed" text. Resolves with frames counted and nodes moved per second.
   * performance.mark()s bracket the window (the trace analysis uses them) and a "bench-window"
   * event announces its end (the naive matcher stops its passes there).
   * shiftPx > 0: also, every frame, a banner above the view grows by shiftPx (back to 0 every 100
   * frames; its style only, no nodes), so everything in the view (the tooltips' targets) moves
   * down every frame, as under an expanding notification.
   */
  let stopStorm = () => {};
  function storm(ms, rowsPerFrame = 6, shiftPx = 0) {
    return new Promise((resolve) => {
      let stopped = false;
      let banner = null;
      if (shiftPx > 0) {
        banner = document.createElement('div');
        banner.className = 'bench-shift';
        main.prepend(banner);
      }
      stopStorm = () => (stopped = true);
      let inserted = 0;
      let removed = 0;
      let count = 0;
      let t0 = 0;
      const tpl = document.createElement('template');
      const hook = () => {
        const now = performance.now();
        if (count === 0) {
          t0 = now;
          performance.mark('bench-window-start');
          dispatchEvent(new CustomEvent('bench-window', { detail: { start: t0, end: t0 + ms } }));
        } else if (now - t0 >= ms || stopped) {
          performance.mark('bench-window-end');
          state.hooks.delete(hook);
          frames.stop();
          banner?.remove();
          const seconds = (now - t0) / 1000;
          resolve({ frames: count, seconds, fps: count / seconds, insertedPerSec: inserted / seconds, removedPerSec: removed / seconds });
          return;
        }
        count++;
        // Re-render a block of rows in place, moving through the list (the list refreshing).
        const rows = tbody.children;
        const at = ((count - 1) * rowsPerFrame) % Math.max(1, rows.length - rowsPerFrame + 1);
        const ref = rows[at + rowsPerFrame] ?? null;
        for (let i = 0; i < rowsPerFrame && rows[at]; i++) {
          rows[at].remove();
          removed += ROW_NODES;
        }
        tpl.innerHTML = Array.from({ length: rowsPerFrame }, rowHtml).join('');
        tbody.insertBefore(tpl.content, ref);
        inserted += ROW_NODES * rowsPerFrame;
        refreshedText.data = `Refreshed ${count}`;
        if (banner) banner.style.height = `${(count % 100) * shiftPx}px`;
      };
      state.hooks.add(hook);
      frames.start();
    });
  }

  /** Counts frames for ms milliseconds with nothing else going on (checks the rAF rate). */
  function idleFps(ms) {
    return new Promise((resolve) => {
      let count = 0;
      let t0 = 0;
      const hook = () => {
        const now = performance.now();
        if (count === 0) t0 = now;
        else if (now - t0 >= ms) {
          state.hooks.delete(hook);
          frames.stop();
          resolve({ frames: count, fps: count / ((now - t0) / 1000) });
          return;
        }
        count++;
      };
      state.hooks.add(hook);
      frames.start();
    });
  }

  /** SPA navigation: in one frame, pushState to the screen and render its view (its targets exist). */
  async function navigate(toTag, ruleId) {
    if (findTip(ruleId)) throw new Error(`tooltip ${ruleId} already shown before navigating`);
    const waiting = waitTooltip(ruleId);
    frames.start();
    const at = await frames.inNextFrame(() => {
      history.pushState({}, '', `/bench/${toTag}${location.search}`);
      renderView(view, toTag);
    });
    frames.stop();
    const seen = await waiting;
    return { ms: seen.t - at.t, frames: seen.frame - at.frame, via: seen.via };
  }

  /** A pending rule's target appears (inserted in one frame); then it is removed again. */
  async function late(tagNow, ruleId) {
    if (findTip(ruleId)) throw new Error(`tooltip ${ruleId} already shown before its target appeared`);
    const waiting = waitTooltip(ruleId);
    frames.start();
    let button;
    const at = await frames.inNextFrame(() => {
      button = document.createElement('button');
      button.type = 'button';
      button.dataset.benchLate = tagNow;
      button.textContent = 'Late control';
      view.querySelector('.toolbar').append(button);
    });
    frames.stop();
    const seen = await waiting;
    button.remove();
    await gone(ruleId);
    return { ms: seen.t - at.t, frames: seen.frame - at.frame, via: seen.via };
  }

  /** Resolves once the tooltip of ruleId is no longer in the DOM (hidden by the engine). */
  function gone(ruleId, timeoutMs = 5000) {
    return new Promise((resolve, reject) => {
      const t0 = performance.now();
      const hook = () => {
        if (!findTip(ruleId)) {
          state.hooks.delete(hook);
          frames.stop();
          resolve();
        } else if (performance.now() - t0 > timeoutMs) {
          state.hooks.delete(hook);
          frames.stop();
          reject(new Error(`tooltip ${ruleId} still shown ${timeoutMs} ms after its target left`));
        }
      };
      state.hooks.add(hook);
      frames.start();
    });
  }

  /** Page load -> first tooltip visible (ms since navigation start), watched from the start. */
  const firstTooltip = {};
  window.__benchWatchFirst = (ruleId) => {
    firstTooltip[ruleId] ??= waitTooltip(ruleId, 20_000).then((s) => ({ ms: s.t, via: s.via }));
    return firstTooltip[ruleId];
  };
  const firstRule = params.get('watch');
  if (firstRule) window.__benchWatchFirst(firstRule);

  window.__bench = { tag, stats: () => ({ ...countAll(), listRows: tbody.children.length, relatedRows: relatedRows * 3, feedItems, detailFields }), storm, stopStorm: () => stopStorm(), idleFps, navigate, late, gone, waitTooltip, findTip: (id) => findTip(id) !== null };
})();
