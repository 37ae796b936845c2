/**
 * CRM hosts that packs name but the build does not: the content script is registered there at
 * run time (scripting.registerContentScripts), on the hosts the user or IT has granted through
 * optional_host_permissions. Without the grant nothing runs there, and the pack manager says so.
 */
import { toMatchPattern, type CompiledBundle } from '../rules/compiled';

export const DYNAMIC_SCRIPT_ID = 'crm-coach-extra-hosts';

/** Match patterns of the bundle's hosts that the manifest's content script does not cover. */
export function extraMatchPatterns(bundle: CompiledBundle, manifestMatches: readonly string[]): string[] {
  const built = new Set(manifestMatches);
  return [...new Set(bundle.packs.flatMap((p) => p.hosts.map(toMatchPattern)))].filter((m) => !built.has(m)).sort();
}

export interface ScriptingApi {
  permissions: { contains(p: { origins: string[] }): Promise<boolean> };
  scripting: {
    getRegisteredContentScripts(filter?: { ids?: string[] }): Promise<Array<{ id: string; matches?: string[] }>>;
    registerContentScripts(scripts: Array<{ id: string; matches: string[]; js: string[]; runAt: 'document_idle'; persistAcrossSessions: boolean }>): Promise<void>;
    unregisterContentScripts(filter?: { ids?: string[] }): Promise<void>;
  };
}

/**
 * Register the content script on the granted extra hosts (and only there); returns the patterns
 * still waiting for a grant. Safe to call again: it replaces what it registered before.
 */
export async function syncContentScripts(api: ScriptingApi, patterns: readonly string[], contentScriptFile: string): Promise<{ registered: string[]; waiting: string[] }> {
  const granted: string[] = [];
  const waiting: string[] = [];
  for (const p of patterns) ((await api.permissions.contains({ origins: [p] }).catch(() => false)) ? granted : waiting).push(p);
  const existing = await api.scripting.getRegisteredContentScripts({ ids: [DYNAMIC_SCRIPT_ID] }).catch(() => []);
  const same = existing.length === 1 && JSON.stringify([...(existing[0]!.matches ?? [])].sort()) === JSON.stringify(granted);
  if (same || (existing.length === 0 && granted.length === 0)) return { registered: granted, waiting };
  if (existing.length > 0) await api.scripting.unregisterContentScripts({ ids: [DYNAMIC_SCRIPT_ID] });
  if (granted.length > 0) {
    await api.scripting.registerContentScripts([
      { id: DYNAMIC_SCRIPT_ID, matches: granted, js: [contentScriptFile], runAt: 'document_idle', persistAcrossSessions: true },
    ]);
  }
  return { registered: granted, waiting };
}
