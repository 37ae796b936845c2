/**
 * The pack manager: where the packs in force come from, and the single writer of their state
 * (storage.local "packs"). Plain TypeScript with injected storage, policy, fetch and clock.
 *
 *   sources, one winner per pack id (highest first):
 *     authored   published from the options page's editor (packs:publish)
 *     remote     signed single-file packs from HTTPS URLs (policy remotePacks + the admin's own)
 *     imported   single-file packs the admin imported
 *     bundled    compiled into the build from content-rules/
 *   effective bundle = the winner of every pack id that is enabled (the user's switch; policy
 *   disabledPacks wins and locks it).
 *
 * Every source is stored with its compiled form, compiled once when it arrives: a worker start
 * reads it back without recompiling (only an extension update, which may change the compiled
 * shape, recompiles from the stored files). The effective bundle is memoized in memory, so the
 * content script's hot path costs one resolved promise.
 *
 * A new version is stored only when it compiles without errors (and, for remote packs, its
 * signature verifies, it has not expired and its version does not go back), so the last good
 * version of every source stays in force while a bad one is reported.
 */
import { z } from 'zod';
import type { KeyValueArea } from '../background/progress-store';
import type { Settings } from '../background/settings';
import type { Policy } from '../policy/policy';
import { localize, type CompiledBundle, type CompiledPack } from '../rules/compiled';
import type { Diagnostic } from '../rules/diagnostics';
import { compilePack } from './compile-pack';
import {
  MAX_PACK_FILE_BYTES,
  compareVersions,
  packFileEntrySchema,
  packFileName,
  readPackFile,
  verifyPackFile,
  writePackFile,
  type PackFileEntry,
} from './pack-file';
import { parsePublicKey } from './signing';

export const PACK_SOURCES = ['authored', 'remote', 'imported', 'bundled'] as const;
export type PackSource = (typeof PACK_SOURCES)[number];
export const PACKS_KEY = 'packs';
/** How far back "targets not found recently" looks. */
export const HEALTH_DAYS = 14;
export const REMOTE_REFRESH_MINUTES = 360;

const storedSourceSchema = z.object({
  version: z.string(),
  files: z.array(packFileEntrySchema),
  at: z.string(),
  compiled: z.custom<CompiledPack>((v) => typeof v === 'object' && v !== null && 'id' in v),
});
type StoredSource = z.infer<typeof storedSourceSchema>;

const remoteStatusSchema = z.object({
  lastAttempt: z.string().optional(),
  /** The last time a fetch succeeded and verified (the pack may have been unchanged). */
  lastRefresh: z.string().optional(),
  lastError: z.string().optional(),
  good: storedSourceSchema.extend({ pack: z.string(), keyId: z.string() }).optional(),
});
export type RemoteStatus = z.infer<typeof remoteStatusSchema>;

const stateSchema = z.object({
  /** The extension version that compiled the stored packs. */
  compiledWith: z.string().default(''),
  imported: z.record(z.string(), storedSourceSchema).default({}),
  authored: z.record(z.string(), storedSourceSchema).default({}),
  /** Remote URLs the admin added (policy's come on top). */
  remoteUrls: z.array(z.string()).default([]),
  remote: z.record(z.string(), remoteStatusSchema).default({}),
  /** The user's on/off switch per pack id (absent: on). */
  enabled: z.record(z.string(), z.boolean()).default({}),
  /** Trusted public keys from settings (policy trustedKeys replaces them). */
  keys: z.array(z.string()).default([]),
});
export type PacksState = z.infer<typeof stateSchema>;

export interface PackManagerDeps {
  area: KeyValueArea;
  bundled: CompiledBundle;
  /** The YAML of every bundled pack's files (virtual:crm-coach/pack-sources). */
  bundledSources: () => Promise<Record<string, PackFileEntry[]>> | Record<string, PackFileEntry[]>;
  policy: () => Promise<Policy>;
  settings: () => Promise<Settings>;
  updateSettings: (change: (s: Settings) => Settings) => Promise<Settings>;
  /** Rules of each pack reported missing (rule-missing signals) since a day (YYYY-MM-DD). */
  missingRules?: (since: string) => Promise<Array<{ pack: string; rule: string }>>;
  extensionVersion: string;
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
  now?: () => Date;
}

export interface PackListEntry {
  id: string;
  name: string;
  version: string;
  crm: string;
  source: PackSource;
  /** Every source that has this pack, highest first (the first is in force). */
  available: Array<{ source: PackSource; version: string }>;
  enabled: boolean;
  lockedEnabled: boolean;
  liveStage: string | null;
  lockedStage: boolean;
  stages: Array<{ id: string; title: string }>;
  hosts: string[];
  health: { missing: number; rules: string[] };
  error?: string;
}

export interface RemoteEntry {
  url: string;
  locked: boolean;
  pack?: string;
  version?: string;
  lastAttempt?: string;
  lastRefresh?: string;
  lastError?: string;
}

interface Candidate {
  source: PackSource;
  pack: CompiledPack;
  files: () => Promise<PackFileEntry[]>;
}

type Failure = { error: string; diagnostics?: Diagnostic[] };
const LOCKED = 'set by your organisation';

export class PackManager {
  private queue: Promise<unknown> = Promise.resolve();
  private effective: Promise<CompiledBundle> | null = null;
  private readonly now: () => Date;
  private readonly fetch: NonNullable<PackManagerDeps['fetch']>;

  constructor(private readonly deps: PackManagerDeps) {
    this.now = deps.now ?? (() => new Date());
    this.fetch = deps.fetch ?? ((url, init) => fetch(url, init));
  }

  /** Drop the memoized bundle (storage or policy changed elsewhere). */
  invalidate(): void {
    this.effective = null;
  }

  /** The packs in force: what content scripts get. */
  bundle(): Promise<CompiledBundle> {
    this.effective ??= this.computeBundle().catch((error: unknown) => {
      this.effective = null;
      throw error;
    });
    return this.effective;
  }

  private async computeBundle(): Promise<CompiledBundle> {
    const [state, policy] = await Promise.all([this.readState(), this.deps.policy()]);
    const packs = [...this.candidates(state, policy).values()]
      .filter(([winner]) => isEnabled(state, policy, winner!.pack.id))
      .map(([winner]) => winner!.pack);
    return { format: 1, packs };
  }

  /** Per pack id, its candidates highest first. */
  private candidates(state: PacksState, policy: Policy): Map<string, Candidate[]> {
    const out = new Map<string, Candidate[]>();
    const add = (c: Candidate) => out.set(c.pack.id, [...(out.get(c.pack.id) ?? []), c]);
    const stored = (source: PackSource, s: StoredSource): Candidate => ({ source, pack: s.compiled, files: async () => s.files });
    for (const s of Object.values(state.authored)) add(stored('authored', s));
    for (const url of remoteUrls(state, policy)) {
      const good = state.remote[url]?.good;
      if (good) add(stored('remote', good));
    }
    for (const s of Object.values(state.imported)) add(stored('imported', s));
    for (const pack of this.deps.bundled.packs) {
      add({ source: 'bundled', pack, files: async () => (await this.deps.bundledSources())[pack.id] ?? [] });
    }
    // Insertion order is already highest first; keep packs sorted by id for a stable list.
    return new Map([...out.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }

  async readState(): Promise<PacksState> {
    const raw = (await this.deps.area.get(PACKS_KEY))[PACKS_KEY] ?? {};
    const parsed = stateSchema.safeParse(raw);
    const state = parsed.success ? parsed.data : stateSchema.parse({});
    if (state.compiledWith !== this.deps.extensionVersion) return this.recompile(state);
    return state;
  }

  /** After an extension update: compile every stored source again; a source that no longer compiles is dropped with a note. */
  private async recompile(state: PacksState): Promise<PacksState> {
    const again = (id: string, s: StoredSource): StoredSource | undefined => {
      const r = compilePack(id, s.files);
      return 'pack' in r ? { ...s, compiled: r.pack } : undefined;
    };
    const next: PacksState = { ...state, compiledWith: this.deps.extensionVersion, imported: {}, authored: {}, remote: {} };
    for (const [id, s] of Object.entries(state.imported)) {
      const c = again(id, s);
      if (c) next.imported[id] = c;
    }
    for (const [id, s] of Object.entries(state.authored)) {
      const c = again(id, s);
      if (c) next.authored[id] = c;
    }
    for (const [url, status] of Object.entries(state.remote)) {
      const good = status.good && again(status.good.pack, status.good);
      next.remote[url] = good
        ? { ...status, good: { ...status.good!, ...good } }
        : { ...status, good: undefined, ...(status.good && { lastError: 'the stored version no longer compiles with this extension version' }) };
    }
    await this.deps.area.set({ [PACKS_KEY]: next });
    return next;
  }

  /** Apply `change` to the stored state, one change at a time (two pages cannot lose each other's). */
  private mutate<T>(change: (state: PacksState, policy: Policy) => Promise<{ state?: PacksState; reply: T }>): Promise<T> {
    const run = this.queue.then(async () => {
      const [state, policy] = await Promise.all([this.readState(), this.deps.policy()]);
      const { state: next, reply } = await change(state, policy);
      if (next) {
        await this.deps.area.set({ [PACKS_KEY]: next });
        this.invalidate();
      }
      return reply;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  async list(): Promise<{ packs: PackListEntry[]; remotes: RemoteEntry[]; keys: string[]; lockedKeys: boolean; precedence: readonly PackSource[] }> {
    const [state, policy, settings] = await Promise.all([this.readState(), this.deps.policy(), this.deps.settings()]);
    const since = new Date(this.now().getTime() - HEALTH_DAYS * 86_400_000).toISOString().slice(0, 10);
    const missing = (await this.deps.missingRules?.(since).catch(() => [])) ?? [];
    const packs: PackListEntry[] = [];
    for (const [id, list] of this.candidates(state, policy)) {
      const winner = list[0]!;
      const { pack } = winner;
      const lockedStage = policy.liveStages?.[id] !== undefined;
      const liveStage = policy.liveStages?.[id] ?? settings.liveStages[id] ?? pack.liveStage ?? null;
      const rules = [...new Set(missing.filter((m) => m.pack === id).map((m) => m.rule))].sort();
      const remoteError = remoteUrls(state, policy)
        .map((url) => state.remote[url])
        .find((s) => s?.good?.pack === id && s.lastError)?.lastError;
      packs.push({
        id,
        name: localize(pack.name, 'en'),
        version: pack.version,
        crm: pack.crm,
        source: winner.source,
        available: list.map((c) => ({ source: c.source, version: c.pack.version })),
        enabled: isEnabled(state, policy, id),
        lockedEnabled: policy.disabledPacks?.includes(id) ?? false,
        liveStage,
        lockedStage,
        stages: pack.stages.map((s) => ({ id: s.id, title: localize(s.title, 'en') })),
        hosts: pack.hosts.map((h) => `${h.scheme}://${h.wildcard ? '*.' : ''}${h.host}`),
        health: { missing: rules.length, rules },
        ...(remoteError && { error: remoteError }),
      });
    }
    const remotes = remoteUrls(state, policy).map((url): RemoteEntry => {
      const s = state.remote[url];
      return {
        url,
        locked: policy.remotePacks?.includes(url) ?? false,
        ...(s?.good && { pack: s.good.pack, version: s.good.version }),
        ...(s?.lastAttempt && { lastAttempt: s.lastAttempt }),
        ...(s?.lastRefresh && { lastRefresh: s.lastRefresh }),
        ...(s?.lastError && { lastError: s.lastError }),
      };
    });
    return { packs, remotes, keys: policy.trustedKeys ?? state.keys, lockedKeys: policy.trustedKeys !== undefined, precedence: PACK_SOURCES };
  }

  /** The YAML of every file of the pack in force. */
  async source(id: string): Promise<{ pack: string; source: PackSource; files: PackFileEntry[] } | Failure> {
    const [state, policy] = await Promise.all([this.readState(), this.deps.policy()]);
    const winner = this.candidates(state, policy).get(id)?.[0];
    if (!winner) return { error: `no pack "${id}"` };
    return { pack: id, source: winner.source, files: await winner.files() };
  }

  async export(id: string): Promise<{ filename: string; text: string } | Failure> {
    const source = await this.source(id);
    if ('error' in source) return source;
    const [state, policy] = await Promise.all([this.readState(), this.deps.policy()]);
    const version = this.candidates(state, policy).get(id)![0]!.pack.version;
    return { filename: packFileName(id, version), text: writePackFile(id, version, source.files) };
  }

  /** Store a draft as the authored source, only when it compiles without errors. */
  publish(id: string, files: PackFileEntry[]): Promise<{ ok: true; version: string } | Failure> {
    return this.mutate<{ ok: true; version: string } | Failure>(async (state) => {
      const r = compilePack(id, files);
      if ('error' in r) return { reply: { error: `not published: ${r.error}`, diagnostics: r.diagnostics } };
      const at = this.now().toISOString();
      return {
        state: { ...state, authored: { ...state.authored, [id]: { version: r.pack.version, files, at, compiled: r.pack } } },
        reply: { ok: true as const, version: r.pack.version },
      };
    });
  }

  /** Remove the authored version of a pack (the next source down takes over). */
  unpublish(id: string): Promise<{ ok: true } | Failure> {
    return this.mutate<{ ok: true } | Failure>(async (state) => {
      if (!state.authored[id]) return { reply: { error: `no published draft of "${id}"` } };
      const { [id]: _gone, ...authored } = state.authored;
      return { state: { ...state, authored }, reply: { ok: true as const } };
    });
  }

  import(text: string): Promise<{ ok: true; pack: string; version: string } | Failure> {
    return this.mutate<{ ok: true; pack: string; version: string } | Failure>(async (state) => {
      const read = readPackFile(text);
      if ('error' in read) return { reply: { error: `not imported: ${read.error}` } };
      const { pack: id, files } = read.payload;
      const r = compilePack(id, files);
      if ('error' in r) return { reply: { error: `not imported: ${r.error}`, diagnostics: r.diagnostics } };
      const at = this.now().toISOString();
      return {
        state: { ...state, imported: { ...state.imported, [id]: { version: r.pack.version, files, at, compiled: r.pack } } },
        reply: { ok: true as const, pack: id, version: r.pack.version },
      };
    });
  }

  removeImported(id: string): Promise<{ ok: true } | Failure> {
    return this.mutate<{ ok: true } | Failure>(async (state) => {
      if (!state.imported[id]) return { reply: { error: `no imported pack "${id}"` } };
      const { [id]: _gone, ...imported } = state.imported;
      return { state: { ...state, imported }, reply: { ok: true as const } };
    });
  }

  setEnabled(id: string, enabled: boolean): Promise<{ ok: true } | Failure> {
    return this.mutate<{ ok: true } | Failure>(async (state, policy) => {
      if (policy.disabledPacks?.includes(id)) return { reply: { error: `"${id}" is turned off: ${LOCKED}` } };
      if (!this.candidates(state, policy).has(id)) return { reply: { error: `no pack "${id}"` } };
      return { state: { ...state, enabled: { ...state.enabled, [id]: enabled } }, reply: { ok: true as const } };
    });
  }

  async setStage(id: string, stage: string | null): Promise<{ ok: true } | Failure> {
    const [state, policy] = await Promise.all([this.readState(), this.deps.policy()]);
    if (policy.liveStages?.[id] !== undefined) return { error: `the live stage of "${id}" is ${LOCKED}` };
    const winner = this.candidates(state, policy).get(id)?.[0];
    if (!winner) return { error: `no pack "${id}"` };
    if (stage !== null && !winner.pack.stages.some((s) => s.id === stage)) return { error: `pack "${id}" has no stage "${stage}"` };
    await this.deps.updateSettings((s) => {
      const { [id]: _old, ...rest } = s.liveStages;
      return { ...s, liveStages: stage === null ? rest : { ...rest, [id]: stage } };
    });
    return { ok: true };
  }

  setKeys(keys: string[]): Promise<{ ok: true } | Failure> {
    return this.mutate<{ ok: true } | Failure>(async (state, policy) => {
      if (policy.trustedKeys !== undefined) return { reply: { error: `trusted keys are ${LOCKED}` } };
      const clean = [...new Set(keys.map((k) => k.trim()).filter(Boolean))];
      for (const [i, k] of clean.entries()) {
        const parsed = await parsePublicKey(k);
        if ('error' in parsed) return { reply: { error: `key ${i + 1}: ${parsed.error}` } };
      }
      return { state: { ...state, keys: clean }, reply: { ok: true as const } };
    });
  }

  async addRemote(url: string): Promise<{ ok: true; error?: string } | Failure> {
    const checked = checkRemoteUrl(url);
    if ('error' in checked) return checked;
    const added = await this.mutate(async (state, policy) => {
      if (remoteUrls(state, policy).includes(checked.url)) return { reply: false };
      return { state: { ...state, remoteUrls: [...state.remoteUrls, checked.url] }, reply: true };
    });
    const [result] = await this.refresh([checked.url]);
    return { ok: true, ...(!added && { note: 'already in the list' }), ...(result?.error && { error: result.error }) };
  }

  removeRemote(url: string): Promise<{ ok: true } | Failure> {
    return this.mutate<{ ok: true } | Failure>(async (state, policy) => {
      if (policy.remotePacks?.includes(url)) return { reply: { error: `this URL is ${LOCKED}` } };
      if (!state.remoteUrls.includes(url)) return { reply: { error: 'no such remote pack URL' } };
      const { [url]: _gone, ...remote } = state.remote;
      return { state: { ...state, remoteUrls: state.remoteUrls.filter((u) => u !== url), remote }, reply: { ok: true as const } };
    });
  }

  /** Fetch and verify remote packs (all of them, or the given URLs); the last good version stays on any failure. */
  async refresh(only?: string[]): Promise<Array<{ url: string; error?: string; version?: string }>> {
    const [state, policy] = await Promise.all([this.readState(), this.deps.policy()]);
    const urls = remoteUrls(state, policy).filter((u) => !only || only.includes(u));
    const trusted = policy.trustedKeys ?? state.keys;
    // Fetch outside the write queue (a slow server must not hold up other changes).
    const fetched = await Promise.all(urls.map(async (url) => ({ url, ...(await this.download(url)) })));
    return this.mutate(async (current) => {
      const remote = { ...current.remote };
      const results: Array<{ url: string; error?: string; version?: string }> = [];
      const at = this.now().toISOString();
      for (const f of fetched) {
        const previous = remote[f.url] ?? {};
        const outcome = 'text' in f ? await this.accept(f.text, trusted, previous) : { error: f.error };
        if ('error' in outcome) {
          remote[f.url] = { ...previous, lastAttempt: at, lastError: outcome.error };
          results.push({ url: f.url, error: outcome.error });
        } else {
          const { lastError: _cleared, ...rest } = previous;
          remote[f.url] = { ...rest, lastAttempt: at, lastRefresh: at, good: outcome.good ?? previous.good };
          results.push({ url: f.url, version: (outcome.good ?? previous.good)?.version });
        }
      }
      return { state: { ...current, remote }, reply: results };
    });
  }

  private async download(url: string): Promise<{ text: string } | { error: string }> {
    try {
      const response = await this.fetch(url, { cache: 'no-store', credentials: 'omit', signal: AbortSignal.timeout(20_000) });
      if (!response.ok) return { error: `download failed: HTTP ${response.status}` };
      const declared = Number(response.headers.get('content-length') ?? 0);
      if (declared > MAX_PACK_FILE_BYTES) return { error: `download refused: larger than ${MAX_PACK_FILE_BYTES / 1e6} MB` };
      const text = await response.text();
      if (text.length > MAX_PACK_FILE_BYTES) return { error: `download refused: larger than ${MAX_PACK_FILE_BYTES / 1e6} MB` };
      return { text };
    } catch (error) {
      const name = error instanceof Error ? error.name : '';
      return { error: name === 'TimeoutError' ? 'download failed: no answer within 20 s' : 'download failed: the server could not be reached (or it does not allow CORS)' };
    }
  }

  /** Verify, compile and check the version of a downloaded pack. `good` absent: unchanged. */
  private async accept(text: string, trusted: readonly string[], previous: RemoteStatus): Promise<{ good?: NonNullable<RemoteStatus['good']> } | { error: string }> {
    const verified = await verifyPackFile(text, trusted, this.now());
    if ('error' in verified) return { error: `rejected: ${verified.error}` };
    const { payload, keyId } = verified;
    const r = compilePack(payload.pack, payload.files);
    if ('error' in r) return { error: `rejected: the pack has errors: ${r.error}` };
    if (r.pack.version !== payload.version) return { error: `rejected: signed version ${payload.version} differs from pack.yaml's ${r.pack.version}` };
    const before = previous.good;
    if (before && before.pack === payload.pack) {
      const order = compareVersions(payload.version, before.version);
      if (order < 0) return { error: `rejected: version ${payload.version} is older than the active ${before.version} (rollback)` };
      if (order === 0) {
        if (JSON.stringify(before.files) === JSON.stringify(payload.files)) return {};
        return { error: `rejected: version ${payload.version} is already active with different content (raise the version)` };
      }
    }
    return { good: { pack: payload.pack, version: payload.version, files: payload.files, at: this.now().toISOString(), compiled: r.pack, keyId } };
  }
}

function isEnabled(state: PacksState, policy: Policy, id: string): boolean {
  return !(policy.disabledPacks?.includes(id) ?? false) && (state.enabled[id] ?? true);
}

/** Policy's URLs first (locked), then the admin's own. */
function remoteUrls(state: PacksState, policy: Policy): string[] {
  return [...new Set([...(policy.remotePacks ?? []), ...state.remoteUrls])];
}

export function checkRemoteUrl(raw: string): { url: string } | { error: string } {
  const url = URL.parse(raw.trim());
  if (!url) return { error: 'not a URL' };
  if (url.protocol !== 'https:') return { error: 'remote packs are fetched over HTTPS only' };
  if (url.username || url.password) return { error: 'no credentials in the URL' };
  url.hash = '';
  return { url: url.href };
}
