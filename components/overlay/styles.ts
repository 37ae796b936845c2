/**
 * The overlay's CSS, inside our shadow root. `:host { all: initial }` cuts inheritance from the
 * CRM page; nothing the host page styles can reach in. Colours meet WCAG AA on their backgrounds.
 */
export const overlayCss = `
:host { all: initial; }
.layer { position: fixed; inset: 0 auto auto 0; width: 0; height: 0; z-index: 2147483647; }
.tooltip {
  position: fixed; top: 0; left: 0; box-sizing: border-box; max-width: min(320px, 90vw);
  padding: 12px 14px; border-radius: 8px; background: #1d2b3a; color: #ffffff;
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; text-align: start;
  box-shadow: 0 6px 24px rgb(0 0 0 / 0.22); pointer-events: auto;
  animation: crm-coach-in 120ms ease-out;
}
.tooltip:focus-visible { outline: 3px solid #7cc4ff; outline-offset: 2px; }
.title { margin: 0 0 4px; font-size: 14px; font-weight: 650; }
.text { margin: 0; white-space: pre-line; }
.actions { display: flex; justify-content: flex-end; margin-top: 10px; }
.dismiss {
  all: unset; cursor: pointer; padding: 4px 10px; border-radius: 5px; font-weight: 600; font-size: 13px;
  background: #ffffff; color: #1d2b3a;
}
.dismiss:focus-visible { outline: 2px solid #7cc4ff; outline-offset: 2px; }
.arrow { position: absolute; width: 10px; height: 10px; background: #1d2b3a; transform: rotate(45deg); }
@keyframes crm-coach-in { from { opacity: 0; transform: translateY(2px); } to { opacity: 1; } }
@media (prefers-reduced-motion: reduce) { .tooltip { animation: none; } }
`;
