/** The insights page's styles. */
export const insightsCss = `
:root { color-scheme: light; }
body { margin: 0; font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d2b3a; background: #f6f8fa; }
main { padding: 20px 28px; max-width: 1100px; margin: 0 auto; }
h1 { font-size: 20px; margin: 0 0 12px; }
h2 { font-size: 16px; margin: 0 0 6px; }
.filters { display: flex; flex-wrap: wrap; gap: 12px 20px; align-items: flex-end; background: #fff; padding: 12px; border: 1px solid #d5dde5; border-radius: 8px; }
.filters fieldset { border: 0; padding: 0; margin: 0; }
.filters legend, label { font-weight: 600; }
label { display: flex; flex-direction: column; gap: 4px; }
label.inline { display: inline-flex; flex-direction: row; font-weight: 400; margin-inline-end: 10px; }
select, input[type="url"], input[type="password"] { font: inherit; padding: 5px 8px; border: 1px solid #8a9bb0; border-radius: 6px; min-width: 160px; }
.team { background: #fff; padding: 12px; border: 1px solid #d5dde5; border-radius: 8px; margin-top: 12px; display: grid; gap: 8px; max-width: 520px; }
.view { background: #fff; border: 1px solid #d5dde5; border-radius: 8px; padding: 14px; margin: 16px 0; }
.actions { display: flex; gap: 8px; margin-bottom: 8px; }
.chart { width: 100%; height: 320px; }
table { border-collapse: collapse; width: 100%; margin-top: 8px; }
th, td { text-align: start; padding: 4px 8px; border-bottom: 1px solid #e3e8ee; }
td.hidden-value { color: #6b4f00; background: #fff7d6; font-style: italic; }
.muted { color: #4a5d70; }
.error { color: #9f1239; background: #fff1f2; border: 1px solid #fecdd3; border-radius: 8px; padding: 8px 12px; }
.empty { color: #4a5d70; background: #eef2f6; border-radius: 8px; padding: 10px 12px; }
.lock { font-size: 12px; color: #6b4f00; background: #fff7d6; border-radius: 4px; padding: 1px 5px; }
button { font: inherit; padding: 5px 12px; border-radius: 6px; border: 1px solid #6b7f93; background: #fff; cursor: pointer; }
:focus-visible { outline: 2px solid #2563eb; outline-offset: 2px; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`;
