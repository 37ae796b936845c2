/** The bundled packs' YAML files by pack id (wxt.config.ts); the background's only. */
declare module 'virtual:crm-coach/pack-sources' {
  const sources: Record<string, Array<{ path: string; text: string }>>;
  export default sources;
}
