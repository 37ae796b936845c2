/**
 * The overlay's placement rule (components/overlay/use-anchor.ts): `auto` goes below; in a
 * right-to-left context `left` and `right` mirror (rules are written for the CRM's layout, and an
 * RTL CRM mirrors its layout), and so does an alignment along the inline axis. The e2e
 * overlay-position.spec.ts proves the same in real Chromium on an RTL page.
 */
import { describe, expect, it } from 'vitest';
import { placementFor } from '../../components/overlay/use-anchor';

describe('placementFor', () => {
  it('keeps every placement in a left-to-right context, auto going below', () => {
    expect((['top', 'bottom', 'left', 'right'] as const).map((p) => placementFor(p, 'ltr'))).toEqual(['top', 'bottom', 'left', 'right']);
    expect(placementFor('auto', 'ltr')).toBe('bottom');
    expect(placementFor('top-start', 'ltr')).toBe('top-start');
  });

  it('mirrors left and right in a right-to-left context, not top and bottom', () => {
    expect((['top', 'bottom', 'left', 'right'] as const).map((p) => placementFor(p, 'rtl'))).toEqual(['top', 'bottom', 'right', 'left']);
    expect(placementFor('auto', 'rtl')).toBe('bottom');
  });

  it('mirrors an inline-axis alignment on top and bottom, keeps a block-axis one on the sides', () => {
    expect(placementFor('top-start', 'rtl')).toBe('top-end');
    expect(placementFor('bottom-end', 'rtl')).toBe('bottom-start');
    expect(placementFor('left-start', 'rtl')).toBe('right-start');
    expect(placementFor('right-end', 'rtl')).toBe('left-end');
  });

  it('is its own inverse', () => {
    for (const p of ['top', 'bottom', 'left', 'right', 'top-start', 'bottom-end', 'left-start', 'right-end'] as const) {
      expect(placementFor(placementFor(p, 'rtl'), 'rtl')).toBe(p);
    }
  });
});
