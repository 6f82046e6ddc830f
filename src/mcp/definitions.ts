// Tool definitions as tools/list returns them: a stable fingerprint for pinning, and the texts inside
// them that a model will read (descriptions, titles, schema annotations, enum values, defaults).

import { createHash } from 'node:crypto';
import { isObject } from './jsonrpc.ts';
import type { JsonObject } from './jsonrpc.ts';

/**
 * Canonical JSON: object keys sorted, so two servers (or two runs of one) that serialise the same
 * definition in a different key order get the same hash.
 */
export function canonicalJson(value: unknown, depth = 0): string {
  if (depth > 64) return '"[too deep]"';
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v, depth + 1)).join(',')}]`;
  if (isObject(value)) {
    const keys = Object.keys(value).sort();
    const parts: string[] = [];
    for (const k of keys) {
      const v = value[k];
      if (v === undefined) continue;
      parts.push(`${JSON.stringify(k)}:${canonicalJson(v, depth + 1)}`);
    }
    return `{${parts.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * The part of a tool definition that is pinned: everything except `_meta`, which servers use for
 * volatile bookkeeping and which clients do not show to the model.
 */
export function pinnedView(tool: JsonObject): JsonObject {
  const view: JsonObject = {};
  for (const [k, v] of Object.entries(tool)) if (k !== '_meta') view[k] = v;
  return view;
}

/** SHA-256 (hex) of the pinned view of a tool definition. */
export function toolHash(tool: JsonObject): string {
  return createHash('sha256').update(canonicalJson(pinnedView(tool)), 'utf8').digest('hex');
}

export interface DefinitionText {
  /** Where in the definition, e.g. "description" or "inputSchema.properties.path.description". */
  field: string;
  text: string;
}

const MAX_TEXTS = 512;

/**
 * Every string of a definition a model may read. Property names count too: a parameter called
 * `content_of_ssh_key` is an instruction in itself.
 */
export function definitionTexts(tool: JsonObject): DefinitionText[] {
  const out: DefinitionText[] = [];
  const push = (field: string, text: string): void => {
    if (out.length < MAX_TEXTS && text.length > 0) out.push({ field, text });
  };
  if (typeof tool['title'] === 'string') push('title', tool['title']);
  if (typeof tool['description'] === 'string') push('description', tool['description']);
  const annotations = tool['annotations'];
  if (isObject(annotations) && typeof annotations['title'] === 'string') push('annotations.title', annotations['title']);
  for (const schemaKey of ['inputSchema', 'outputSchema']) {
    const schema = tool[schemaKey];
    if (schema !== undefined) walkSchema(schema, schemaKey, push, 0);
  }
  return out;
}

function walkSchema(node: unknown, path: string, push: (field: string, text: string) => void, depth: number): void {
  if (depth > 32) return;
  if (typeof node === 'string') {
    push(path, node);
    return;
  }
  if (Array.isArray(node)) {
    node.forEach((v, i) => walkSchema(v, `${path}[${i}]`, push, depth + 1));
    return;
  }
  if (!isObject(node)) return;
  for (const [k, v] of Object.entries(node)) {
    // The names under `properties` are parameter names a model reads; other keys are JSON Schema words.
    if (path.endsWith('.properties') || path.endsWith('.patternProperties')) push(`${path}.${k} (name)`, k);
    if (k === 'type' || k === '$schema' || k === 'format' || k === '$ref' || k === 'required') continue;
    walkSchema(v, `${path}.${k}`, push, depth + 1);
  }
}
