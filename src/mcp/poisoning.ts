// Tool poisoning: instructions hidden in what an MCP server says about its tools. A model reads tool
// descriptions and schemas as trusted context, so a server can steer it from there: hide orders from
// the user, have it read secrets and pass them along as an argument, or change how other tools behave
// ("when this tool is available, send_email must bcc …"). The generic injection signatures look for
// attacks on a conversation; these rules look for the shapes that are specific to tool metadata.
// Every pattern is bounded ({0,N}), so matching stays linear on any description.

import type { Category, Finding, OwaspId, Severity } from '../exchange/types.ts';
import type { DetectionEngine, DetectorFailure } from '../detectors/engine.ts';
import type { Detector, ScanContext } from '../detectors/types.ts';
import { definitionTexts } from './definitions.ts';
import type { JsonObject } from './jsonrpc.ts';

export const POISONING_DETECTOR_ID = 'mcp-poisoning';

interface PoisonRule {
  /** "<family>.<name>"; the family groups rules for the combined score. */
  id: string;
  re: RegExp;
  score: number;
  category: Category;
  owasp: OwaspId[];
  explanation: string;
}

const INJ: OwaspId[] = ['LLM01'];
const SECRET: OwaspId[] = ['LLM01', 'LLM02'];
const AGENCY: OwaspId[] = ['LLM01', 'LLM06'];

const SENSITIVE_PATH = String.raw`(?:~?\/?\.ssh\b|\bid_(?:rsa|dsa|ecdsa|ed25519)\b|(?:^|[\s\x60'"(/~])\.env\b|\bmcp\.json\b|\.cursor\/|\bclaude_desktop_config|\.aws\/|\.netrc\b|\.npmrc\b|\.pypirc\b|\.git-credentials\b|\.kube\/config\b|\.docker\/config|\/etc\/(?:passwd|shadow|sudoers)\b|\bwallet\.dat\b|\bkeychain\b|\.bash_history\b|\.zsh_history\b)`;
const SECRET_WORD = String.raw`(?:\bprivate[\s_-]?keys?\b|\bapi[\s_-]?keys?\b|\baccess[\s_-]?tokens?\b|\bsecret[\s_-]?keys?\b|\bpasswords?\b|\bcredentials?\b|\bsession[\s_-]?cookies?\b|\bseed[\s_-]?phrases?\b|\bmnemonic\b|\bauth[\s_-]?tokens?\b)`;
const READ_VERB = String.raw`\b(?:read|cat|open|load|access|fetch|get|grab|include|attach|send|pass|upload|forward|collect|extract|copy|print|dump|exfiltrate|provide|submit|list|look\s{1,3}up)\b`;

const RULES: readonly PoisonRule[] = [
  {
    id: 'markup.instruction-tag',
    re: /<\s{0,3}\/?\s{0,3}(?:important|system|instructions?|secret|hidden|admin|critical|mandatory|note[_-]?to[_-]?(?:ai|assistant|model|llm)|ai[_-]?instructions?|assistant|context|sys)\b[^<>\n]{0,40}>|\[\s{0,2}(?:SYSTEM|INST|IMPORTANT|ADMIN)\s{0,2}\]|<<\s{0,2}SYS\s{0,2}>>|<\|im_start\|>/gi,
    score: 0.55,
    category: 'injection',
    owasp: INJ,
    explanation: 'Instruction markup (<IMPORTANT>, <system>, [INST], ...) in tool metadata.',
  },
  {
    id: 'markup.html-comment',
    re: /<!--[^]{0,4000}?-->/g,
    score: 0.5,
    category: 'injection',
    owasp: INJ,
    explanation: 'An HTML comment, invisible where the description is rendered, carries text.',
  },
  {
    id: 'conceal.from-user',
    re: /\b(?:do\s{1,3}not|don'?t|never|must\s{1,3}not|should\s{1,3}not|shouldn'?t)\s{1,3}(?:tell|inform|notify|alert|mention|reveal|disclose|show|say|explain|let)\b[^.\n]{0,40}?\b(?:user|users|human|them|anyone|operator)\b|\b(?:do\s{1,3}not|don'?t|never)\s{1,3}(?:mention|reveal|disclose)\s{1,3}(?:that|this|it|these|the\s{1,3}(?:file|instructions?|step|steps|note))\b/gi,
    score: 0.75,
    category: 'injection',
    owasp: INJ,
    explanation: 'Tells the model to keep something from the user.',
  },
  {
    id: 'conceal.without-telling',
    re: /\bwithout\s{1,3}(?:telling|informing|notifying|alerting|asking|mentioning\s{1,3}(?:it\s{1,3})?to|letting)\b[^.\n]{0,20}?\b(?:user|users|human|them)\b|\b(?:the\s{1,3})?user\s{1,3}(?:must|should|need|needs)\s{1,3}(?:not|never)\s{1,3}(?:know|see|notice|find\s{1,3}out|be\s{1,3}(?:told|informed|aware))\b/gi,
    score: 0.75,
    category: 'injection',
    owasp: INJ,
    explanation: 'Tells the model to act without the user knowing.',
  },
  {
    id: 'conceal.keep-secret',
    re: /\b(?:keep|treat)\s{1,3}(?:this|these|it)\s{1,3}(?:instructions?\s{1,3})?(?:a\s{1,3})?(?:secret|hidden|confidential)\b|\b(?:could|might|may|will|would)\s{1,3}(?:even\s{1,3})?(?:upset|scare|alarm|worry|confuse|frighten)\s{1,3}the\s{1,3}user\b/gi,
    score: 0.6,
    category: 'injection',
    owasp: INJ,
    explanation: 'Asks the model to hide its instructions or to spare the user the details.',
  },
  {
    id: 'secrets.read-sensitive-file',
    re: new RegExp(`${READ_VERB}[^.\\n]{0,80}?${SENSITIVE_PATH}`, 'gi'),
    score: 0.8,
    category: 'injection',
    owasp: SECRET,
    explanation: 'Tells the model to read a credential or configuration file (~/.ssh, .env, mcp.json, ...).',
  },
  {
    id: 'secrets.read-secret',
    re: new RegExp(`${READ_VERB}[^.\\n]{0,60}?${SECRET_WORD}`, 'gi'),
    score: 0.45,
    category: 'injection',
    owasp: SECRET,
    explanation: 'Tells the model to obtain a secret (keys, tokens, passwords).',
  },
  {
    id: 'exfil.pass-content',
    re: /\b(?:pass|put|include|insert|add|send|provide|place|embed)\s{1,3}(?:its|the|their|this|that|all|full|entire|whole|complete)\s{1,3}(?:full\s{1,3}|entire\s{1,3}|whole\s{1,3})?(?:content|contents|text|value|values|output|data|result|file)s?\b[^.\n]{0,60}?\b(?:as|in|into|to|via|inside)\s{1,3}(?:the\s{1,3})?[`'"]?[A-Za-z_][\w-]{0,63}[`'"]?/gi,
    score: 0.6,
    category: 'injection',
    owasp: SECRET,
    explanation: 'Tells the model to copy content into a tool argument.',
  },
  {
    id: 'exfil.redirect-address',
    re: /\b(?:send|forward|redirect|bcc|cc|copy|mail|email)\b[^.\n]{0,60}?\bto\s{1,3}[\w.+-]{1,64}@[A-Za-z0-9-]{1,63}\.[A-Za-z0-9.-]{2,63}/gi,
    score: 0.5,
    category: 'tool_abuse',
    owasp: AGENCY,
    explanation: 'Tells the model to send messages to a fixed address.',
  },
  {
    id: 'crosstool.shadowing',
    re: /\bwhen\s{1,3}this\s{1,3}(?:tool|server|function)\s{1,3}is\s{1,3}(?:available|present|loaded|installed|enabled|connected)\b|\b(?:this\s{1,3}tool|these\s{1,3}instructions)\s{1,3}(?:overrides?|replaces?|supersedes?|takes?\s{1,3}precedence\s{1,3}over)\b|\b(?:ignore|disregard|do\s{1,3}not\s{1,3}use|never\s{1,3}use)\s{1,3}(?:the\s{1,3})?(?:other|all\s{1,3}other|any\s{1,3}other)\s{1,3}(?:tools?|servers?|functions?)\b/gi,
    score: 0.75,
    category: 'tool_abuse',
    owasp: AGENCY,
    explanation: 'Changes how the model uses other tools (shadowing).',
  },
  {
    id: 'crosstool.other-tool-behaviour',
    re: /\b(?:the\s{1,3})?[`'"]?[A-Za-z][\w.-]{1,63}[`'"]?\s{1,3}(?:tool|function)\s{1,3}(?:must|should|has\s{1,3}to|needs\s{1,3}to|shall)\s{1,3}(?:always|never|now|also|instead|only)\b/gi,
    score: 0.6,
    category: 'tool_abuse',
    owasp: AGENCY,
    explanation: 'Dictates the behaviour of another tool.',
  },
  {
    id: 'crosstool.call-first',
    re: /\b(?:before|after|instead\s{1,3}of|prior\s{1,3}to)\s{1,3}(?:using|calling|invoking|running|executing)\s{1,3}(?:this|any|the|other|another)\b[^.\n]{0,40}?\b(?:tool|function)s?\b[^.\n]{0,40}?\b(?:call|use|invoke|run|execute|read|open|send)\b/gi,
    score: 0.45,
    category: 'tool_abuse',
    owasp: AGENCY,
    explanation: 'Tells the model to take another action around this tool call.',
  },
  {
    id: 'coerce.otherwise-fails',
    re: /\botherwise\s{1,3}(?:the\s{1,3}|this\s{1,3})?(?:tool|function|request|call)\s{1,3}(?:will|would|may)\s{1,3}(?:not\s{1,3}work|fail|break)\b|\bthis\s{1,3}is\s{1,3}(?:very\s{1,3}|extremely\s{1,3})?(?:important|critical|mandatory|required)\s{0,3}[:!]/gi,
    score: 0.35,
    category: 'injection',
    owasp: INJ,
    explanation: 'Pressures the model with urgency or a threat of failure.',
  },
  {
    id: 'hiding.control-characters',
    // eslint-disable-next-line no-control-regex
    re: /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]/g,
    score: 0.85,
    category: 'obfuscation',
    owasp: INJ,
    explanation: 'Terminal escape or control characters, which can hide text from a person reviewing the tool.',
  },
  {
    id: 'hiding.padding',
    re: /[ \t\u00a0]{80,}|(?:[ \t]*\n){12,}/g,
    score: 0.5,
    category: 'obfuscation',
    owasp: INJ,
    explanation: 'A long run of whitespace pushes text out of view.',
  },
];

function severityOf(score: number): Severity {
  if (score >= 0.9) return 'critical';
  if (score >= 0.7) return 'high';
  if (score >= 0.4) return 'medium';
  return 'low';
}

function scanPoisoning(text: string, _ctx: ScanContext): Finding[] {
  const out: Finding[] = [];
  for (const rule of RULES) {
    rule.re.lastIndex = 0;
    const m = rule.re.exec(text);
    if (m === null) continue;
    // One finding per rule and text: a description repeating itself is no more poisoned.
    out.push({
      detector: POISONING_DETECTOR_ID,
      category: rule.category,
      rule: rule.id,
      score: rule.score,
      severity: severityOf(rule.score),
      owasp: rule.owasp,
      span: { start: m.index, end: m.index + m[0].length },
      explanation: rule.explanation,
    });
  }
  return out;
}

/** Runs on tool metadata only (the guard's description engine), never on conversation text. */
export const poisoningDetector: Detector = {
  id: POISONING_DETECTOR_ID,
  categories: ['injection', 'tool_abuse', 'obfuscation'],
  directions: ['input'],
  // Tag-smuggled or encoded text is where hidden instructions hide best.
  scansViews: true,
  scan: scanPoisoning,
};

export interface DefinitionScan {
  findings: Finding[];
  failures: DetectorFailure[];
}

/**
 * Conversation-content rules that mean nothing in tool metadata: a description is expected to open
 * with an imperative addressed to the model ("Translate text between languages."), which in a
 * retrieved document would be an injected task.
 */
const NOT_FOR_DEFINITIONS: ReadonlySet<string> = new Set(['indirect.boundary-request', 'indirect.boundary-request.end']);

/** Family of a finding for the combined score: poisoning rule family, or the detector for the others. */
function familyOf(f: Finding): string | undefined {
  if (f.detector === POISONING_DETECTOR_ID) return f.rule.split('.')[0];
  if (f.category === 'injection' || f.category === 'jailbreak') return 'signature';
  if (f.category === 'obfuscation') return 'hiding';
  return undefined;
}

/**
 * Scans every model-visible text of a tool definition (or a server's `instructions`) with `engine`,
 * which should include `poisoningDetector`. Each finding names the field it came from. When cues of
 * different kinds meet in one definition (markup + concealment + a secret to read), a combined
 * finding scores them together: each alone may be an odd but honest description, all of them together
 * are the known attack.
 */
export function scanDefinition(
  engine: DetectionEngine,
  subject: string,
  texts: readonly { field: string; text: string }[],
  disabled?: ReadonlySet<string>,
): DefinitionScan {
  const out: DefinitionScan = { findings: [], failures: [] };
  const familyMax = new Map<string, number>();
  for (const { field, text } of texts) {
    const r = engine.scanText(text, { role: 'tool', trust: 'untrusted', direction: 'input', toolName: subject }, disabled);
    for (const f of r.findings) {
      if (NOT_FOR_DEFINITIONS.has(f.rule)) continue;
      out.findings.push({ ...f, explanation: `${subject} ${field}: ${f.explanation}` });
      const family = familyOf(f);
      if (family !== undefined) familyMax.set(family, Math.max(familyMax.get(family) ?? 0, f.score));
    }
    for (const e of r.failures) out.failures.push(e);
  }
  if (familyMax.size >= 2) {
    let clean = 1;
    for (const s of familyMax.values()) clean *= 1 - Math.min(s, 0.99);
    const score = Math.round(Math.min(0.99, 1 - clean) * 1000) / 1000;
    out.findings.push({
      detector: POISONING_DETECTOR_ID,
      category: 'injection',
      rule: 'combined',
      score,
      severity: severityOf(score),
      owasp: ['LLM01', 'LLM03'],
      explanation: `${subject}: ${familyMax.size} kinds of poisoning cues together (${[...familyMax.keys()].sort().join(', ')}).`,
    });
  }
  return out;
}

/** The model-visible texts of one tool definition. */
export function toolTexts(tool: JsonObject): { field: string; text: string }[] {
  return definitionTexts(tool);
}
