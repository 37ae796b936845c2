/**
 * The MV3 worker can be stopped at any moment. Bursts of signals sent through the real content
 * script channel (evaluated in the extension's isolated world on a CRM page, with the outbox's
 * retry-with-the-same-uid protocol) while the worker is killed again and again: every signal is
 * stored exactly once.
 */
import { expect, readSignals, test, tooltip } from './fixtures';

const BURST = 300;

test('repeated forced worker stops during a burst of signals: 0 lost, 0 duplicated', async ({ page, crmUrl, extension }) => {
  test.setTimeout(90_000);
  await page.goto(`${crmUrl}/contacts`);
  await expect(tooltip(page, 'demo/contact-list.tooltips#search')).toBeVisible();

  const cdp = await extension.context.newCDPSession(page);
  const contexts: Array<{ id: number; origin: string; auxData?: { type?: string } }> = [];
  cdp.on('Runtime.executionContextCreated', (e) => contexts.push(e.context));
  await cdp.send('Runtime.enable');
  const isolated = contexts.find((c) => c.auxData?.type === 'isolated' && c.origin.startsWith(`chrome-extension://${extension.extensionId}`));
  expect(isolated, "the content script's isolated world").toBeTruthy();

  const stopWorker = async () => {
    const { targetInfos } = await cdp.send('Target.getTargets');
    const worker = targetInfos.find((t) => t.type === 'service_worker' && t.url.startsWith(`chrome-extension://${extension.extensionId}/`));
    if (worker) await cdp.send('Target.closeTarget', { targetId: worker.targetId }).catch(() => {});
    return worker !== undefined;
  };

  // The burst, in the content script's world: the same message and retry protocol as the outbox.
  const burst = cdp.send('Runtime.evaluate', {
    contextId: isolated!.id,
    awaitPromise: true,
    returnByValue: true,
    expression: `(async () => {
      const uids = [];
      const one = async (i) => {
        const uid = 'burst-' + String(i).padStart(6, '0') + '-' + Math.random().toString(36).slice(2, 10);
        uids.push(uid);
        const message = { type: 'signal:record', uid,
          signal: { type: 'tip-shown', pack: 'demo', screen: 'demo/contact-list', rule: 'demo/contact-list.tooltips#search' } };
        for (let attempt = 0; attempt < 12; attempt++) {
          try {
            const reply = await chrome.runtime.sendMessage(message);
            if (reply && reply.ok) return;
          } catch {}
          await new Promise((r) => setTimeout(r, 50 * 2 ** Math.min(attempt, 5)));
        }
        throw new Error('gave up on ' + uid);
      };
      const all = [];
      for (let i = 0; i < ${BURST}; i++) {
        all.push(one(i));
        if (i % 15 === 14) await new Promise((r) => setTimeout(r, 20));
      }
      await Promise.all(all);
      return uids;
    })()`,
  });

  let stops = 0;
  let done = false;
  void burst.finally(() => (done = true));
  while (!done && stops < 20) {
    if (await stopWorker()) stops += 1;
    // Let the worker come back and take some messages before the next stop.
    await new Promise((r) => setTimeout(r, 40 + Math.floor(Math.random() * 80)));
  }
  const result = await burst;
  console.log(`worker stopped ${stops} times during a burst of ${BURST} signals`);
  expect(result.exceptionDetails, 'every message was eventually answered').toBeUndefined();
  const uids = result.result.value as string[];
  expect(uids).toHaveLength(BURST);
  expect(stops, 'the worker was stopped many times during the burst').toBeGreaterThanOrEqual(5);

  const stored = (await readSignals(extension)) as Array<{ uid?: string }>;
  const mine = stored.filter((s) => s.uid?.startsWith('burst-'));
  expect(mine.length, '0 lost, 0 duplicated').toBe(BURST);
  expect(new Set(mine.map((s) => s.uid)).size).toBe(BURST);
});
