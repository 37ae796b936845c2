import { resolve } from 'node:path';
import { defineConfig, type WxtViteConfig } from 'wxt';
import { compileRules } from './lib/rules/compile';
import { formatDiagnostic } from './lib/rules/diagnostics';
import { readRuleFiles } from './lib/rules/read-rule-files';
import { toMatchPattern, type CompiledBundle } from './lib/rules/compiled';

// CRM_COACH_RULES_DIR builds from another rules folder (a customer's, or a trimmed one).
const RULES_DIR = resolve(process.env.CRM_COACH_RULES_DIR ?? resolve(import.meta.dirname, 'content-rules'));
// Benchmarks build a variant with generated packs added: CRM_COACH_EXTRA_RULES=<dir>[:<dir>…].
const EXTRA_RULE_DIRS = (process.env.CRM_COACH_EXTRA_RULES ?? '').split(':').filter(Boolean);
const VIRTUAL_ID = 'virtual:crm-coach/packs';
// The bundled packs' YAML, for the pack manager and editor (packs:source): imported only by the
// background, never by the content script, whose size is budgeted.
const SOURCES_VIRTUAL_ID = 'virtual:crm-coach/pack-sources';

// `wxt build` refuses rule errors; `wxt prepare` and Vitest (which load this config too) go on
// with the valid packs, so a pack being written does not stop unrelated unit tests.
const STRICT = process.argv.includes('build');

/** Compile content-rules/ once per build; any error fails the build with every diagnostic. */
function compileBundledPacks(): CompiledBundle {
  const files = [RULES_DIR, ...EXTRA_RULE_DIRS].flatMap((dir) => readRuleFiles(resolve(dir)));
  const { bundle, diagnostics } = compileRules(files);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (!STRICT) return bundle;
  for (const d of diagnostics) console.error(formatDiagnostic({ ...d, file: `content-rules/${d.file}` }));
  if (errors.length > 0) throw new Error(`content-rules: ${errors.length} error(s), see above`);
  return bundle;
}

let compiled: CompiledBundle | undefined;
const bundledPacks = () => (compiled ??= compileBundledPacks());
const hostPatterns = () => [...new Set(bundledPacks().packs.flatMap((p) => p.hosts.map(toMatchPattern)))].sort();

const packsPlugin = (): NonNullable<WxtViteConfig['plugins']>[number] => ({
  name: 'crm-coach:packs',
  resolveId: (id) => (id === VIRTUAL_ID ? `\0${VIRTUAL_ID}` : undefined),
  load(id) {
    if (id !== `\0${VIRTUAL_ID}`) return undefined;
    compiled = undefined; // rebuilds (wxt dev) pick up edited rule files
    return `export default ${JSON.stringify(bundledPacks())};`;
  },
});

/** { <pack id>: [{ path: "pack.yaml", text }, …] } of every bundled pack. */
const packSourcesPlugin = (): NonNullable<WxtViteConfig['plugins']>[number] => ({
  name: 'crm-coach:pack-sources',
  resolveId: (id) => (id === SOURCES_VIRTUAL_ID ? `\0${SOURCES_VIRTUAL_ID}` : undefined),
  load(id) {
    if (id !== `\0${SOURCES_VIRTUAL_ID}`) return undefined;
    const sources: Record<string, Array<{ path: string; text: string }>> = {};
    for (const f of [RULES_DIR, ...EXTRA_RULE_DIRS].flatMap((dir) => readRuleFiles(resolve(dir)))) {
      const [pack, name] = f.path.split('/');
      if (pack && name) (sources[pack] ??= []).push({ path: name, text: f.text });
    }
    return `export default ${JSON.stringify(sources)};`;
  },
});

export default defineConfig({
  // Benchmarks build their variant elsewhere so they never overwrite the tested build.
  ...(process.env.CRM_COACH_OUT_DIR && { outDir: process.env.CRM_COACH_OUT_DIR }),
  // No webextension-polyfill: in MV3 both Chrome's `chrome.*` and Firefox's `browser.*` are
  // promise-based, and WXT's `browser` is whichever exists. The polyfill cost ~1.5 ms of the
  // content script's 5 ms evaluation budget (wrapping and copying every chrome.* namespace).
  modules: ['@wxt-dev/module-react'],
  vite: () => ({ plugins: [packsPlugin(), packSourcesPlugin()], ...(process.env.NOMINIFY && { build: { minify: false } }) }),
  manifest: ({ browser }) => ({
    name: '__MSG_extName__',
    description: '__MSG_extDescription__',
    default_locale: 'en',
    // storage: settings; scripting: inject the overlay only when something is shown;
    // alarms: the daily sync to the team collector (off until configured).
    permissions: ['storage', 'scripting', 'alarms'],
    host_permissions: hostPatterns(),
    // Packs for CRM hosts not in this build (imported, remote, authored): the options page asks
    // for the host with a user gesture (or IT pre-grants it, docs/deploy.md), then the background
    // registers the content script there (lib/packs/dynamic-hosts.ts).
    optional_host_permissions: ['https://*/*', 'http://*/*'],
    // Enterprise policy (lib/policy/policy.ts). Firefox reads policy through its own
    // managed-storage manifest, not this key.
    ...(browser !== 'firefox' && { storage: { managed_schema: 'managed_schema.json' } }),
    ...(browser === 'firefox' && {
      browser_specific_settings: {
        gecko: {
          id: 'crm-coach@crm-coach.dev',
          strict_min_version: '142.0',
          data_collection_permissions: { required: ['none'] },
        },
      },
    }),
  }),
  hooks: {
    'entrypoints:resolved': (_wxt, entrypoints) => {
      // The content script runs on exactly the hosts the packs declare.
      for (const e of entrypoints) if (e.type === 'content-script') e.options.matches = hostPatterns();
    },
  },
});
