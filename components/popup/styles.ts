export const popupCss = `
body { margin: 0; }
main { width: 360px; padding: 14px 16px; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d2b3a; }
h1 { font-size: 16px; margin: 0 0 8px; }
h2 { font-size: 13px; margin: 14px 0 4px; color: #3b4d60; }
.ledger { background: #ecfdf5; color: #065f46; border-radius: 8px; padding: 8px 10px; }
.ledger p { margin: 0; }
.big { font-weight: 650; }
.muted { color: #4a5d70; font-size: 12px; margin: 4px 0; }
.warn { color: #9a3412; font-size: 12px; }
.days { list-style: none; padding: 0; margin: 4px 0; max-height: 160px; overflow: auto; }
.days ul { margin: 4px 0 6px; padding-inline-start: 18px; font-size: 12px; }
.check { display: flex; gap: 6px; align-items: center; margin: 3px 0; }
fieldset { border: 0; padding: 0 0 0 20px; margin: 0; }
.row { display: flex; flex-wrap: wrap; gap: 8px; margin-top: 14px; align-items: flex-start; }
button { font: inherit; font-size: 13px; padding: 5px 10px; border-radius: 6px; border: 1px solid #6b7f93; background: #fff; color: #1d2b3a; cursor: pointer; }
button.danger { border-color: #b91c1c; color: #b91c1c; }
.confirm { display: flex; flex-wrap: wrap; gap: 6px; }
.confirm p { margin: 0; font-size: 12px; flex-basis: 100%; }
.notice { color: #065f46; font-size: 12px; }
.field { display: flex; flex-direction: column; gap: 4px; font-size: 12px; margin-top: 8px; }
select { font: inherit; padding: 4px; }
button:focus-visible, input:focus-visible, select:focus-visible, summary:focus-visible { outline: 2px solid #2563eb; outline-offset: 2px; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`;
