import type { SecretRule } from '../rule.ts';
import { AI_RULES } from './ai.ts';
import { CLOUD_RULES } from './cloud.ts';
import { DEVTOOLS_RULES } from './devtools.ts';
import { SAAS_RULES } from './saas.ts';
import { STRUCTURAL_RULES } from './structural.ts';

/** Every secret rule, in reporting-priority order for equal scores (specific before generic). */
export const SECRET_RULES: readonly SecretRule[] = [...AI_RULES, ...CLOUD_RULES, ...DEVTOOLS_RULES, ...SAAS_RULES, ...STRUCTURAL_RULES];

{
  const seen = new Set<string>();
  for (const r of SECRET_RULES) {
    if (seen.has(r.id)) throw new Error(`duplicate secret rule id ${r.id}`);
    seen.add(r.id);
    if (r.keywords.length === 0) throw new Error(`secret rule ${r.id} has no keywords`);
  }
}
