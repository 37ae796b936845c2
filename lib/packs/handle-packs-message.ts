/**
 * `packs:` messages from the extension's own pages (the options page's pack manager and editor).
 * entrypoints/background.ts routes the prefix here only from our own pages; zod checks the shape.
 * Authoring (publish, import) needs admin mode; policy `adminMode: false` hides and refuses it.
 */
import { z } from 'zod';
import type { Policy } from '../policy/policy';
import { packFileEntrySchema, packIdSchema } from './pack-file';
import type { PackManager } from './pack-manager';

const stageId = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/).max(64);

export const packsMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('packs:list') }),
  z.strictObject({ type: z.literal('packs:source'), pack: packIdSchema }),
  z.strictObject({ type: z.literal('packs:publish'), pack: packIdSchema, files: z.array(packFileEntrySchema).min(1).max(500) }),
  z.strictObject({ type: z.literal('packs:unpublish'), pack: packIdSchema }),
  z.strictObject({ type: z.literal('packs:set-enabled'), pack: packIdSchema, enabled: z.boolean() }),
  z.strictObject({ type: z.literal('packs:set-stage'), pack: packIdSchema, stage: stageId.nullable() }),
  z.strictObject({ type: z.literal('packs:import'), text: z.string().max(2_000_000) }),
  z.strictObject({ type: z.literal('packs:remove-imported'), pack: packIdSchema }),
  z.strictObject({ type: z.literal('packs:export'), pack: packIdSchema }),
  z.strictObject({ type: z.literal('packs:remote-add'), url: z.string().max(2000) }),
  z.strictObject({ type: z.literal('packs:remote-remove'), url: z.string().max(2000) }),
  z.strictObject({ type: z.literal('packs:remote-refresh') }),
  z.strictObject({ type: z.literal('packs:keys-set'), keys: z.array(z.string().max(2000)).max(20) }),
]);
export type PacksMessage = z.infer<typeof packsMessageSchema>;
export const PACKS_MESSAGE_TYPES = packsMessageSchema.options.map((o) => o.shape.type.value);

export interface PacksHandlerDeps {
  manager: PackManager;
  policy: () => Promise<Policy>;
}

/** Admin mode: on unless policy turns it off (a browser nobody manages is its own admin). */
export const adminModeOf = (policy: Policy) => ({ adminMode: policy.adminMode ?? true, lockedAdminMode: policy.adminMode !== undefined });

export function createPacksHandler({ manager, policy }: PacksHandlerDeps) {
  return async function handlePacksMessage(raw: unknown): Promise<unknown> {
    const parsed = packsMessageSchema.safeParse(raw);
    if (!parsed.success) {
      return { error: `malformed message: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}` };
    }
    const m = parsed.data;
    const admin = adminModeOf(await policy());
    const needsAdmin = m.type === 'packs:publish' || m.type === 'packs:unpublish' || m.type === 'packs:import' || m.type === 'packs:remove-imported';
    if (needsAdmin && !admin.adminMode) return { error: 'authoring is turned off by your organisation (policy adminMode)' };
    switch (m.type) {
      case 'packs:list':
        return { ...(await manager.list()), ...admin };
      case 'packs:source':
        return manager.source(m.pack);
      case 'packs:publish':
        return manager.publish(m.pack, m.files);
      case 'packs:unpublish':
        return manager.unpublish(m.pack);
      case 'packs:set-enabled':
        return manager.setEnabled(m.pack, m.enabled);
      case 'packs:set-stage':
        return manager.setStage(m.pack, m.stage);
      case 'packs:import':
        return manager.import(m.text);
      case 'packs:remove-imported':
        return manager.removeImported(m.pack);
      case 'packs:export':
        return manager.export(m.pack);
      case 'packs:remote-add':
        return manager.addRemote(m.url);
      case 'packs:remote-remove':
        return manager.removeRemote(m.url);
      case 'packs:remote-refresh': {
        const results = await manager.refresh();
        return { ok: true, results };
      }
      case 'packs:keys-set':
        return manager.setKeys(m.keys);
    }
  };
}
