import { describe, expect, it } from 'vitest';
import { createErrorBannerDetector } from '../../../lib/signals/detectors/error-banner';
import type { Detection, Observation } from '../../../lib/signals/detectors/detection';
import { DEFAULT_FRICTION_THRESHOLDS } from '../../../lib/signals/thresholds';

const SCREEN = 'demo/contact-record';
const SAVE = 'demo/contact-record.tooltips#save';
const defaults = DEFAULT_FRICTION_THRESHOLDS.errorBanner; // rearm 2 s, attribution 10 s

function setup() {
  let t = 0;
  const detector = createErrorBannerDetector({ thresholds: defaults, now: () => t });
  const out: Detection[] = [];
  const feed = (at: number, o: Observation) => {
    t = at;
    out.push(...detector.observe(o));
  };
  feed(0, { kind: 'screen', screen: SCREEN });
  const banner = (at: number, present: boolean) => feed(at, { kind: 'error-banner', present });
  const click = (at: number, target?: string) => feed(at, { kind: 'click', element: 1, target, x: 0, y: 0, clickable: true, editable: false });
  return { out, feed, banner, click };
}

describe('error-banner', () => {
  it('an appearance is reported once while the banner stays', () => {
    const { out, banner } = setup();
    banner(100, false);
    banner(200, true);
    banner(300, true);
    banner(5000, true);
    expect(out).toEqual([{ type: 'error-banner', screen: SCREEN }]);
  });

  it('a banner already there at the first check counts', () => {
    const { out, banner } = setup();
    banner(100, true);
    expect(out).toHaveLength(1);
  });

  it('re-appearing counts again only after being gone for rearmMs (exactly counts, just under not)', () => {
    const { out, banner } = setup();
    banner(0, true);
    banner(1000, false);
    banner(1000 + defaults.rearmMs - 1, true); // flicker / re-render
    expect(out).toHaveLength(1);
    banner(4000, false);
    banner(4000 + defaults.rearmMs, true);
    expect(out).toHaveLength(2);
  });

  it('is attributed to the rule-named control clicked just before (within attributionMs)', () => {
    const a = setup();
    a.click(1000, SAVE);
    a.banner(1000 + defaults.attributionMs, true);
    expect(a.out).toEqual([{ type: 'error-banner', screen: SCREEN, target: SAVE }]);

    const b = setup();
    b.click(1000, SAVE);
    b.banner(1001 + defaults.attributionMs, true);
    expect(b.out).toEqual([{ type: 'error-banner', screen: SCREEN }]);
  });

  it('the latest action wins: an unnamed click after Save means no attribution', () => {
    const { out, click, banner } = setup();
    click(1000, SAVE);
    click(1500);
    banner(2000, true);
    expect(out).toEqual([{ type: 'error-banner', screen: SCREEN }]);
  });

  it('a submit is an action too', () => {
    const { out, feed, banner } = setup();
    feed(1000, { kind: 'submit', form: 1, target: SAVE, blocked: false });
    banner(2000, true);
    expect(out).toEqual([{ type: 'error-banner', screen: SCREEN, target: SAVE }]);
  });

  it('a toast that stays across a screen change is not counted twice; actions do not cross screens', () => {
    const { out, feed, banner, click } = setup();
    click(100, SAVE);
    banner(200, true);
    feed(300, { kind: 'screen', screen: 'demo/contact-list' });
    banner(400, true);
    expect(out).toHaveLength(1);
    banner(500, false);
    banner(3000, true);
    expect(out).toEqual([
      { type: 'error-banner', screen: SCREEN, target: SAVE },
      { type: 'error-banner', screen: 'demo/contact-list' },
    ]);
  });
});
