/**
 * Serves the committed CRM fixtures over HTTPS on 127.0.0.1, under the CRMs' real host names:
 * Chromium resolves every host to 127.0.0.1 (--host-resolver-rules) and accepts the test-only
 * certificate (--ignore-certificate-errors). A request is answered with the fixture whose URL
 * (evidence.yaml's `url`, or its screen's first test URL) has the same host, path and query.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';

const TLS = resolve(import.meta.dirname, '../fixtures/tls');

/** "host/path?query" without the port, the key both sides agree on. */
export const fixtureKey = (url: string) => {
  const u = new URL(url);
  return `${u.hostname}${u.pathname}${u.search}`;
};

export async function serveCrmFixtures(
  files: Map<string, string>,
): Promise<{ port: number; files: Map<string, string>; close: () => Promise<void> }> {
  const server = createServer(
    { key: readFileSync(join(TLS, 'test-only-key.pem')), cert: readFileSync(join(TLS, 'test-only-cert.pem')) },
    (req, res) => {
      const file = files.get(fixtureKey(`https://${req.headers.host}${req.url}`));
      if (!file) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('no fixture for this URL');
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(readFileSync(file));
    },
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    files,
    close: () =>
      new Promise((r) => {
        server.close(() => r());
        server.closeAllConnections(); // Chromium keeps connections alive; do not wait for them
      }),
  };
}
