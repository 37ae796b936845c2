/**
 * The element picker, injected by the background (scripting.executeScript, like the overlay)
 * into the CRM tab the admin last used, when the editor asks to "pick on page".
 *
 * Hover highlights the element under the pointer (one rAF per pointer move, no polling); click
 * picks it (the click never reaches the CRM); Escape cancels. The picker then lists target
 * candidates, most robust first, with how many elements each matches on this page (the engine's
 * own resolver, across open shadow roots), and sends the one the admin chooses back over a
 * port. Everything it draws lives in its OWN shadow root: the page is never restyled.
 */
import { browser } from 'wxt/browser';
import { RootRegistry } from '../lib/dom/root-registry';
import { describeTarget, meaningfulTarget, targetCandidates, type Candidate } from '../lib/editor/picker-candidates';
import { TargetScope } from '../lib/targets/resolve-target';

const HOST_TAG = 'crm-coach-picker';
const PORT_NAME = 'crm-coach:picker'; // = PICKER_PORT in lib/editor/admin-background.ts (no zod here)
const STATE = Symbol.for('crm-coach/picker');

const css = `
:host { all: initial; }
.box { position: fixed; pointer-events: none; z-index: 2147483646; border: 2px solid #1a56db; background: rgba(26,86,219,.12); border-radius: 3px; box-sizing: border-box; display: none; }
.bar { position: fixed; inset-block-start: 8px; inset-inline-start: 50%; transform: translateX(-50%); z-index: 2147483647; font: 13px/1.4 system-ui, sans-serif; color: #1d2b3a; background: #fff; border: 1px solid #8a9bb0; border-radius: 8px; box-shadow: 0 6px 24px rgba(0,0,0,.2); padding: 8px 12px; max-width: min(640px, 92vw); }
.bar p { margin: 0 0 6px; }
ol { list-style: none; margin: 0; padding: 0; }
li { margin: 4px 0; }
button { font: inherit; padding: 4px 10px; border-radius: 6px; border: 1px solid #6b7f93; background: #fff; color: #1d2b3a; cursor: pointer; text-align: start; }
button.choice { display: flex; gap: 8px; width: 100%; align-items: baseline; }
button.choice:focus-visible, button:focus-visible { outline: 2px solid #1a56db; outline-offset: 2px; }
.kind { font-weight: 600; min-width: 6em; }
code { font: 12px ui-monospace, monospace; word-break: break-all; }
.count { margin-inline-start: auto; white-space: nowrap; color: #4a5d70; }
.warn { color: #9f1239; }
`;

export default defineUnlistedScript(() => {
  const g = globalThis as Record<symbol, AbortController | undefined>;
  g[STATE]?.abort(); // injected again: the earlier picker goes
  const controller = new AbortController();
  g[STATE] = controller;
  const { signal } = controller;

  const port = browser.runtime.connect({ name: PORT_NAME });
  port.onDisconnect.addListener(() => controller.abort());
  signal.addEventListener('abort', () => {
    host.remove();
    delete g[STATE];
    try {
      port.disconnect();
    } catch {
      // already gone
    }
  });

  const host = document.createElement(HOST_TAG);
  const shadow = host.attachShadow({ mode: 'open' });
  const style = document.createElement('style');
  style.textContent = css;
  const box = document.createElement('div');
  box.className = 'box';
  const bar = document.createElement('div');
  bar.className = 'bar';
  bar.setAttribute('role', 'dialog');
  bar.setAttribute('aria-label', 'CRM Coach element picker');
  const hint = document.createElement('p');
  hint.textContent = 'CRM Coach: click the element the tooltip should point at. Esc cancels.';
  bar.append(hint);
  shadow.append(style, box, bar);
  document.documentElement.append(host);

  let hovered: Element | null = null;
  let frame = 0;
  let choosing = false;

  const deepest = (event: Event): Element | null => {
    const first = event.composedPath()[0];
    return first instanceof Element && first !== host ? first : null;
  };
  const ours = (event: Event) => event.composedPath().includes(host);

  const draw = () => {
    frame = 0;
    const el = hovered ? meaningfulTarget(hovered) : null;
    if (!el) {
      box.style.display = 'none';
      return;
    }
    const r = el.getBoundingClientRect();
    Object.assign(box.style, { display: 'block', left: `${r.left}px`, top: `${r.top}px`, width: `${r.width}px`, height: `${r.height}px` });
  };

  const onMove = (event: PointerEvent) => {
    if (choosing || ours(event)) return;
    hovered = deepest(event);
    if (!frame) frame = requestAnimationFrame(draw);
  };
  // Swallow the CRM's own reaction to the pick: capture phase on window, before the page.
  const swallow = (event: Event) => {
    if (ours(event)) return;
    event.preventDefault();
    event.stopImmediatePropagation();
  };
  const onClick = (event: MouseEvent) => {
    if (ours(event)) return;
    swallow(event);
    if (choosing) return;
    const el = deepest(event);
    if (el) propose(el);
  };
  const onKey = (event: KeyboardEvent) => {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    event.stopImmediatePropagation();
    port.postMessage({ type: 'cancelled' });
    controller.abort();
  };

  const opts = { capture: true, signal };
  window.addEventListener('pointermove', onMove, { ...opts, passive: true });
  for (const type of ['pointerdown', 'pointerup', 'mousedown', 'mouseup', 'dblclick', 'auxclick', 'contextmenu'] as const) {
    window.addEventListener(type, swallow, opts);
  }
  window.addEventListener('click', onClick, opts);
  window.addEventListener('keydown', onKey, opts);
  signal.addEventListener('abort', () => cancelAnimationFrame(frame));

  const KIND_LABEL: Record<Candidate['kind'], string> = { role: 'Role + name', label: 'Field label', attribute: 'Attribute', css: 'CSS path' };

  function propose(picked: Element) {
    choosing = true;
    hovered = picked;
    draw();
    const registry = new RootRegistry(document, () => {}, signal);
    const candidates = targetCandidates(picked, { scope: new TargetScope(registry.roots) });
    bar.replaceChildren();
    const p = document.createElement('p');
    p.textContent = 'Choose how CRM Coach should find it (most robust first):';
    const list = document.createElement('ol');
    for (const c of candidates) {
      const li = document.createElement('li');
      const b = document.createElement('button');
      b.className = 'choice';
      b.type = 'button';
      b.dataset.kind = c.kind;
      const kind = document.createElement('span');
      kind.className = 'kind';
      kind.textContent = KIND_LABEL[c.kind];
      const code = document.createElement('code');
      code.textContent = describeTarget(c.target);
      const count = document.createElement('span');
      count.className = c.count === 1 && c.resolves ? 'count' : 'count warn';
      count.textContent = `${c.count} ${c.count === 1 ? 'match' : 'matches'}` + (c.resolves ? '' : ', not this one');
      b.append(kind, code, count);
      b.addEventListener('click', () => {
        port.postMessage({ type: 'picked', target: c.target });
        controller.abort();
      }, { signal });
      li.append(b);
      list.append(li);
    }
    const again = document.createElement('button');
    again.type = 'button';
    again.textContent = 'Pick another element';
    again.addEventListener('click', () => {
      choosing = false;
      bar.replaceChildren(hint);
    }, { signal });
    const cancel = document.createElement('button');
    cancel.type = 'button';
    cancel.textContent = 'Cancel';
    cancel.addEventListener('click', () => {
      port.postMessage({ type: 'cancelled' });
      controller.abort();
    }, { signal });
    bar.append(p, list, again, document.createTextNode(' '), cancel);
    (list.querySelector('button') as HTMLButtonElement | null)?.focus();
  }
});
