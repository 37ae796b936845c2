/**
 * Messages from the extension's own pages (the popup): what is recorded, pause, wipe, download.
 * The caller has already checked that the sender is one of our pages; zod checks the shape.
 */
import { pageMessageSchema } from '../messages-schema';
import type { ErrorReply, SignalType } from '../messages';
import type { Progress } from '../progress/progress';
import type { CompiledPack, Text } from '../rules/compiled';
import { exportAll, listComments, listSignals, wipeAll, type CoachDatabase } from '../store/database';
import type { StoreHealth, StoreLimits } from './signal-store';
import type { Settings } from './settings';
import type { ReadPolicy } from '../policy/policy';

export interface PrivacySummary {
  /** Newest day first; per signal type, how many are stored. Same numbers as IndexedDB holds. */
  days: Array<{ day: string; total: number; byType: Partial<Record<SignalType, number>> }>;
  total: number;
  comments: number;
  health: StoreHealth;
  limits: StoreLimits;
  paused: Settings['paused'];
  locale: string | null;
  ledger: Record<string, number>;
  walkthroughsCompleted: number;
  /** Per pack with rollout stages: the live stage and how much of its checklist is done. */
  stages: Array<{ pack: string; packName: Text; stage: Text; done: number; total: number }>;
}

export interface PageDeps {
  db: <T>(op: (db: CoachDatabase) => Promise<T>) => Promise<T>;
  health: () => Promise<StoreHealth>;
  limits: StoreLimits;
  settings: () => Promise<Settings>;
  updateSettings: (change: (s: Settings) => Settings) => Promise<Settings>;
  progress: () => Promise<Progress>;
  resetProgress: () => Promise<void>;
  /** The packs in force (bundled, imported, remote, authored: lib/packs/pack-manager.ts). */
  packs: () => CompiledPack[] | Promise<CompiledPack[]>;
  /** Enterprise policy in force (storage.managed), with the keys that could not be used. */
  policy: () => Promise<ReadPolicy>;
}

/** What the options page shows of the policy: secrets are never sent back, only that they are set. */
const SECRET_KEYS = new Set(['syncToken', 'managerToken']);

export function createPageHandler(deps: PageDeps) {
  return async function handlePageMessage(raw: unknown): Promise<unknown> {
    const parsed = pageMessageSchema.safeParse(raw);
    if (!parsed.success) return { error: 'malformed message' } satisfies ErrorReply;
    const message = parsed.data;
    switch (message.type) {
      case 'privacy:summary': {
        const [signals, comments, health, settings, progress, packs] = await Promise.all([
          deps.db(listSignals),
          deps.db(listComments),
          deps.health(),
          deps.settings(),
          deps.progress(),
          deps.packs(),
        ]);
        const byDay = new Map<string, Partial<Record<SignalType, number>>>();
        for (const s of signals) {
          const counts = byDay.get(s.day) ?? {};
          counts[s.type] = (counts[s.type] ?? 0) + 1;
          byDay.set(s.day, counts);
        }
        const days = [...byDay.entries()]
          .sort(([a], [b]) => b.localeCompare(a))
          .map(([day, byType]) => ({ day, byType, total: Object.values(byType).reduce((n, c) => n + (c ?? 0), 0) }));
        return {
          days,
          total: signals.length,
          comments: comments.length,
          health,
          limits: deps.limits,
          paused: settings.paused,
          locale: settings.locale ?? null,
          ledger: progress.ledger,
          walkthroughsCompleted: Object.values(progress.walkthroughs).filter((w) => w.completed).length,
          stages: packs.flatMap((pack) => {
            const stage = pack.stages.find((s) => s.id === (settings.liveStages[pack.id] ?? pack.liveStage));
            if (!stage) return [];
            const done = stage.checklist.filter((item) =>
              'walkthrough' in item ? progress.walkthroughs[item.walkthrough]?.completed === true : (progress.rules[item.tip]?.actions ?? 0) > 0,
            ).length;
            return [{ pack: pack.id, packName: pack.name, stage: stage.title, done, total: stage.checklist.length }];
          }),
        } satisfies PrivacySummary;
      }
      case 'privacy:export': {
        const [data, progress, settings] = await Promise.all([deps.db(exportAll), deps.progress(), deps.settings()]);
        return { format: 'crm-coach-personal-data', version: 1, exportedAt: new Date().toISOString().slice(0, 10), ...data, progress, settings };
      }
      case 'privacy:wipe':
        await deps.db(wipeAll);
        await deps.resetProgress();
        return { ok: true };
      case 'privacy:pause':
        await deps.updateSettings((s) => ({ ...s, paused: { all: message.all, categories: message.categories } }));
        return { ok: true };
      case 'settings:locale':
        await deps.updateSettings((s) => {
          const { locale: _old, ...rest } = s;
          return message.locale ? { ...rest, locale: message.locale } : rest;
        });
        return { ok: true };
      case 'settings:policy': {
        const { policy, errors } = await deps.policy();
        const shown = Object.fromEntries(Object.entries(policy).map(([k, v]) => [k, SECRET_KEYS.has(k) ? '(set)' : v]));
        return { policy: shown, errors };
      }
    }
  };
}
