import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { compileRules } from '../../lib/rules/compile';
import { PackManager, PACKS_KEY } from '../../lib/packs/pack-manager';
import { createPacksHandler } from '../../lib/packs/handle-packs-message';
import { signPackFile, writePackFile, type PackFileEntry } from '../../lib/packs/pack-file';
import { generateKeyPair, type PrivateKeyFile } from '../../lib/packs/signing';
import { readSettings, updateSettings, applyPolicy } from '../../lib/background/settings';
import { extraMatchPatterns } from '../../lib/packs/dynamic-hosts';
import type { Policy } from '../../lib/policy/policy';

const packYaml = (version: string, name = 'Acme') =>
  `format: 1\nname: ${name}\nversion: ${version}\ncrm: acme-crm\nhosts: ["*.acme.example"]\nlocales: [en]\ndefaultLocale: en\n` +
  `stages:\n  - id: week-1\n    title: Week 1\n    checklist: []\n  - id: week-2\n    title: Week 2\n    checklist: []\nliveStage: week-1\n`;
const acme = (version: string, tip = 'Hi'): PackFileEntry[] => [
  { path: 'pack.yaml', text: packYaml(version) },
  { path: 'home.screen.yaml', text: 'title: Home\nurl: [{ path: / }]\ntestUrls: [https://eu.acme.example/]\n' },
  { path: 'home.tooltips.yaml', text: `hello:\n  target: { css: h1 }\n  text: ${tip}\n` },
];
const bundled = compileRules([
  ...acme('1.0.0', 'Bundled').map((f) => ({ path: `acme/${f.path}`, text: f.text })),
  { path: 'other/pack.yaml', text: 'format: 1\nname: Other\nversion: 3.0.0\ncrm: other\nhosts: ["other.example"]\nlocales: [en]\ndefaultLocale: en\n' },
]).bundle;
const NOW = new Date('2026-11-28T12:00:00Z');
const URL_A = 'https://packs.example.test/acme.crmpack.json';

let policy: Policy;
let served: { status: number; text: string };
let key: PrivateKeyFile;

function setup() {
  const area = fakeBrowser.storage.local;
  const manager = new PackManager({
    area,
    bundled,
    bundledSources: () => ({ acme: acme('1.0.0', 'Bundled'), other: [] }),
    policy: async () => policy,
    settings: () => readSettings(area),
    updateSettings: (change) => updateSettings(area, change),
    missingRules: async () => [
      { pack: 'acme', rule: 'acme/home.tooltips#hello' },
      { pack: 'acme', rule: 'acme/home.tooltips#hello' },
    ],
    extensionVersion: '0.1.0',
    fetch: async () => new Response(served.text, { status: served.status }),
    now: () => NOW,
  });
  const handle = createPacksHandler({ manager, policy: async () => policy });
  return { manager, handle };
}
const tipOf = async (m: PackManager) => {
  const pack = (await m.bundle()).packs.find((p) => p.id === 'acme');
  return pack?.rules[0]?.kind === 'tooltip' ? pack.rules[0].text : undefined;
};
const signed = (version: string, tip: string, extra: { expires?: string } = {}) =>
  signPackFile({ pack: 'acme', version, files: acme(version, tip), expires: extra.expires ?? '2027-06-01T00:00:00Z' }, key);

beforeEach(async () => {
  fakeBrowser.reset();
  policy = {};
  key = await generateKeyPair('ecdsa-p256');
  served = { status: 404, text: '' };
});

describe('source precedence', () => {
  it('authored > remote > imported > bundled, one winner per pack id', async () => {
    const { manager, handle } = setup();
    expect(await tipOf(manager)).toBe('Bundled');
    expect(await handle({ type: 'packs:import', text: writePackFile('acme', '1.1.0', acme('1.1.0', 'Imported')) })).toEqual({ ok: true, pack: 'acme', version: '1.1.0' });
    expect(await tipOf(manager)).toBe('Imported');
    await handle({ type: 'packs:keys-set', keys: [key.publicKey] });
    served = { status: 200, text: await signed('1.2.0', 'Remote') };
    expect(await handle({ type: 'packs:remote-add', url: URL_A })).toEqual({ ok: true });
    expect(await tipOf(manager)).toBe('Remote');
    expect(await handle({ type: 'packs:publish', pack: 'acme', files: acme('1.3.0', 'Authored') })).toEqual({ ok: true, version: '1.3.0' });
    expect(await tipOf(manager)).toBe('Authored');
    const list = (await handle({ type: 'packs:list' })) as any;
    const entry = list.packs.find((p: any) => p.id === 'acme');
    expect(entry).toMatchObject({ source: 'authored', version: '1.3.0', enabled: true, lockedEnabled: false, liveStage: 'week-1', lockedStage: false });
    expect(entry.available.map((a: any) => `${a.source}@${a.version}`)).toEqual(['authored@1.3.0', 'remote@1.2.0', 'imported@1.1.0', 'bundled@1.0.0']);
    expect(entry.health).toEqual({ missing: 1, rules: ['acme/home.tooltips#hello'] });
    expect(list).toMatchObject({ adminMode: true, lockedAdminMode: false });
    // Taking the authored version away hands the pack back to the next source.
    await handle({ type: 'packs:unpublish', pack: 'acme' });
    expect(await tipOf(manager)).toBe('Remote');
  });

  it('packs:source gives the YAML of the pack in force', async () => {
    const { handle } = setup();
    expect(await handle({ type: 'packs:source', pack: 'acme' })).toEqual({ pack: 'acme', source: 'bundled', files: acme('1.0.0', 'Bundled') });
    expect(await handle({ type: 'packs:source', pack: 'nope' })).toEqual({ error: 'no pack "nope"' });
  });

  it('a worker start reads the stored compiled packs back without recompiling', async () => {
    const first = setup();
    await first.handle({ type: 'packs:import', text: writePackFile('acme', '1.1.0', acme('1.1.0', 'Imported')) });
    const stored = (await fakeBrowser.storage.local.get(PACKS_KEY))[PACKS_KEY] as any;
    // Mark the stored compiled form: a recompile would replace it.
    stored.imported.acme.compiled.rules[0].text = 'from storage';
    await fakeBrowser.storage.local.set({ [PACKS_KEY]: stored });
    expect(await tipOf(setup().manager)).toBe('from storage');
  });
});

describe('on/off and policy', () => {
  it('the user switch turns a pack off; policy disabledPacks wins and is locked', async () => {
    const { manager, handle } = setup();
    expect(await handle({ type: 'packs:set-enabled', pack: 'other', enabled: false })).toEqual({ ok: true });
    expect((await manager.bundle()).packs.map((p) => p.id)).toEqual(['acme']);
    policy = { disabledPacks: ['acme'] };
    manager.invalidate();
    expect((await manager.bundle()).packs.map((p) => p.id)).toEqual([]);
    expect(await handle({ type: 'packs:set-enabled', pack: 'acme', enabled: true })).toEqual({ error: '"acme" is turned off: set by your organisation' });
    const list = (await handle({ type: 'packs:list' })) as any;
    expect(list.packs.find((p: any) => p.id === 'acme')).toMatchObject({ enabled: false, lockedEnabled: true });
  });

  it('live stage: set per pack, refused for an unknown stage, locked by policy', async () => {
    const { handle } = setup();
    expect(await handle({ type: 'packs:set-stage', pack: 'acme', stage: 'week-2' })).toEqual({ ok: true });
    expect((await readSettings(fakeBrowser.storage.local)).liveStages).toEqual({ acme: 'week-2' });
    expect(await handle({ type: 'packs:set-stage', pack: 'acme', stage: 'week-9' })).toEqual({ error: 'pack "acme" has no stage "week-9"' });
    policy = { liveStages: { acme: 'week-1' } };
    expect(await handle({ type: 'packs:set-stage', pack: 'acme', stage: 'week-2' })).toEqual({ error: 'the live stage of "acme" is set by your organisation' });
    expect((await handle({ type: 'packs:list' })) as any).toMatchObject({ packs: [{ id: 'acme', liveStage: 'week-1', lockedStage: true }, { id: 'other' }] });
  });

  it('policy adminMode false refuses authoring', async () => {
    policy = { adminMode: false };
    const { handle } = setup();
    expect(await handle({ type: 'packs:publish', pack: 'acme', files: acme('2.0.0') })).toEqual({ error: expect.stringMatching(/turned off by your organisation/) });
    expect(await handle({ type: 'packs:import', text: writePackFile('acme', '2.0.0', acme('2.0.0')) })).toHaveProperty('error');
    expect(await handle({ type: 'packs:list' })).toMatchObject({ adminMode: false, lockedAdminMode: true });
  });

  it('trusted keys from policy replace and lock the settings keys', async () => {
    const { handle } = setup();
    expect(await handle({ type: 'packs:keys-set', keys: ['rsa:nope'] })).toEqual({ error: expect.stringMatching(/^key 1: unknown key format/) });
    policy = { trustedKeys: [key.publicKey] };
    expect(await handle({ type: 'packs:keys-set', keys: [] })).toEqual({ error: 'trusted keys are set by your organisation' });
    expect(await handle({ type: 'packs:list' })).toMatchObject({ keys: [key.publicKey], lockedKeys: true });
  });

  it('the content-script context: policy stages, audience and default locale win', () => {
    const context = { liveStages: { acme: 'week-2', other: 'a' }, audience: 'support' };
    const out = applyPolicy(context, { liveStages: { acme: 'week-1' }, audience: 'sales', defaultLocale: 'nb' }, { browserLocale: 'de-DE', packLocales: ['en', 'nb'] });
    expect(out).toEqual({ liveStages: { acme: 'week-1', other: 'a' }, audience: 'sales', locale: 'nb' });
    // The browser's language is one the packs have: no override; the user's own choice always stays.
    expect(applyPolicy(context, { defaultLocale: 'nb' }, { browserLocale: 'en-US', packLocales: ['en'] }).locale).toBeUndefined();
    expect(applyPolicy({ ...context, locale: 'en' }, { defaultLocale: 'nb' }, { browserLocale: 'de', packLocales: ['en'] }).locale).toBe('en');
  });
});

describe('publish', () => {
  it('refuses an invalid draft with located diagnostics and keeps the last good version live', async () => {
    const { manager, handle } = setup();
    await handle({ type: 'packs:publish', pack: 'acme', files: acme('1.3.0', 'Good') });
    const bad = acme('1.4.0', 'Bad');
    bad[2] = { path: 'home.tooltips.yaml', text: 'hello:\n  target: { css: h1 }\n  txet: Bad\n' };
    const reply = (await handle({ type: 'packs:publish', pack: 'acme', files: bad })) as any;
    expect(reply.error).toMatch(/^not published: /);
    expect(reply.diagnostics).toContainEqual(expect.objectContaining({ file: 'acme/home.tooltips.yaml', line: 3, column: 3, severity: 'error', message: expect.stringContaining('did you mean "text"') }));
    expect(await tipOf(manager)).toBe('Good');
    expect(await handle({ type: 'packs:publish', pack: 'acme', files: [{ path: 'home.screen.yaml', text: 'title: x\n' }] })).toMatchObject({ error: expect.stringMatching(/not published/) });
    expect(await handle({ type: 'packs:publish', pack: 'acme', files: [{ path: 'a/b.yaml', text: '' }] })).toMatchObject({ error: expect.stringMatching(/^malformed message/) });
    expect(await tipOf(manager)).toBe('Good');
  });
});

describe('import / export', () => {
  it('round-trips a pack through a single file', async () => {
    const { handle } = setup();
    await handle({ type: 'packs:publish', pack: 'acme', files: acme('1.3.0', 'Authored') });
    const exported = (await handle({ type: 'packs:export', pack: 'acme' })) as { filename: string; text: string };
    expect(exported.filename).toBe('acme-1.3.0.crmpack.json');
    fakeBrowser.reset();
    const fresh = setup();
    expect(await fresh.handle({ type: 'packs:import', text: exported.text })).toEqual({ ok: true, pack: 'acme', version: '1.3.0' });
    expect(await fresh.handle({ type: 'packs:source', pack: 'acme' })).toEqual({ pack: 'acme', source: 'imported', files: acme('1.3.0', 'Authored') });
    expect(await tipOf(fresh.manager)).toBe('Authored');
  });

  it('an import with errors is refused with diagnostics', async () => {
    const { handle } = setup();
    const reply = (await handle({ type: 'packs:import', text: writePackFile('acme', '1', [{ path: 'pack.yaml', text: 'format: 1\nname: [\n' }]) })) as any;
    expect(reply.error).toMatch(/^not imported: /);
    expect(reply.diagnostics[0]).toMatchObject({ file: 'acme/pack.yaml', severity: 'error' });
    expect(await handle({ type: 'packs:import', text: 'hello' })).toEqual({ error: expect.stringMatching(/^not imported: not a CRM Coach pack file/) });
  });
});

describe('remote packs', () => {
  it('keeps the last good version on a tampered, wrongly signed, expired or rolled-back pack', async () => {
    policy = { trustedKeys: [key.publicKey], remotePacks: [URL_A] };
    const { manager, handle } = setup();
    served = { status: 200, text: await signed('1.2.0', 'Remote 1.2') };
    expect(await handle({ type: 'packs:remote-refresh' })).toEqual({ ok: true, results: [{ url: URL_A, version: '1.2.0' }] });
    expect(await tipOf(manager)).toBe('Remote 1.2');

    const reject = async (text: string, message: RegExp, status = 200) => {
      served = { status, text };
      const reply = (await handle({ type: 'packs:remote-refresh' })) as any;
      expect(reply.results[0].error).toMatch(message);
      expect(await tipOf(manager)).toBe('Remote 1.2');
      const list = (await handle({ type: 'packs:list' })) as any;
      expect(list.remotes[0]).toMatchObject({ url: URL_A, locked: true, version: '1.2.0', lastError: expect.stringMatching(message) });
      expect(list.packs.find((p: any) => p.id === 'acme').error).toMatch(message);
    };
    await reject((await signed('1.3.0', 'Remote 1.3')).replace('Remote 1.3', 'Remote 6.6'), /signature does not match/);
    await reject(await signPackFile({ pack: 'acme', version: '1.3.0', files: acme('1.3.0', 'x') }, await generateKeyPair('ecdsa-p256')), /not trusted/);
    await reject(await signed('1.3.0', 'x', { expires: '2026-01-01T00:00:00Z' }), /expired/);
    await reject(await signed('1.1.0', 'older'), /version 1.1.0 is older than the active 1.2.0 \(rollback\)/);
    await reject(await signed('1.2.0', 'same version, other text'), /already active with different content/);
    await reject('', /HTTP 500/, 500);

    // A good newer version replaces it and clears the error.
    served = { status: 200, text: await signed('1.3.0', 'Remote 1.3') };
    await handle({ type: 'packs:remote-refresh' });
    expect(await tipOf(manager)).toBe('Remote 1.3');
    const list = (await handle({ type: 'packs:list' })) as any;
    expect(list.remotes[0].lastError).toBeUndefined();
    expect(list.remotes[0].lastRefresh).toBe(NOW.toISOString());
  });

  it('only https; a policy URL cannot be removed', async () => {
    policy = { remotePacks: [URL_A] };
    const { handle } = setup();
    expect(await handle({ type: 'packs:remote-add', url: 'http://packs.example.test/a.json' })).toEqual({ error: 'remote packs are fetched over HTTPS only' });
    expect(await handle({ type: 'packs:remote-remove', url: URL_A })).toEqual({ error: 'this URL is set by your organisation' });
    expect(await handle({ type: 'packs:remote-add', url: 'https://other.example.test/p.json' })).toMatchObject({ ok: true, error: expect.stringMatching(/HTTP 404/) });
    expect(await handle({ type: 'packs:remote-remove', url: 'https://other.example.test/p.json' })).toEqual({ ok: true });
  });
});

describe('hosts beyond the build', () => {
  it('names the match patterns the manifest does not cover', () => {
    expect(extraMatchPatterns(bundled, ['https://*.acme.example/*'])).toEqual(['https://other.example/*']);
  });
});
