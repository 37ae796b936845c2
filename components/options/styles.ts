/** The options page's styles (shared by every section; sections keep their own class names). */
export const optionsCss = `
:root { color-scheme: light; }
body { margin: 0; font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d2b3a; background: #f6f8fa; }
.layout { display: grid; grid-template-columns: 200px 1fr; min-height: 100vh; }
nav { background: #fff; border-inline-end: 1px solid #d5dde5; padding: 16px; }
nav .brand { font-weight: 700; margin: 0 0 12px; }
nav ul { list-style: none; padding: 0; margin: 0; }
nav a { display: block; padding: 6px 8px; border-radius: 6px; color: inherit; text-decoration: none; }
nav a[aria-current="page"] { background: #e8f0fe; color: #1a4fb4; font-weight: 600; }
main { padding: 20px 28px; max-width: 960px; }
h1 { font-size: 20px; margin: 0 0 12px; }
h2 { font-size: 15px; margin: 20px 0 6px; }
.muted { color: #4a5d70; }
.error { color: #9f1239; background: #fff1f2; border: 1px solid #fecdd3; border-radius: 8px; padding: 8px 12px; }
.ok { color: #065f46; }
.lock { font-size: 12px; color: #6b4f00; background: #fff7d6; border-radius: 4px; padding: 1px 5px; white-space: nowrap; }
table { border-collapse: collapse; width: 100%; background: #fff; }
th, td { text-align: start; padding: 6px 10px; border-bottom: 1px solid #e3e8ee; vertical-align: top; }
label { display: block; margin: 10px 0 4px; font-weight: 600; }
input[type="text"], input[type="url"], input[type="password"], select, textarea { font: inherit; padding: 6px 8px; border: 1px solid #8a9bb0; border-radius: 6px; width: min(100%, 480px); box-sizing: border-box; }
input:disabled, select:disabled, textarea:disabled { background: #f0f2f5; color: #4a5d70; }
button { font: inherit; padding: 6px 12px; border-radius: 6px; border: 1px solid #6b7f93; background: #fff; color: #1d2b3a; cursor: pointer; }
button.primary { background: #1a56db; border-color: #1a56db; color: #fff; }
button:disabled { opacity: .55; cursor: default; }
a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible, textarea:focus-visible { outline: 2px solid #2563eb; outline-offset: 2px; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`;
