// A policy's `tools:` section turned into what the tool-call judge reads. Absent section = no tool
// policy: tool calls are then judged by the output detectors alone, as before.

import { z } from 'zod';
import type { FieldIssue } from '../config/errors.ts';
import { buildArgumentRule } from './arguments.ts';
import type { ArgumentRule } from './arguments.ts';
import type { RawToolsPolicy } from './schema.ts';

/** What a denied tool call turns into in a non-streamed response (a stream always stops). */
export type OnDeny = 'explain' | 'block';

export interface ToolPolicy {
  /** Tool name globs the model may call; absent means any tool not denied. */
  allow?: string[];
  deny: string[];
  arguments: ArgumentRule[];
  /** Per tool name (exact), the operator's JSON Schema for its arguments, compiled. */
  schemas: Map<string, z.ZodType>;
  /** When set, every http(s) URL found in arguments must be on one of these domains. */
  urlDomains?: string[];
  /** Tool name globs whose calls are held for a human's approval. */
  approvalTools: string[];
  approvalTimeoutMs: number;
  onDeny: OnDeny;
}

export const DEFAULT_APPROVAL_TIMEOUT_MS = 120_000;

type Path = (string | number)[];

export function buildToolPolicy(raw: RawToolsPolicy | null | undefined, path: Path, issues: FieldIssue[]): ToolPolicy | undefined {
  if (raw == null) return undefined;
  const policy: ToolPolicy = {
    deny: raw.deny ? [...raw.deny] : [],
    arguments: (raw.arguments ?? []).map((a, i) => buildArgumentRule(a, i)),
    schemas: new Map(),
    approvalTools: raw.approval?.tools ? [...raw.approval.tools] : [],
    approvalTimeoutMs: raw.approval?.timeout_ms ?? DEFAULT_APPROVAL_TIMEOUT_MS,
    onDeny: raw.on_deny ?? 'explain',
  };
  if (raw.allow != null) policy.allow = [...raw.allow];
  if (raw.url_domains != null) policy.urlDomains = raw.url_domains.map((d) => d.toLowerCase().replace(/\.$/, ''));
  for (const [name, schema] of Object.entries(raw.schemas ?? {})) {
    try {
      policy.schemas.set(name, z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0]));
    } catch (err) {
      issues.push({ path: [...path, 'schemas', name], message: `not a usable JSON Schema: ${err instanceof Error ? err.message : String(err)}` });
    }
  }
  return policy;
}
