/**
 * The overlay's CSS, inside our shadow root. `:host { all: initial !important }` cuts inheritance
 * from the CRM page, and wins over anything the page says about our host element: for
 * !important declarations the shadow tree's own context beats the outer one (CSS Cascade 5,
 * "context"), even the page's `* { all: unset !important }` or `display: none !important`.
 * Nothing else of the page's CSS reaches into the shadow root (not even `::backdrop`).
 * The layer is a manual popover in the top layer (top-layer.ts); its rules below undo the
 * browser's popover defaults. Without the Popover API it is a fixed box at the top z-index.
 * Colours meet WCAG AA on their backgrounds (checked by axe in the e2e run). Logical properties
 * (inset-inline, margin-inline) keep right-to-left layouts right; rule text takes the direction
 * of its own script per paragraph (unicode-bidi: plaintext), so English in an RTL CRM and Arabic
 * in an LTR one both read right.
 */
export const overlayCss = `
:host { all: initial !important; display: block !important; position: fixed !important; inset: 0 auto auto 0 !important;
  width: 0 !important; height: 0 !important; overflow: visible !important; visibility: visible !important;
  opacity: 1 !important; transform: none !important; z-index: 2147483647 !important; }
.layer { position: fixed; inset: 0 auto auto 0; width: 0; height: 0; margin: 0; padding: 0; border: 0; overflow: visible;
  background: transparent; z-index: 2147483647;
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d2b3a; }
.layer:popover-open { display: block; }
.tooltip p, .tooltip li, .panel p, .panel li, .panel h2, .panel h3 { unicode-bidi: plaintext; }
.tooltip, .panel {
  position: fixed; top: 0; left: 0; box-sizing: border-box; max-width: min(340px, 92vw);
  padding: 12px 14px; border-radius: 8px; background: #1d2b3a; color: #ffffff; text-align: start;
  box-shadow: 0 6px 24px rgb(0 0 0 / 0.22); pointer-events: auto; animation: crm-coach-in 120ms ease-out;
}
.tooltip:focus-visible, .panel:focus-visible { outline: 3px solid #7cc4ff; outline-offset: 2px; }
.tooltip.tip { border-inline-start: 4px solid #5eead4; }
.tooltip.centered { top: 50% !important; left: 50% !important; transform: translate(-50%, -50%); }
.title { margin: 0 0 4px; font-size: 14px; font-weight: 650; }
.eyebrow { margin: 0 0 4px; font-size: 12px; color: #c7d2de; }
.text { margin: 0; }
.text p { margin: 0 0 6px; }
.text ul, .text ol { margin: 0 0 6px; padding-inline-start: 20px; }
.text code, .text kbd { font: 12px ui-monospace, SFMono-Regular, Menlo, monospace; background: #33465a; padding: 1px 4px; border-radius: 3px; }
.text kbd { border: 1px solid #6b7f93; }
.text a, .muted a { color: #9fd3ff; }
.saves { margin: 8px 0 0; font-size: 13px; display: flex; flex-direction: column; gap: 2px; }
.saves strong { color: #5eead4; }
.replaces { color: #c7d2de; }
.actions { display: flex; flex-wrap: wrap; align-items: center; justify-content: flex-end; gap: 6px; margin-top: 10px; }
.secondary-actions { margin-inline-end: auto; display: flex; gap: 4px; }
button { font: inherit; cursor: pointer; border-radius: 5px; padding: 4px 10px; font-size: 13px; font-weight: 600;
  border: 1px solid #8aa0b6; background: transparent; color: #ffffff; }
button.primary { background: #ffffff; color: #1d2b3a; border-color: #ffffff; }
button.link { border-color: transparent; color: #c7d2de; text-decoration: underline; padding: 4px 6px; font-weight: 500; }
button:focus-visible, input:focus-visible, textarea:focus-visible { outline: 2px solid #7cc4ff; outline-offset: 2px; }
.feedback { margin-top: 10px; border-top: 1px solid #33465a; padding-top: 8px; }
.feedback-kinds { display: flex; flex-wrap: wrap; gap: 4px; }
.chip { font-size: 12px; font-weight: 500; padding: 2px 8px; border-radius: 999px; }
.chip[aria-pressed="true"] { background: #ffffff; color: #1d2b3a; }
.feedback-comment { display: flex; flex-direction: column; gap: 4px; margin-top: 6px; font-size: 12px; }
.feedback-comment textarea, .panel input { font: inherit; color: #1d2b3a; background: #ffffff; border: 1px solid #8aa0b6; border-radius: 4px; padding: 4px 6px; }
.feedback-comment button { align-self: flex-end; }
.feedback-thanks { margin: 8px 0 0; font-size: 12px; color: #c7d2de; }
.arrow { position: absolute; width: 10px; height: 10px; background: #1d2b3a; transform: rotate(45deg); }
.beacon { position: fixed; top: 0; left: 0; width: 22px; height: 22px; padding: 0; border: 0; border-radius: 50%;
  background: transparent; pointer-events: auto; display: grid; place-items: center; }
.beacon-dot { width: 12px; height: 12px; border-radius: 50%; background: #0f766e; box-shadow: 0 0 0 0 rgb(15 118 110 / 0.6);
  animation: crm-coach-pulse 1.6s infinite; }
.launcher-wrap { position: fixed; inset-block-end: 20px; inset-inline-end: 20px; pointer-events: auto; }
.launcher { width: 44px; height: 44px; border-radius: 50%; background: #0f766e; color: #ffffff; border: 2px solid #ffffff;
  font-size: 20px; font-weight: 700; box-shadow: 0 4px 14px rgb(0 0 0 / 0.25); touch-action: none; position: relative; }
.launcher-badge { position: absolute; top: -2px; inset-inline-end: -2px; width: 12px; height: 12px; border-radius: 50%; background: #f59e0b; border: 2px solid #ffffff; }
.panel { position: absolute; top: auto; left: auto; inset-block-end: 56px; inset-inline-end: 0; width: min(360px, 92vw);
  max-height: min(70vh, 560px); overflow: auto; background: #ffffff; color: #1d2b3a; border: 1px solid #c9d3dd; }
.panel-head { display: flex; align-items: center; justify-content: space-between; gap: 8px; }
.panel h2 { font-size: 15px; margin: 0; }
.panel h3 { font-size: 13px; margin: 12px 0 6px; color: #3b4d60; }
.panel button { color: #1d2b3a; border-color: #6b7f93; }
.panel button.primary { background: #0f766e; border-color: #0f766e; color: #ffffff; }
.panel button.icon { border: 0; font-size: 18px; padding: 0 6px; }
.panel input { width: 100%; box-sizing: border-box; margin: 8px 0 0; }
.panel .muted { color: #4a5d70; font-size: 12px; }
.panel .ledger { margin: 6px 0 0; padding: 6px 8px; border-radius: 6px; background: #ecfdf5; color: #065f46; font-weight: 600; font-size: 13px; }
.panel .active { margin-top: 8px; padding: 8px; border-radius: 6px; background: #fff7ed; display: flex; gap: 8px; align-items: center; justify-content: space-between; }
.panel .active p { margin: 0; font-size: 13px; }
.items, .checklist { list-style: none; margin: 0; padding: 0; }
.items li { display: flex; justify-content: space-between; align-items: flex-start; gap: 8px; padding: 6px 0; border-top: 1px solid #e5eaf0; }
.checklist li { padding: 3px 0; font-size: 13px; }
.checklist li[data-done="true"] { color: #065f46; }
.badge { margin-inline-start: 6px; font-size: 11px; padding: 1px 6px; border-radius: 999px; background: #e0f2fe; color: #075985; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
@keyframes crm-coach-in { from { opacity: 0; } to { opacity: 1; } }
@keyframes crm-coach-pulse { 0% { box-shadow: 0 0 0 0 rgb(15 118 110 / 0.6); } 70% { box-shadow: 0 0 0 10px rgb(15 118 110 / 0); } 100% { box-shadow: 0 0 0 0 rgb(15 118 110 / 0); } }
@media (prefers-reduced-motion: reduce) { .tooltip, .panel { animation: none; } .beacon-dot { animation: none; } }
`;
