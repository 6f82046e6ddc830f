// Operator-defined topic policies: "this app must not discuss competitors / medical dosing / …".
// A factory, so each app's policy compiles its keyword lists once; the regexes are built here, at
// configuration time, never per scanned text.
import type { Category, Direction, Finding, OwaspId } from '../../exchange/types.ts';
import type { Detector } from '../types.ts';

export interface TopicPolicy {
  /** Topic name, used in the finding's rule id ("topic.<name>"). */
  name: string;
  /** Words or phrases (case-insensitive, whole words). A trailing "*" matches any word ending. */
  keywords: string[];
  /** The action the operator wants for this topic; the policy layer reads it from `actions`. */
  action?: string;
}

export interface TopicDetectorConfig {
  id: string;
  topics: TopicPolicy[];
  /** Score of a keyword match (default 0.9: the operator named the topic explicitly). */
  score?: number;
  category?: Category;
  directions?: Direction[];
  owasp?: OwaspId[];
}

export interface TopicDetector extends Detector {
  /** Rule id ("topic.<name>") → the action the operator configured for it. */
  readonly actions: ReadonlyMap<string, string>;
}

const MAX_KEYWORD = 200;
const MAX_KEYWORDS = 5000;

function keywordSource(k: string): string {
  const trimmed = k.trim();
  const prefix = trimmed.endsWith('*');
  const body = (prefix ? trimmed.slice(0, -1) : trimmed)
    .replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
    .replace(/\s+/g, '\\s+');
  return prefix ? `${body}[\\p{L}\\p{N}]*` : body;
}

/** Builds a detector that flags the operator's restricted topics by keyword. */
export function createTopicDetector(config: TopicDetectorConfig): TopicDetector {
  if (!config.id.trim()) throw new Error('topic detector: id must not be empty');
  const score = config.score ?? 0.9;
  if (!(score > 0 && score <= 1)) throw new Error('topic detector: score must be in (0, 1]');
  let total = 0;
  const compiled = config.topics.map((t) => {
    if (!t.name.trim()) throw new Error('topic detector: every topic needs a name');
    const kws = t.keywords.map((k) => k.trim()).filter((k) => k.length > 0 && k !== '*');
    if (kws.length === 0) throw new Error(`topic detector: topic "${t.name}" has no keywords`);
    for (const k of kws) if (k.length > MAX_KEYWORD) throw new Error(`topic detector: keyword in "${t.name}" longer than ${MAX_KEYWORD} characters`);
    total += kws.length;
    // Longest first so the reported span covers the longest phrase; letters/digits as boundaries
    // so "art" does not match inside "start" in any script.
    const alternation = [...kws].sort((a, b) => b.length - a.length).map(keywordSource).join('|');
    return { name: t.name, rule: `topic.${t.name}`, re: new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternation})(?![\\p{L}\\p{N}])`, 'giu') };
  });
  if (total > MAX_KEYWORDS) throw new Error(`topic detector: more than ${MAX_KEYWORDS} keywords`);
  const actions = new Map<string, string>();
  for (const t of config.topics) if (t.action) actions.set(`topic.${t.name}`, t.action);
  const category = config.category ?? 'harmful';
  const owasp = config.owasp ?? [];

  return {
    id: config.id,
    categories: [category],
    directions: config.directions ?? ['input', 'output'],
    scansViews: true,
    actions,
    scan(text: string): Finding[] {
      const out: Finding[] = [];
      for (const t of compiled) {
        t.re.lastIndex = 0;
        const m = t.re.exec(text);
        if (!m) continue;
        out.push({
          detector: config.id,
          category,
          rule: t.rule,
          score,
          severity: score >= 0.85 ? 'high' : score >= 0.6 ? 'medium' : 'low',
          owasp: [...owasp],
          span: { start: m.index, end: m.index + m[0].length },
          explanation: `Mentions the restricted topic "${t.name}".`,
        });
      }
      return out;
    },
  };
}
