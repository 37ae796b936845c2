// The ingest figure: signals stored per second through the real path (content script's world ->
// runtime message -> background validation -> batched IndexedDB write, answered after commit),
// beside the raw IndexedDB put rate measured in the same browser, same run, from an extension page:
// one transaction per put (what an unbatched writer pays) and one transaction for all puts (the floor).
import { launchWithExtension } from '../../scripts/lib/browser.mjs';
import { startDemoCrm } from '../fixtures/demo-crm/server.mjs';

const N = 2000;
const CONCURRENCY = 64;

export async function measureIngest({ extensionDir, log = () => {} }) {
  const crm = await startDemoCrm({ port: 0, latencyMs: 50 });
  const ext = await launchWithExtension({ extensionDir });
  try {
    const page = await ext.context.newPage();
    await page.goto(`${crm.url}/contacts`);
    await page.locator('crm-coach-overlay [role="dialog"]').first().waitFor({ timeout: 15_000 });
    const cdp = await ext.context.newCDPSession(page);
    const contexts = [];
    cdp.on('Runtime.executionContextCreated', (e) => contexts.push(e.context));
    await cdp.send('Runtime.enable');
    const isolated = contexts.find((c) => c.auxData?.type === 'isolated' && c.origin.startsWith(`chrome-extension://${ext.extensionId}`));
    if (!isolated) throw new Error('ingest: no content-script world');

    log(`--- ingest: ${N} signals through the content-script channel`);
    const ours = await cdp.send('Runtime.evaluate', {
      contextId: isolated.id,
      awaitPromise: true,
      returnByValue: true,
      expression: `(async () => {
        const signal = { type: 'tip-shown', pack: 'demo', screen: 'demo/contact-list', rule: 'demo/contact-list.tooltips#search' };
        let next = 0, ok = 0;
        const t0 = performance.now();
        const worker = async () => {
          while (next < ${N}) {
            const i = next++;
            const reply = await chrome.runtime.sendMessage({ type: 'signal:record', signal, uid: 'ingest-' + String(i).padStart(8, '0') + '-' + Math.random().toString(36).slice(2, 10) });
            if (reply && reply.ok) ok++;
          }
        };
        await Promise.all(Array.from({ length: ${CONCURRENCY} }, worker));
        return { ms: performance.now() - t0, ok };
      })()`,
    });
    if (ours.exceptionDetails) throw new Error(`ingest: ${ours.exceptionDetails.text}`);

    log('--- ingest: raw IndexedDB puts in an extension page');
    const raw = await ext.context.newPage();
    await raw.goto(`chrome-extension://${ext.extensionId}/manifest.json`);
    const rawFigures = await raw.evaluate(async (n) => {
      const open = () =>
        new Promise((resolve, reject) => {
          const req = indexedDB.open('ingest-bench-raw', 1);
          req.onupgradeneeded = () => req.result.createObjectStore('rows', { keyPath: 'id', autoIncrement: true });
          req.onsuccess = () => resolve(req.result);
          req.onerror = () => reject(req.error);
        });
      const db = await open();
      const row = { type: 'tip-shown', day: '2026-11-28', crm: 'demo', pack: 'demo', packVersion: '1.0.0', screen: 'demo/contact-list', rule: 'demo/contact-list.tooltips#search', extensionVersion: '0.1.0' };
      const done = (tx) => new Promise((resolve, reject) => ((tx.oncomplete = resolve), (tx.onerror = () => reject(tx.error))));
      let t = performance.now();
      for (let i = 0; i < n; i++) {
        const tx = db.transaction('rows', 'readwrite');
        tx.objectStore('rows').add({ ...row });
        await done(tx);
      }
      const perPutMs = performance.now() - t;
      t = performance.now();
      const tx = db.transaction('rows', 'readwrite');
      for (let i = 0; i < n; i++) tx.objectStore('rows').add({ ...row });
      await done(tx);
      const oneTxMs = performance.now() - t;
      db.close();
      indexedDB.deleteDatabase('ingest-bench-raw');
      return { perPutMs, oneTxMs };
    }, N);

    // What reached the database (exactly N, nothing lost or doubled).
    const stored = await raw.evaluate(
      () =>
        new Promise((resolve, reject) => {
          const req = indexedDB.open('crm-coach');
          req.onsuccess = () => {
            const all = req.result.transaction('signals').objectStore('signals').getAll();
            all.onsuccess = () => resolve(all.result.filter((s) => String(s.uid ?? '').startsWith('ingest-')).length);
            all.onerror = () => reject(all.error);
          };
          req.onerror = () => reject(req.error);
        }),
    );
    const perSec = (ms) => Math.round((N / ms) * 1000);
    return {
      signals: N,
      concurrency: CONCURRENCY,
      stored,
      oursPerSec: perSec(ours.result.value.ms),
      rawOneTransactionPerPutPerSec: perSec(rawFigures.perPutMs),
      rawOneTransactionForAllPerSec: perSec(rawFigures.oneTxMs),
    };
  } finally {
    await ext.close();
    await crm.close();
  }
}

export function printIngest(i, p) {
  if (!i) return;
  p(`Ingest (issue 5): ${i.signals} signals, ${i.concurrency} in flight, through message -> validation -> batched write, answered after commit`);
  p(`  ours (end to end)                     ${String(i.oursPerSec).padStart(7)} signals/s   stored ${i.stored} of ${i.signals}`);
  p(`  raw IndexedDB, one transaction a put  ${String(i.rawOneTransactionPerPutPerSec).padStart(7)} puts/s`);
  p(`  raw IndexedDB, one transaction for all${String(i.rawOneTransactionForAllPerSec).padStart(7)} puts/s   (the floor: no messaging, no validation)`);
  p();
}
