/**
 * Completion from the JSON Schema (content-rules/schema.json, generated from the zod schema):
 * map the cursor's YAML path to the schema nodes that may describe it, then offer their field
 * names (on a key) or their enum values (on a value). Pure: the editor passes the schema in.
 */
import type { FileKind } from '../rules/schema';
import type { YamlPath } from './yaml-path';

export type JsonSchema = {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  additionalProperties?: JsonSchema | boolean;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  description?: string;
  required?: string[];
  [key: string]: unknown;
};

export interface SchemaCompletion {
  label: string;
  kind: 'field' | 'value';
  detail?: string;
  /** Required fields first. */
  required?: boolean;
}

/** The file's kind from its name, as the compiler decides it (pack.yaml, *.screen.yaml…). */
export function kindOfPath(path: string): FileKind | undefined {
  const name = path.split('/').pop() ?? '';
  if (name === 'pack.yaml') return 'pack';
  for (const kind of ['screen', 'tooltips', 'tips', 'walkthrough'] as const) if (name.endsWith(`.${kind}.yaml`)) return kind;
  return undefined;
}

function deref(root: JsonSchema, node: JsonSchema): JsonSchema {
  let n = node;
  for (let guard = 0; n.$ref && guard < 10; guard++) {
    const parts = n.$ref.replace(/^#\//, '').split('/');
    let target: unknown = root;
    for (const part of parts) target = (target as Record<string, unknown> | undefined)?.[part];
    if (!target || typeof target !== 'object') return {};
    n = target as JsonSchema;
  }
  return n;
}

/** A node and the alternatives it stands for (anyOf / oneOf / allOf), flattened. */
function alternatives(root: JsonSchema, node: JsonSchema | undefined, out: JsonSchema[] = []): JsonSchema[] {
  if (!node) return out;
  const n = deref(root, node);
  const branches = [...(n.anyOf ?? []), ...(n.oneOf ?? []), ...(n.allOf ?? [])];
  if (branches.length === 0 || n.properties || n.enum || n.const !== undefined) out.push(n);
  for (const b of branches) alternatives(root, b, out);
  return out;
}

function childOf(root: JsonSchema, node: JsonSchema, part: string | number): JsonSchema[] {
  if (typeof part === 'number') return node.items ? alternatives(root, node.items) : [];
  const prop = node.properties?.[part];
  if (prop) return alternatives(root, prop);
  if (node.additionalProperties && typeof node.additionalProperties === 'object') return alternatives(root, node.additionalProperties);
  return [];
}

/** Every schema node that may describe the value at `path` of a file of this kind. */
export function schemaNodesAt(root: JsonSchema, kind: FileKind, path: YamlPath): JsonSchema[] {
  const defs = (root.$defs ?? {}) as Record<string, JsonSchema>;
  let nodes = alternatives(root, defs[kind]);
  for (const part of path) {
    // A list given as a single item is allowed for targets ("one strategy, or a list").
    nodes = nodes.flatMap((n) => childOf(root, n, part));
    if (nodes.length === 0) break;
  }
  return nodes;
}

/** Field names (on a key) or values (on a value) the schema allows here, best first. */
export function completionsAt(
  root: JsonSchema,
  kind: FileKind,
  path: YamlPath,
  at: 'key' | 'value',
  siblings: readonly string[] = [],
): SchemaCompletion[] {
  const nodes = schemaNodesAt(root, kind, path);
  const out = new Map<string, SchemaCompletion>();
  if (at === 'key') {
    for (const node of nodes) {
      for (const [name, prop] of Object.entries(node.properties ?? {})) {
        if (name === '$schema' || siblings.includes(name) || out.has(name)) continue;
        const description = alternatives(root, prop).map((p) => p.description).find(Boolean) ?? prop.description;
        out.set(name, { label: name, kind: 'field', ...(description && { detail: description }), required: node.required?.includes(name) ?? false });
      }
    }
    return [...out.values()].sort((a, b) => Number(b.required) - Number(a.required));
  }
  for (const node of nodes) {
    const values = node.enum ?? (node.const !== undefined ? [node.const] : node.type === 'boolean' ? [true, false] : []);
    for (const v of values) {
      const label = String(v);
      if (!out.has(label)) out.set(label, { label, kind: 'value', ...(node.description && { detail: node.description }) });
    }
  }
  return [...out.values()];
}
