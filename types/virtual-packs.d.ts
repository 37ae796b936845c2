/** The bundled packs, compiled at build time from content-rules/ (see wxt.config.ts). */
declare module 'virtual:crm-coach/packs' {
  const bundle: import('../lib/rules/compiled').CompiledBundle;
  export default bundle;
}
