/**
 * The benchmark's page server, on 127.0.0.1 only. The extension runs on http://127.0.0.1/* (the
 * packs' hosts); the same pages opened as http://localhost:<port>/ are outside its match patterns,
 * so the no-extension and naive scenarios run the identical page in the same browser without our
 * content script (bench.mjs checks that no extension world is created there).
 *
 *   /bench/<screen>?n=<elements>   the generated CRM page (page/crm-page.js)
 *   /blank                          an empty page (start-up measurements)
 *   /<name>.js                      scripts handed in by bench.mjs (naive matcher, engine twin…)
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';

const PAGE_SCRIPT = join(import.meta.dirname, 'page', 'crm-page.js');

export async function startBenchServer(scripts = {}) {
  const pageScript = readFileSync(PAGE_SCRIPT, 'utf8');
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const send = (type, body) => res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' }).end(body);
    if (url.pathname.startsWith('/bench/')) {
      return send(
        'text/html; charset=utf-8',
        `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Bench CRM</title></head>` +
          `<body><script src="/crm-page.js"></script></body></html>`,
      );
    }
    if (url.pathname === '/blank') return send('text/html; charset=utf-8', '<!doctype html><title>blank</title><p>blank</p>');
    if (url.pathname === '/crm-page.js') return send('text/javascript', pageScript);
    const name = url.pathname.slice(1);
    if (Object.hasOwn(scripts, name)) return send('text/javascript', scripts[name]);
    res.writeHead(404).end();
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  return {
    port,
    /** The extension's origin (content script injected). */
    ours: `http://127.0.0.1:${port}`,
    /** Same server, outside the extension's match patterns. */
    plain: `http://localhost:${port}`,
    scripts,
    close: () => {
      server.closeAllConnections();
      return new Promise((r) => server.close(() => r()));
    },
  };
}
