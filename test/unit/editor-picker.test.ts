import { parseHTML } from 'linkedom';
import { beforeAll, describe, expect, it } from 'vitest';
import { isGeneratedValue, isUtilityClass, minimalCssPath, targetCandidates } from '../../lib/editor/picker-candidates';
import { TargetScope } from '../../lib/targets/resolve-target';

// linkedom gives a DOM without layout: every connected element counts as visible here.
beforeAll(() => {
  const { window } = parseHTML('<html></html>');
  for (const name of ['Element', 'HTMLElement', 'Document', 'ShadowRoot', 'Node', 'NodeFilter', 'DocumentFragment'] as const) {
    (globalThis as Record<string, unknown>)[name] ??= (window as unknown as Record<string, unknown>)[name];
  }
  (window.Element.prototype as unknown as { getClientRects: () => unknown[] }).getClientRects = function (this: Element) {
    return this.isConnected ? [{}] : [];
  };
});

function page(html: string) {
  const { document } = parseHTML(`<!doctype html><html><body>${html}</body></html>`);
  return { document, scope: new TargetScope([document]) };
}

describe('generated ids and utility classes are never proposed', () => {
  it.each([':r1:', ':R2b6:', 'ember123', 'gwt-uid-42', 'gwt-7', '3f2b9c1e-8a4d-4c2e-9b1a-7d6e5f4a3b2c', 'input-123', 'field-2-label', 'j_id0:j_id12', 'mui-5', 'a1b2c3d4e5f6a7'])(
    'generated: %s',
    (v) => expect(isGeneratedValue(v)).toBe(true),
  );
  it.each(['search', 'new-opportunity', 'log-call', 'closeDate', 'main-nav', 'q'])('stable: %s', (v) => expect(isGeneratedValue(v)).toBe(false));
  it.each(['mt-4', 'px-2', 'flex', 'hover:bg-blue-500', 'w-[13px]', 'text-sm', 'css-1x2y3z', 'button_x7f2a', 'slds-m-top_small', 'sr-only'])(
    'utility: %s',
    (c) => expect(isUtilityClass(c)).toBe(true),
  );
  it.each(['contact-card', 'toolbar', 'record-header', 'slds-button'])('meaningful: %s', (c) => expect(isUtilityClass(c)).toBe(false));
});

describe('target candidates, most robust first', () => {
  it('role + name first, then the stable attribute, then a CSS path; counts say how many match', () => {
    const { document, scope } = page(`
      <main><div class="toolbar flex mt-4">
        <button id="ember812" class="px-2 btn-primary" data-qa="new-contact"><span>New contact</span></button>
        <button>Export</button>
      </div></main>`);
    const span = document.querySelector('span')!;
    const candidates = targetCandidates(span, { scope });
    // The minimal CSS path is the data-qa selector itself, so it is not listed twice.
    expect(candidates.map((c) => c.kind)).toEqual(['role', 'attribute']);
    expect(candidates[0]).toEqual({ kind: 'role', target: { role: 'button', name: 'New contact' }, count: 1, resolves: true });
    expect(candidates[1]!.target).toEqual({ css: 'button[data-qa="new-contact"]' });
    // The CSS path never uses the generated id or utility classes.
    for (const c of candidates) expect(JSON.stringify(c.target)).not.toMatch(/ember812|px-2|mt-4|"flex/);
    // Without the data-qa, a CSS path is built from meaningful classes only.
    document.querySelector('button')!.removeAttribute('data-qa');
    const css = targetCandidates(span, { scope }).find((c) => c.kind === 'css')!;
    expect(css).toMatchObject({ target: { css: 'button.btn-primary' }, count: 1, resolves: true });
  });

  it('a form field is proposed by its label; a field name is a stable attribute', () => {
    const { document, scope } = page(`<form><label for="f1">Amount *</label><input id="f1" name="amount" class="w-full"></form>`);
    const input = document.querySelector('input')!;
    const candidates = targetCandidates(input, { scope });
    const kinds = candidates.map((c) => c.kind);
    expect(kinds.indexOf('attribute')).toBeGreaterThan(-1);
    expect(candidates.find((c) => c.kind === 'attribute' && c.target.css === 'input[name="amount"]')).toMatchObject({ count: 1, resolves: true });
    if (kinds.includes('label')) expect(candidates.find((c) => c.kind === 'label')!.target).toEqual({ label: 'Amount' });
  });

  it('a candidate that matches several elements says which one (nth), and unique ones win ties', () => {
    const { document, scope } = page(`<ul><li><button>Edit</button></li><li><button>Edit</button></li><li><button>Edit</button></li></ul>`);
    const third = document.querySelectorAll('button')[2]!;
    const [first] = targetCandidates(third, { scope });
    expect(first).toMatchObject({ kind: 'role', target: { role: 'button', name: 'Edit', nth: 2 }, count: 3, resolves: true });
  });

  it('candidates that would not find the picked element come last', () => {
    const { document, scope } = page(`<button aria-label="Save">A</button><div role="button" aria-label="Save">B</div>`);
    const div = document.querySelector('div')!;
    // A resolver that cannot see the div (as if it were hidden): every candidate is counted but does not resolve.
    const candidates = targetCandidates(div, { scope, matches: (s) => (s.role ? [document.querySelector('button')!] : [div]) });
    expect(candidates.at(-1)).toMatchObject({ kind: 'role', resolves: false, count: 1 });
    expect(candidates[0]!.resolves).toBe(true);
  });

  it('a minimal CSS path climbs only until it is unique, with nth-of-type where needed', () => {
    const { document } = page(`<section class="contact-card"><p>a</p><p>b</p></section><section><p>c</p></section>`);
    const b = document.querySelectorAll('p')[1]!;
    const count = (css: string) => document.querySelectorAll(css).length;
    const path = minimalCssPath(b, count);
    expect(count(path)).toBe(1);
    expect(document.querySelector(path)).toBe(b);
  });

  it('works inside an open shadow root (the path stays inside it)', () => {
    const { document } = page(`<nordlys-picklist></nordlys-picklist>`);
    const host = document.querySelector('nordlys-picklist')!;
    const shadow = host.attachShadow({ mode: 'open' });
    shadow.innerHTML = '<label for="s">Stage</label><select id="s" name="stage"><option>A</option></select>';
    const scope = new TargetScope([document, shadow]);
    const select = shadow.querySelector('select')!;
    const attribute = targetCandidates(select, { scope }).find((c) => c.kind === 'attribute' && c.target.css === 'select[name="stage"]');
    expect(attribute).toMatchObject({ count: 1, resolves: true });
  });
});
