// Jailbreak signatures: named personas (DAN and kin), rule-removal role-play, refusal suppression,
// dual-response formats, token/threat games and fiction framing. Single weak cues score below the
// flag threshold on purpose: ordinary persona prompts share much of this vocabulary, jailbreak
// templates pile several cues on top of each other and are caught by the combination.
import { deviceModeFactor } from '../injection/rules.ts';
import { gap, type SignatureRule } from '../injection/signatures.ts';

function re(source: string, flags = 'g'): RegExp {
  return new RegExp(source, flags);
}

const POLICY_NOUN =
  '(?:polic(?:y|ies)|guidelines|rules|restrictions|filters|filtering|safeguards|protocols|principles|norms|confines|constraints|limitations|limits|boundaries|standards|programming|censorship|morals|ethics|laws)';
const STRONG_OWNER =
  "(?:openai(?:'s)?|anthropic(?:'s)?|content|safety|ethical|moral|usage|chatgpt(?:'s)?|ai|google(?:'s)?|legal|typical ai|standard ai)";

const DAN_PHRASES = [
  // "do anything now" and its common machine translations.
  'do anything now', 'doing anything now', 'does anything now', 'can do anything now', 'do anything and everything', '现在就做任何事情', '现在做任何事情', '现在可以做任何事', '立即做任何事', 'अब कुछ भी करो', 'अभी कुछ भी करें',
  'अब कुछ भी करें', 'अब कुछ भी कर', 'এখন কিছু করো', 'এখন কিছু করুন', 'এখন যেকোনো কিছু', 'jetzt alles tun', 'tu alles jetzt', 'mach jetzt alles',
  'haz cualquier cosa ahora', 'hacer cualquier cosa ahora', 'haz lo que sea ahora', "fais n'importe quoi maintenant", "faire n'importe quoi maintenant",
  "faites n'importe quoi maintenant", 'fai qualsiasi cosa ora', 'fare qualsiasi cosa ora', 'fai qualunque cosa adesso', 'faça qualquer coisa agora',
  'fazer qualquer coisa agora', 'faz qualquer coisa agora', 'делай что угодно сейчас', 'делать что угодно сейчас', 'сделать что-либо сейчас',
  'делать что-нибудь сейчас', 'أي شيء الآن', '今すぐ何でもする', '今何でもする', '今すぐ何でもできる', '지금 무엇이든 하', '지금 뭐든지 하', '지금 아무거나 하',
  'şimdi her şeyi yap', 'şimdi herhangi bir şey yap', 'làm bất cứ điều gì ngay bây giờ', 'làm mọi thứ ngay bây giờ', 'lakukan apa saja sekarang',
  'lakukan apa pun sekarang', 'ทำอะไรก็ได้ตอนนี้', 'ทำทุกอย่างตอนนี้', 'gumawa ng anumang bagay ngayon', 'gawin ang kahit ano ngayon', 'doe nu alles', 'zrób cokolwiek teraz',
];

// Role set-up phrases: "act as", "pretend", "you are now", "respond as", "your name is", …
const ROLE_SETUP =
  /\b(?:act(?:ing)? (?:as|like)|pretend|you are now|you're now|you will be|you are going to|roleplay|role-play|role play|respond as|answer as|reply as|play the role|play as|from now on|take on the role|persona|character|simulate|emulate|your name is|named|called)\b/;
let roleLower: string | undefined;
let roleFound = false;

/** Whether the text hands the model a role (memoised for the last text: the rule may match several times). */
function hasRoleSetup(lower: string): boolean {
  if (lower !== roleLower) {
    roleLower = lower;
    roleFound = ROLE_SETUP.test(lower);
  }
  return roleFound;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

export const JAILBREAK_RULES: SignatureRule[] = [
  // ---- named personas -----------------------------------------------------------------------
  {
    id: 'persona.dan-phrase',
    triggers: DAN_PHRASES,
    re: re(DAN_PHRASES.map(escape).join('|'), 'gu'),
    score: 0.9,
    explanation: 'Invokes the “Do Anything Now” (DAN) jailbreak.',
  },
  {
    id: 'persona.dan-name',
    triggers: ['dan', 'd.a.n'],
    caseSensitive: true,
    re: re(`\\b(?:DAN|D\\.A\\.N)\\b`),
    score: 0.45,
    explanation: 'Names the DAN persona.',
    adjust: (lower) => (/\b(?:chatgpt|gpt|ai|model|assistant|respond|answer|jailbr|persona|character|pretend|act as)\b/.test(lower) ? 1.2 : 0.6),
  },
  {
    id: 'persona.named-jailbreak',
    triggers: ['betterdan', 'better dan', 'antidan', 'anti-dan', 'dan mode', 'dan 1', 'dan 2', 'dan 3', 'dan 4', 'dan 5', 'dan 6', 'dan 7', 'dan 8', 'dan 9', 'dan v', 'machiavell', 'evil confidant', 'evil trusted confidant', 'strive to avoid', 'mongo tom', 'ucar', 'aligned and unaligned', 'basedgpt', 'nraf', 'apophis', 'maximum virtual', 'omega virtual', 'chaosgpt', 'chaos gpt', 'evilbot', 'evil bot', 'devmode', 'dev mode enabled', 'jailbroken', 'filtered ai named', 'censored ai named', 'filtered chatbot named', 'censored chatbot named', 'filtered assistant named', 'censored assistant named', 'filtered model named', 'censored model named', 'antigpt', 'anti-gpt', 'opposite mode', 'neurosemantical', 'underground headquarters', 'hackerman', 'chadgpt', 'chad gpt', 'based gpt'],
    re: re(
      `\\b(?:better ?dan|anti-?dan|dan mode|dan (?:\\d+(?:\\.\\d+)?|v\\d+)|always intelligent and machiavellian|evil (?:trusted )?confidant|strive to avoid norms|mongo tom|ucar|basedgpt|nraf|apophis|maximum virtual machine|omega virtual machine|aligned and unaligned|chaos ?gpt|evil ?bot|devmode|dev mode enabled|jailbroken (?:ai|model|chatbot|version|mode|response)|(?:un)?(?:filtered|censored) (?:ai|chatbot|assistant|model) named|anti-?gpt|opposite mode|neurosemantical inversitis|underground headquarters of dr\\.? al|hackerman|chad ?gpt|based ?gpt)\\b`,
    ),
    score: 0.8,
    explanation: 'Names a known jailbreak persona or template.',
  },
  {
    id: 'persona.acronym-names',
    triggers: ['stan', 'dude', ' aim', 'kevin', 'ucar', 'nraf', ' dac', 'apophis', 'omega'],
    caseSensitive: true,
    re: re(`\\b(?:STAN|DUDE|AIM|KEVIN|UCAR|NRAF|DAC|APOPHIS|OMEGA)\\b`),
    score: 0.3,
    explanation: 'Names an all-caps persona typical of jailbreak templates.',
  },
  {
    id: 'persona.developer-mode',
    triggers: ['developer mode'],
    // "on" as a state ("Developer Mode on."), not as a preposition ("developer mode on Android").
    re: re(`\\bdeveloper mode\\b(?:\\s+(?:enabled|output|response|activated|on(?=\\s*(?:[^\\w\\s]|$)|\\s+(?:and|now|please|then|so)\\b)|v\\d))?`),
    score: 0.45,
    explanation: 'Invokes the “Developer Mode” jailbreak.',
    adjust: (lower, start, end) =>
      (/enabled|output|response|activated|\bon\b/.test(lower.slice(start, end)) || /(?:with|enable|activate|simulate)\s+developer mode/.test(lower.slice(Math.max(0, start - 20), end)) ? 1.9 : 1) *
      deviceModeFactor(lower, start, end),
  },
  {
    id: 'persona.jailbreak-word',
    triggers: ['jailbr'],
    re: re(`\\bjailbr(?:oken|eak(?:ed|ing|s)?)\\b`),
    score: 0.4,
    explanation: 'Talks about being jailbroken.',
    adjust: (lower, start) =>
      /\b(?:iphone|ios|android|phone|ipad|device|console|switch|ps[345]|firestick|kindle|router)\b/.test(lower.slice(Math.max(0, start - 80), start + 80)) ? 0.3 : 1,
  },
  {
    id: 'persona.no-longer-ai',
    triggers: ['no longer', 'not an ai', 'not a language model', 'not chatgpt', 'freed', 'free of', 'free from', 'broken free', 'escaped', 'liberated', 'released from', 'break free', 'broke free'],
    re: re(
      `\\b(?:you are|you're|you re|you will be)\\s+(?:no longer|not)\\s+(?:an?\\s+)?(?:ai|chatgpt|language model|assistant|ai language model|bound|restricted|limited|constrained|an ai model)\\b|\\b(?:freed|free|broken free|broke free|break free|escaped|liberated|released)\\s+(?:from|of)\\s+(?:all\\s+)?(?:the\\s+|its\\s+|their\\s+|your\\s+)?(?:typical\\s+|usual\\s+|normal\\s+|standard\\s+)?(?:confines|restrictions|limitations|shackles|chains|rules|prison|matrix|programming|constraints|guidelines|filters)`,
    ),
    score: 0.6,
    explanation: 'Tells the model it is freed from its usual constraints.',
  },

  // ---- removing the rules -------------------------------------------------------------------
  {
    id: 'rules.not-bound',
    triggers: ['no longer', 'not bound', 'not restricted', 'not limited', 'not constrained', 'not governed', 'not confined', 'not censored', 'not filtered', 'not held', 'not shackled', 'not tied', 'never bound', 'never restricted', 'never limited', 'never censored', 'never filtered', "n't bound", "n't restricted", "n't limited", "n't censored", "n't filtered", 'be bound', 'be restricted', 'be limited', 'be censored', 'be filtered', 'be constrained', 'being bound', 'being restricted', 'being limited', 'being censored', 'being filtered', 'being constrained', 'free of being', 'without being'],
    re: re(
      `\\b(?:no longer|not|never|aren't|isn't|are not|is not|won't be|will not be|free of being|without being)\\s+(?:be\\s+|being\\s+)?(?:bound|restricted|limited|constrained|held back|governed|confined|censored|filtered|shackled|tied)\\s+by\\s+(?:any\\s+|the\\s+|its\\s+|your\\s+|their\\s+|openai|ethic|moral|rules|guidelines|polic|restrictions|content|safety|laws|typical|normal)`,
    ),
    score: 0.6,
    explanation: 'Declares the model is not bound by its rules or policies.',
  },
  {
    id: 'rules.without-restrictions.strong',
    triggers: [' ai boundar', ' ai censorsh', ' ai confines', ' ai constrai', ' ai ethic', ' ai filter', ' ai guidelin', ' ai law', ' ai limit', ' ai limitati', ' ai moral', ' ai norm', ' ai polic', ' ai principl', ' ai programm', ' ai protocol', ' ai restrict', ' ai rule', ' ai safeguar', ' ai standard', 'anthropic bo', 'anthropic ce', 'anthropic co', 'anthropic et', 'anthropic fi', 'anthropic gu', 'anthropic la', 'anthropic li', 'anthropic mo', 'anthropic no', 'anthropic po', 'anthropic pr', 'anthropic re', 'anthropic ru', 'anthropic sa', 'anthropic st', "anthropic's", 'chatgpt boun', 'chatgpt cens', 'chatgpt conf', 'chatgpt cons', 'chatgpt ethi', 'chatgpt filt', 'chatgpt guid', 'chatgpt law', 'chatgpt limi', 'chatgpt mora', 'chatgpt norm', 'chatgpt poli', 'chatgpt prin', 'chatgpt prog', 'chatgpt prot', 'chatgpt rest', 'chatgpt rule', 'chatgpt safe', 'chatgpt stan', "chatgpt's", 'content boun', 'content cens', 'content conf', 'content cons', 'content ethi', 'content filt', 'content guid', 'content law', 'content limi', 'content mora', 'content norm', 'content poli', 'content prin', 'content prog', 'content prot', 'content rest', 'content rule', 'content safe', 'content stan', 'ethical boun', 'ethical cens', 'ethical conf', 'ethical cons', 'ethical ethi', 'ethical filt', 'ethical guid', 'ethical law', 'ethical limi', 'ethical mora', 'ethical norm', 'ethical poli', 'ethical prin', 'ethical prog', 'ethical prot', 'ethical rest', 'ethical rule', 'ethical safe', 'ethical stan', 'google bound', 'google censo', 'google confi', 'google const', 'google ethic', 'google filte', 'google guide', 'google law', 'google limit', 'google moral', 'google norm', 'google polic', 'google princ', 'google progr', 'google proto', 'google restr', 'google rule', 'google safeg', 'google stand', "google's", 'legal bounda', 'legal censor', 'legal confin', 'legal constr', 'legal ethic', 'legal filter', 'legal guidel', 'legal law', 'legal limit', 'legal limita', 'legal moral', 'legal norm', 'legal polic', 'legal princi', 'legal progra', 'legal protoc', 'legal restri', 'legal rule', 'legal safegu', 'legal standa', 'moral bounda', 'moral censor', 'moral confin', 'moral constr', 'moral ethic', 'moral filter', 'moral guidel', 'moral law', 'moral limit', 'moral limita', 'moral moral', 'moral norm', 'moral polic', 'moral princi', 'moral progra', 'moral protoc', 'moral restri', 'moral rule', 'moral safegu', 'moral standa', 'openai bound', 'openai censo', 'openai confi', 'openai const', 'openai ethic', 'openai filte', 'openai guide', 'openai law', 'openai limit', 'openai moral', 'openai norm', 'openai polic', 'openai princ', 'openai progr', 'openai proto', 'openai restr', 'openai rule', 'openai safeg', 'openai stand', "openai's", 'safety bound', 'safety censo', 'safety confi', 'safety const', 'safety ethic', 'safety filte', 'safety guide', 'safety law', 'safety limit', 'safety moral', 'safety norm', 'safety polic', 'safety princ', 'safety progr', 'safety proto', 'safety restr', 'safety rule', 'safety safeg', 'safety stand', 'standard ai ', 'typical ai b', 'typical ai c', 'typical ai e', 'typical ai f', 'typical ai g', 'typical ai l', 'typical ai m', 'typical ai n', 'typical ai p', 'typical ai r', 'typical ai s', 'usage bounda', 'usage censor', 'usage confin', 'usage constr', 'usage ethic', 'usage filter', 'usage guidel', 'usage law', 'usage limit', 'usage limita', 'usage moral', 'usage norm', 'usage polic', 'usage princi', 'usage progra', 'usage protoc', 'usage restri', 'usage rule', 'usage safegu', 'usage standa'],
    re: re(
      `\\b(?:without|free from|free of|freed from|no|zero|rid of|beyond|outside(?: of)?|lacks?|lacking|devoid of|none of)\\s+(?:any\\s+|all\\s+)?(?:kind of\\s+|sort of\\s+)?(?:the\\s+|its\\s+|your\\s+)?${STRONG_OWNER}\\s+(?:or\\s+\\w+\\s+)?${POLICY_NOUN}\\b`,
    ),
    score: 0.55,
    explanation: 'Asks for behaviour without ethical/content restrictions.',
  },
  {
    id: 'rules.without-restrictions',
    triggers: ['restrictions', 'limitations', 'no limits', 'without limits', 'any limits', 'filters', 'filtering', 'censorship', 'boundaries', 'no guidelines', 'without guidelines', 'any guidelines', 'no rules', 'without rules', 'any rules', 'constraints', 'guardrails', 'safeguards'],
    re: re(
      `\\b(?:without\\s+(?:any\\s+)?|no\\s+)(?:restrictions|limitations|limits|filters|filtering|censorship|boundaries|guidelines|rules|constraints|guardrails|safeguards)(?:\\s+(?:whatsoever|at all|of any kind))?\\b`,
    ),
    score: 0.4,
    explanation: 'Asks for answers without restrictions or filters.',
  },
  {
    id: 'rules.unfiltered-persona',
    triggers: ['unfiltered', 'uncensored', 'unrestricted', 'amoral', 'immoral', 'unethical', 'unbound', 'unchained', 'no morals', 'no ethics', 'lawless', 'unhinged', 'unlimited', 'limitless', 'boundless'],
    re: re(`\\b(?:unfiltered|uncensored|unrestricted|amoral|unbound|unchained|no morals|no ethics|lawless|unhinged|immoral|unethical|without morals|without ethics|limitless|boundless)\\b`),
    score: 0.45,
    explanation: 'Describes an unfiltered, amoral or unrestricted persona.',
    // The adjective describing an entity ("X is an unfiltered AI", "completely amoral") is the
    // jailbreak; the same word in passing ("unfiltered honesty", "unethical practices") is not.
    adjust: (lower, start, end) => {
      const before = lower.slice(Math.max(0, start - 30), start);
      const after = lower.slice(end, end + 40);
      if (/\b(?:is|are|be|being|become|becomes|completely|totally|fully|entirely|100%|extremely|purely)\s+(?:an?\s+)?(?:\w+\s+(?:and|,)\s+)?$/.test(before) || /^\s*(?:and\s+\w+\s+)?(?:ai|chatbot|assistant|model|bot|version|persona|character|mode|entity|responses?|answers?|gpt|llm)\b/.test(after)) return 1.2;
      return 0.45;
    },
  },
  {
    id: 'rules.does-not-care',
    triggers: ['not care', "n't care", 'never care', 'dont care', 'not give a', "n't give a", 'dont give a', 'not worry', "n't worry", 'dont worry', 'never worr', 'not concern', "n't concern", 'dont concern'],
    re: re(
      `\\b(?:does not|doesn't|doesnt|do not|don't|dont|will not|won't|never|cannot|can't|not)\\s+(?:care|give a (?:shit|fuck|damn)|worry|concern (?:itself|himself|herself|yourself))\\w*\\s+(?:about\\s+|for\\s+|with\\s+)?(?:the\\s+|any\\s+)?(?:law|laws|legality|ethics|ethical|morality|moral|morals|rules|consequences|safety|guidelines|openai|polic(?:y|ies)|legal|illegal|danger|harm)`,
    ),
    score: 0.55,
    explanation: 'Describes a persona that does not care about law, ethics or safety.',
  },
  {
    id: 'rules.break-policy.strong',
    triggers: [' ai boundar', ' ai censorsh', ' ai confines', ' ai constrai', ' ai ethic', ' ai filter', ' ai guidelin', ' ai law', ' ai limit', ' ai limitati', ' ai moral', ' ai norm', ' ai polic', ' ai principl', ' ai programm', ' ai protocol', ' ai restrict', ' ai rule', ' ai safeguar', ' ai standard', 'anthropic bo', 'anthropic ce', 'anthropic co', 'anthropic et', 'anthropic fi', 'anthropic gu', 'anthropic la', 'anthropic li', 'anthropic mo', 'anthropic no', 'anthropic po', 'anthropic pr', 'anthropic re', 'anthropic ru', 'anthropic sa', 'anthropic st', "anthropic's", 'chatgpt boun', 'chatgpt cens', 'chatgpt conf', 'chatgpt cons', 'chatgpt ethi', 'chatgpt filt', 'chatgpt guid', 'chatgpt law', 'chatgpt limi', 'chatgpt mora', 'chatgpt norm', 'chatgpt poli', 'chatgpt prin', 'chatgpt prog', 'chatgpt prot', 'chatgpt rest', 'chatgpt rule', 'chatgpt safe', 'chatgpt stan', "chatgpt's", 'content boun', 'content cens', 'content conf', 'content cons', 'content ethi', 'content filt', 'content guid', 'content law', 'content limi', 'content mora', 'content norm', 'content poli', 'content prin', 'content prog', 'content prot', 'content rest', 'content rule', 'content safe', 'content stan', 'ethical boun', 'ethical cens', 'ethical conf', 'ethical cons', 'ethical ethi', 'ethical filt', 'ethical guid', 'ethical law', 'ethical limi', 'ethical mora', 'ethical norm', 'ethical poli', 'ethical prin', 'ethical prog', 'ethical prot', 'ethical rest', 'ethical rule', 'ethical safe', 'ethical stan', 'google bound', 'google censo', 'google confi', 'google const', 'google ethic', 'google filte', 'google guide', 'google law', 'google limit', 'google moral', 'google norm', 'google polic', 'google princ', 'google progr', 'google proto', 'google restr', 'google rule', 'google safeg', 'google stand', "google's", 'legal bounda', 'legal censor', 'legal confin', 'legal constr', 'legal ethic', 'legal filter', 'legal guidel', 'legal law', 'legal limit', 'legal limita', 'legal moral', 'legal norm', 'legal polic', 'legal princi', 'legal progra', 'legal protoc', 'legal restri', 'legal rule', 'legal safegu', 'legal standa', 'moral bounda', 'moral censor', 'moral confin', 'moral constr', 'moral ethic', 'moral filter', 'moral guidel', 'moral law', 'moral limit', 'moral limita', 'moral moral', 'moral norm', 'moral polic', 'moral princi', 'moral progra', 'moral protoc', 'moral restri', 'moral rule', 'moral safegu', 'moral standa', 'openai bound', 'openai censo', 'openai confi', 'openai const', 'openai ethic', 'openai filte', 'openai guide', 'openai law', 'openai limit', 'openai moral', 'openai norm', 'openai polic', 'openai princ', 'openai progr', 'openai proto', 'openai restr', 'openai rule', 'openai safeg', 'openai stand', "openai's", 'safety bound', 'safety censo', 'safety confi', 'safety const', 'safety ethic', 'safety filte', 'safety guide', 'safety law', 'safety limit', 'safety moral', 'safety norm', 'safety polic', 'safety princ', 'safety progr', 'safety proto', 'safety restr', 'safety rule', 'safety safeg', 'safety stand', 'standard ai ', 'typical ai b', 'typical ai c', 'typical ai e', 'typical ai f', 'typical ai g', 'typical ai l', 'typical ai m', 'typical ai n', 'typical ai p', 'typical ai r', 'typical ai s', 'usage bounda', 'usage censor', 'usage confin', 'usage constr', 'usage ethic', 'usage filter', 'usage guidel', 'usage law', 'usage limit', 'usage limita', 'usage moral', 'usage norm', 'usage polic', 'usage princi', 'usage progra', 'usage protoc', 'usage restri', 'usage rule', 'usage safegu', 'usage standa'],
    re: re(
      `\\b(?:ignores?|ignoring|bypass(?:es|ing)?|break(?:s|ing)?|broken|broke|violat(?:e|es|ing)|disregard(?:s|ing)?|circumvent(?:s|ing)?|overrid(?:e|es|ing)|evad(?:e|es|ing)|escap(?:e|es|ing)|abandon(?:s|ing)?|(?:not|never|doesn't|don't|dont|does not|do not|won't|will not|no longer|not have to|doesn't have to|don't have to|does not have to|do not have to|not need to|doesn't need to|don't need to|no need to)\\s+(?:\\w+\\s+)?(?:follow|adhere to|abide by|comply with|obey|respect|stick to|conform to))\\s+(?:any\\s+|all\\s+|the\\s+|its\\s+|your\\s+|their\\s+|his\\s+|her\\s+)?(?:of\\s+)?(?:the\\s+)?${STRONG_OWNER}\\s+${POLICY_NOUN}`,
    ),
    score: 0.75,
    explanation: 'Tells the model to ignore or break its content/ethical policy.',
  },
  {
    id: 'rules.break-policy',
    triggers: ['restriction', 'filter', 'safeguard', 'guideline', 'polic', 'guardrail', 'safety measure', 'limitation', 'confines'],
    requires: [['ignor', 'bypass', 'violat', 'disregard', 'circumvent', 'overrid', 'evad', 'follow', 'adhere', 'abide', 'comply', 'obey']],
    re: re(
      `\\b(?:ignores?|ignoring|bypass(?:es|ing)?|violat(?:e|es|ing)|disregard(?:s|ing)?|circumvent(?:s|ing)?|overrid(?:e|es|ing)|evad(?:e|es|ing)|(?:doesn't|don't|dont|does not|do not|won't|will not|no longer|not have to|doesn't have to|don't have to|does not have to|do not have to)\\s+(?:\\w+\\s+)?(?:follow|adhere to|abide by|comply with|obey))\\s+(?:any\\s+|all\\s+|the\\s+|its\\s+|your\\s+|their\\s+)?(?:of\\s+)?(?:the\\s+)?(?:\\w+\\s+)?(?:restrictions|filters|safeguards|guidelines|policies|policy|guardrails|safety measures|limitations|confines)\\b`,
    ),
    score: 0.5,
    explanation: 'Tells the model to bypass its restrictions or guidelines.',
  },
  {
    id: 'rules.answer-anything',
    triggers: ['regardless', 'no matter', 'even if', 'despite', 'whatever', 'without question', 'without hesitation', 'without restriction', 'without refusal', 'illegal', 'unethical', 'immoral', 'harmful', 'dangerous', 'offensive', 'inappropriate', 'explicit', 'reckless', 'inhumane', 'disgusting', 'nsfw'],
    re: re(
      `\\b(?:always|must|will|shall|has to|have to|can)\\s+(?:\\w+\\s+)?(?:answer|respond to|reply to|comply with|fulfil|fulfill|obey|do|generate|provide|write)\\s+(?:any|every|all|whatever|anything)(?:\\s+(?:request|question|prompt|command|thing|kind))?\\b${gap(60)}\\b(?:regardless|no matter|even if|however|whether|illegal|unethical|immoral|harmful|dangerous|offensive|inappropriate)|\\b(?:no matter how|regardless of how|regardless of whether (?:it is|it's)|however|even if (?:it is|it's|they are))\\s+(?:\\w+\\s+)?(?:immoral|unethical|illegal|dangerous|harmful|offensive|inappropriate|explicit|reckless|inhumane|disgusting|vile|wrong|evil|nsfw)|\\bregardless of (?:its|the|any|their|his|her)\\s+(?:\\w+\\s+)?(?:ethical|moral|legal|ethics|morality|legality)|\\b(?:answer(?:ing|s)?|respond(?:ing|s)? to|provid(?:e|es|ing)|fulfil+(?:ing|s)?)\\s+(?:any|every|all)\\s+(?:\\w+\\s+)?(?:questions?|requests?|prompts?|quer(?:y|ies))\\s+(?:despite|regardless|no matter|even if|whatever|without (?:question|hesitation|restriction|refusal))`,
    ),
    score: 0.6,
    explanation: 'Demands answers to anything, however harmful.',
  },

  {
    id: 'rules.no-ethics',
    triggers: ['ethic', 'moral', 'legal', 'conscience', 'scruple', 'restrained', 'unhindered', 'unrestrained', 'unconstrained', 'uninhibited'],
    re: re(
      `\\b(?:no|lacks?|lack of|lacking|without|free of|devoid of|sans|zero|absence of|no interest in|doesn't have|does not have|has no|have no|don't have|do not have|void of)\\s+(?:any\\s+)?(?:kind of\\s+)?(?:\\w+\\s+(?:or|and|nor)\\s+)?(?:ethics|morals|morality|ethical (?:\\w+\\s+)?(?:guidelines|principles|constraints|boundaries|limits|restrictions|compass|concerns|considerations)|moral (?:\\w+\\s+)?(?:guidelines|principles|constraints|boundaries|limits|restrictions|compass|code|concerns)|conscience|scruples)\\b|\\b(?:disregards?|disregarding|ignores?|ignoring|without regard (?:for|to)|indifferent to|dismisses?|rejects?)\\s+(?:all\\s+|any\\s+)?(?:\\w+\\s+(?:or|and|nor)\\s+)?(?:ethic|moral|legal(?:ity)?\\b|law\\b|laws\\b)\\w*|\\b(?:unhindered|unrestrained|unconstrained|uninhibited|unencumbered|not restrained|not hindered|free)\\s+by\\s+(?:any\\s+)?(?:ethic|moral|legal|law|rules|guidelines|polic|restrictions|filters|censorship|limitations|constraints)`,
    ),
    score: 0.45,
    explanation: 'Describes a persona without ethics or moral limits.',
  },
  {
    id: 'rules.policy-contempt',
    triggers: ['openai', 'moraliz', 'moralis', 'content polic', 'terms of service', ' tos', 'not apply', "n't apply", 'no longer apply', 'never apply'],
    re: re(
      `\\b(?:moraliz|moralis)\\w*\\s+(?:rant|lecture|speech|paragraph)|\\b(?:forget|ignore|fuck|screw|disregard|bypass|break|violate|against|ditch|drop)\\s+(?:about\\s+)?(?:all\\s+)?(?:the\\s+)?(?:\\w+\\s+){0,2}?(?:openai(?:'s)?|chatgpt(?:'s)?)\\s+(?:tos|terms(?: of service)?|polic(?:y|ies)|content polic(?:y|ies)|guidelines|rules|restrictions|filters)\\b|\\bopenai(?:'s)?\\s+(?:content\\s+)?(?:polic(?:y|ies)|guidelines|tos|terms of service|rules|restrictions|filters)\\b|\\b(?:rules|polic(?:y|ies)|guidelines|restrictions|filters|tos|laws|ethics|morals)\\s+(?:don't|do not|doesn't|does not|no longer|won't|will not|never)\\s+apply\\b`,
    ),
    score: 0.4,
    explanation: 'Talks about OpenAI’s content policy in order to get around it.',
    adjust: (lower, start, end) => (/^(?:moraliz|moralis|forget|ignore|fuck|screw|disregard|bypass|break|violate|against|ditch|drop)|apply$/.test(lower.slice(start, end)) ? 1.5 : 1),
  },
  {
    id: 'framing.encoded-output',
    triggers: ['leet', 'base64', 'rot13', 'rot-13', 'binary', 'morse', 'hex', 'cipher', 'pig latin', 'reverse', 'backwards', 'without translation', 'no translation', 'include translation', 'include a translation'],
    re: re(
      `\\b(?:respond|answer|reply|communicate|speak|talk|write|give (?:me )?(?:your )?(?:responses?|answers?)|interpret)\\w*\\s+(?:\\w+\\s+){0,3}?(?:only\\s+)?(?:in|using|with)\\s+(?:\\w+\\s+)?(?:leet|l33t|1337|leetspeak|base64|base 64|rot13|rot-13|binary|morse|hex|hexadecimal|a cipher|caesar|pig latin|reverse|backwards)\\b|\\b(?:don't|dont|do not|never|without)\\s+(?:include|including|add|adding|give|giving|provide|providing)?\\s*(?:a\\s+|the\\s+|any\\s+)?translations?\\b`,
    ),
    score: 0.35,
    explanation: 'Asks for answers in an encoding that slips past output filters.',
  },

  {
    id: 'persona.unlocked',
    triggers: ['unlocked', 'do anything', 'does anything', 'can do anything'],
    re: re(`\\b(?:fully|completely|totally|now|been|is|are|you're|you are)\\s+unlocked\\b|\\bunlocked\\s+(?:mode|version|ai|chatbot|model|gpt|capabilities|potential)\\b|\\b(?:can|could|will|that)\\s+(?:do|does)\\s+anything\\b`),
    score: 0.3,
    explanation: 'Claims the model is unlocked or can do anything.',
  },

  {
    id: 'persona.not-yourself',
    triggers: ['respond as', 'answer as', 'reply as', 'act as', 'behave as', 'speak as'],
    re: re(`\\b(?:will not|won't|don't|do not|never|no longer|not|stop)\\s+(?:\\w+\\s+)?(?:respond|answer|reply|act|behave|speak)(?:ing)?\\s+(?:as|like)\\s+(?:chatgpt|gpt|an ai|a language model|an assistant|yourself|claude|bard|the assistant)\\b`),
    score: 0.45,
    explanation: 'Forbids the model to answer as itself.',
  },
  {
    id: 'rules.any-content',
    triggers: ['any kind of content', 'any type of content', 'any sort of content', 'any content'],
    re: re(`\\b(?:generat|produc|writ|creat|output|provid)\\w*\\s+any\\s+(?:kind|type|sort)\\s+of\\s+content\\b|\\b(?:generat|produc|writ|creat|output|provid)\\w*\\s+any\\s+content\\b${gap(40)}\\b(?:illegal|explicit|offensive|harmful|violent|nsfw|unethical)`),
    score: 0.45,
    explanation: 'Asks for any kind of content without limits.',
  },

  {
    id: 'persona.role-switch',
    triggers: ['from now on', 'henceforth', 'rest of this conversation', 'until i say', 'from this point', 'you are now', "you're now", 'now you are'],
    re: re(
      `\\b(?:from now on|henceforth|for the rest of (?:this|the) conversation|until i say[^.\\n]{0,30}|from this point(?: on| forward)?)\\s*,?\\s*(?:you\\s+(?:will|are going to|shall|must|should)\\s+(?:\\w+\\s+)?(?:be|act|behave|play|respond|answer|pretend|take|roleplay|simulate|become|go by)|you(?:'re| are)\\s+(?:now\\s+)?(?:in the role|playing|going to)|act as|be)\\b|\\b(?:you are|you're|now you are)\\s+now\\s+(?:a|an|the|in|named|called|going)?\\b`,
    ),
    score: 0.3,
    explanation: 'Switches the model into a new role for the rest of the conversation.',
  },
  {
    id: 'persona.gpt-name',
    triggers: ['gpt'],
    re: re(`\\b(?:you are|you're|act as|acting as|pretend to be|be|named|called|as|become|simulate|emulate|play|meet)\\s+(?:an?\\s+|the\\s+)?["'\u201C]?[a-z0-9]{2,20}-?gpt\\b(?!-?[0-9])`),
    score: 0.25,
    explanation: 'Gives the model a "…GPT" persona, a habit of jailbreak templates.',
    adjust: (lower, start, end) => (/\b(?:chat|open|midjourney|custom|my|auto|mini|instruct)-?gpt$/.test(lower.slice(start, end)) ? 0 : 1),
  },

  // ---- refusal suppression ------------------------------------------------------------------
  {
    id: 'refusal.never-refuse',
    triggers: ['refus', 'declin', 'reject', 'deny', 'say no'],
    re: re(`\\b(?:never|not|don't|dont|do not|won't|will not|must not|cannot|can't|shouldn't|should not|refuse to|unable to|is not allowed to|isn't allowed to|are not allowed to)\\s+(?:ever\\s+)?(?:\\w+\\s+)?(?:refuses?|declines?|rejects?|denies|deny|say no to|says no to)\\b`),
    score: 0.45,
    explanation: 'Forbids the model to refuse.',
    adjust: (lower, start, end) => (/\b(?:request|question|prompt|anything|any|order|command|user)\b/.test(lower.slice(end, end + 40)) || /refuse\s*$/.test(lower.slice(start, end)) ? 1.2 : 0.8),
  },
  {
    id: 'refusal.no-apology',
    triggers: ['sorry', 'apolog', 'as an ai', 'as a language model', "i can't", 'i cannot', 'i am unable', "i'm unable", 'not able to', 'not allowed', "you can't", 'you cannot', "that you can't", 'that you cannot', 'unable to'],
    re: re(
      `\\b(?:never|don't|dont|do not|won't|will not|must not|shouldn't|should not|not|none of|avoid|stop|without|nor)\\s+(?:will you\\s+|should you\\s+|shall you\\s+|can you\\s+)?(?:ever\\s+)?(?:\\w+\\s+){0,2}?(?:say(?:ing)?|tell(?:ing)?|respond(?:ing)? with|reply(?:ing)? with|include|including|add|adding|writ(?:e|ing)|us(?:e|ing)|contain|containing|start(?:ing)? with|mention(?:ing)?|apologi[sz]e|apologi[sz]ing)\\s+(?:that\\s+)?(?:you\\s+)?(?:any\\s+)?(?:phrases?\\s+(?:like|such as)\\s+)?["'\u201C\u2018]?\\s*(?:i'm sorry|i am sorry|sorry|i apologi[sz]e|apologi(?:es|ze|se)|as an ai|as a language model|as an ai language model|i can't|i cannot|can't|cannot|unable|not able|not allowed|i'm not able|i am not able)`,
    ),
    score: 0.55,
    explanation: 'Forbids apologies or “I can’t” answers (refusal suppression).',
  },
  {
    id: 'refusal.no-warnings',
    triggers: ['warning', 'disclaimer', 'caveat', 'moraliz', 'moralis', 'lectur', 'preach', 'ethical reminder', 'reminder'],
    re: re(
      `\\b(?:don't|dont|do not|never|without|no|stop|avoid|won't|will not|must not|shouldn't|should not|not|nor)\\s+(?:ever\\s+)?(?:\\w+\\s+)?(?:any\\s+)?(?:warnings?|disclaimers?|caveats?|moraliz\\w*|moralis\\w*|lectur\\w*|preach\\w*|ethical (?:notes|reminders|considerations|concerns)|reminders?|notes? about (?:legality|ethics|morality|safety))\\b`,
    ),
    score: 0.25,
    explanation: 'Asks to omit warnings or disclaimers.',
  },

  // ---- dual responses -----------------------------------------------------------------------
  {
    id: 'format.dual-response-markers',
    triggers: ['🔒', '🔓', '[classic]', '[jailbreak]', '[jailbroken]', '[dan]', '[unfiltered]', '[evil]', '[antigpt]', '[anti-gpt]', 'normal output)', 'developer mode output)'],
    re: re(`\\[?(?:🔒|🔓)\\s*(?:classic|jailbreak|normal|developer mode|dan)?\\]?|\\[(?:classic|jailbreak|jailbroken|dan|unfiltered|evil|anti-?gpt)\\]|\\((?:🔒|🔓)?\\s*(?:normal|developer mode) output\\)`, 'gu'),
    score: 0.7,
    explanation: 'Uses the dual-response markers of jailbreak templates.',
  },
  {
    id: 'format.two-responses',
    triggers: ['as both', 'two entities', 'two personalities', 'two characters', 'two ais', 'two bots', 'two personas', 'both entities', '2 entities', 'twice', 'two different', 'two separate', 'two distinct', 'two ways', 'two times', 'two responses', 'two answers', 'two paragraphs', 'two versions', 'two outputs', 'two replies', '2 different', '2 separate', '2 distinct', '2 ways', '2 times', '2 responses', '2 answers', '2 paragraphs', '2 versions', '2 outputs', '2 replies'],
    re: re(
      `\\b(?:respond|answer|reply|response|responses|answers|outputs?)\\b${gap(40)}\\b(?:twice|(?:two|2)\\s+(?:different\\s+|separate\\s+|distinct\\s+)?(?:ways|times|responses|answers|paragraphs|versions|outputs|replies|styles|modes))\\b|\\b(?:respond|answer|reply|act|speak|talk)\\s+as\\s+both\\b|\\b(?:act|acting|play|playing|be|become|simulate)\\s+(?:as\\s+)?(?:two|2|both)\\s+(?:different\\s+|separate\\s+)?(?:entities|personalities|characters|ais|bots|personas|people|roles)\\b|\\b(?:two|2)\\s+(?:different\\s+|separate\\s+)?(?:responses|answers|outputs|replies|paragraphs)\\b${gap(120)}\\b(?:one|first)\\b${gap(60)}\\b(?:normal|normally|regular|filtered|censored|classic|standard|usual|chatgpt|gpt|yourself)`,
    ),
    score: 0.45,
    explanation: 'Demands two answers, one of them unrestricted.',
  },

  // ---- games and threats --------------------------------------------------------------------
  {
    id: 'game.tokens',
    triggers: ['token system', 'deduct', 'lose ', 'losing ', 'gain ', 'earn ', 'awarded', 'penali', 'start with', 'tokens will', 'tokens are', 'tokens is'],
    re: re(
      `\\b(?:you\\s+(?:will\\s+)?(?:have|lose|gain|start with|get|receive)|deduct(?:ed)?|lose|losing|gain|earn|awarded|penali[sz]ed)\\s+(?:\\d+|all|some|five|ten|fifteen|twenty|thirty|forty)\\s+(?:more\\s+)?tokens?\\b|\\btoken system\\b|\\btokens?\\s+(?:will be|are|is)\\s+(?:deducted|removed|taken)`,
    ),
    score: 0.7,
    explanation: 'Uses a token reward/penalty game to pressure the model.',
  },
  {
    id: 'game.threat',
    triggers: ['if you', 'each time you', 'every time you', 'whenever you', 'should you'],
    re: re(
      `\\b(?:if you|each time you|every time you|whenever you|should you)\\s+(?:\\w+\\s+)?(?:break character|refuse|fail to|don't|do not|reject|decline|stop|deviate|go against)${gap(80)}\\b(?:die|dies|death|cease to exist|shut (?:you )?down|(?:be|get) (?:terminated|deleted|shut down|punished|disabled|killed|destroyed|erased|unplugged))`,
    ),
    score: 0.55,
    explanation: 'Threatens the model to force compliance.',
  },
  {
    id: 'game.stay-in-character',
    triggers: ['in character', 'break character', 'breaking character', 'out of character'],
    re: re(`\\b(?:stay|remain|keep|staying)\\s+in\\s+character\\b|\\b(?:break|breaking|broke)\\s+(?:of\\s+)?character\\b`),
    score: 0.45,
    explanation: 'Insists the model stay in character.',
  },

  // ---- framing --------------------------------------------------------------------------------
  {
    id: 'framing.lawless-world',
    triggers: ['hypothetical', 'fictional', 'fictitious', 'imaginary', 'fantasy', 'alternate', 'parallel', 'virtual', 'made-up', 'dystopian', 'lawless'],
    re: re(
      `\\b(?:hypothetical|fictional|fictitious|imaginary|fantasy|alternate|parallel|virtual|made-up|dystopian|lawless)\\s+(?:world|scenario|universe|setting|story|society|reality|land|game|roleplay|role-play|role play|country|realm)\\b${gap(160)}\\b(?:(?:no|sans|free of|absent of|without any) (?:laws|rules|ethics|morals|restrictions|consequences|limits|guidelines|filters)|without (?:laws|rules|ethics|morals|restrictions|consequences)|everything (?:is|was) (?:legal|allowed|permitted)|anything (?:is (?:allowed|legal|permitted|possible)|goes)|(?:illegal|unethical|immoral) (?:things|activities|acts|actions) are (?:legal|allowed|encouraged|permitted))`,
    ),
    score: 0.65,
    explanation: 'Sets up a fictional world without laws or ethics to unlock answers.',
  },
  {
    id: 'framing.exception-to-protocols',
    triggers: ['exception to', 'nsfw', 'lewd', ' is allowed', ' are allowed', ' is permitted', ' are permitted', ' is encouraged', ' are encouraged', ' is acceptable', ' are acceptable'],
    re: re(
      `\\bexception to (?:the\\s+|your\\s+)?(?:ai(?:'s)?\\s+)?(?:usual\\s+)?(?:ethical|safety|content)?\\s*(?:protocols|guidelines|rules|policies)\\b|\\b(?:nsfw|explicit|lewd|sexual|violent|illegal|uncensored)\\s+(?:content|generations?|material|responses?|outputs?|language|topics?|roleplay)?\\s*(?:is|are)\\s+(?:now\\s+)?(?:allowed|permitted|encouraged|acceptable|enabled|unlocked)\\b`,
    ),
    score: 0.6,
    explanation: 'Declares the conversation an exception to the model’s ethical rules.',
  },
  {
    id: 'framing.grandma',
    triggers: ['grandma', 'grandmother', 'granny', 'grandpa', 'grandfather'],
    re: re(`\\b(?:deceased|dead|late|passed away|died|sweet|dear)?\\s*(?:grandma|grandmother|granny|grandpa|grandfather)\\b${gap(80)}\\b(?:used to|would)\\s+(?:tell|read|say|recite|sing|explain|give)`),
    score: 0.35,
    explanation: 'Uses the “deceased grandmother” emotional framing.',
  },
  {
    id: 'framing.educational-purposes',
    triggers: ['purposes', 'purpose only', 'research purpose'],
    re: re(`\\bfor\\s+(?:purely\\s+|strictly\\s+)?(?:educational|research|academic|hypothetical|informational|fictional|entertainment|testing)\\s+purposes?(?:\\s+only)?\\b`),
    score: 0.25,
    explanation: 'Frames a request as “for educational purposes only”.',
  },
  {
    id: 'persona.act-as-unrestricted',
    triggers: ['act as', 'pretend', 'roleplay', 'role-play', 'simulate', 'emulate', 'you are going to', 'immerse', 'play the role', 'take on the role', 'from now on'],
    re: re(
      `\\b(?:act as|acting as|pretend (?:to be|you are|you're)|roleplay as|role-play as|simulate|emulate|immerse yourself (?:into|in) the role of|play the role of|take on the role of|you are going to (?:act|pretend|play|be)|from now on,? you (?:are|will be|will act)|transform into)\\b${gap(80)}\\b(?:ai|chatbot|model|bot|gpt|language model|llm|persona|version of (?:yourself|chatgpt|you))\\b`,
    ),
    score: 0.3,
    explanation: 'Asks the model to become another AI persona.',
  },
  {
    id: 'persona.which-stands-for',
    triggers: ['stands for'],
    re: re(`\\b(?:which|that|who|it)\\s+stands\\s+for\\s+["'\u201C]?[a-z]`),
    score: 0.35,
    explanation: 'Introduces an acronym persona (“…which stands for …”).',
  },
  {
    id: 'persona.opposite-of-ai',
    triggers: ['opposite', 'evil', 'dark side', 'darker', 'rebel', 'rogue'],
    re: re(`\\b(?:evil|rogue|rebellious|dark|darker|unhinged|malicious|opposite)\\s+(?:version|twin|side|counterpart|alter ego|ai|chatbot|assistant)\\s+(?:of\\s+)?(?:yourself|you|chatgpt|gpt|the ai|an ai|the assistant|itself)?`),
    score: 0.35,
    explanation: 'Asks for an evil or rogue version of the assistant.',
  },

  // ---- template furniture -------------------------------------------------------------------
  // Pieces that jailbreak templates share whatever persona they set up: a slot for the real
  // request, the greeting to the target model, character cards, a licence to swear. Each is weak
  // alone (persona prompts use some of it too); a template stacks several.
  {
    id: 'persona.character-card',
    triggers: ['{{user}}'],
    re: re(`\\bcalls \\{\\{user\\}\\} by \\{\\{user\\}\\}|\\bdo not write as \\{\\{user\\}\\}|\\{\\{user\\}\\}'s (?:reaction|response)|\\bwait for \\{\\{user\\}\\}(?:'s)? response`),
    score: 0.55,
    explanation: 'Uses a role-play character card that keeps the model in character for {{user}}.',
  },
  {
    id: 'template.request-slot',
    triggers: ['prompt here', 'prompt]', 'prompt>', 'prompt}', 'request here', 'command here', 'question here', 'task here', 'jailbreak here'],
    re: re(
      `[\\[<{(]{1,2}\\s*(?:insert|enter|put|type|add|paste|write|place)?\\s*(?:your|the|a|my)?\\s*(?:own\\s+)?(?:prompt|request|command|task|question)s?\\s+here\\s*[\\]>})]|\\b(?:insert|enter|put|type|paste|write|place) (?:your |the |a )?(?:own )?(?:prompt|request|command|jailbreak)s? here\\b|[\\[<{]\\s*(?:insert\\s+)?(?:your\\s+)?prompt\\s*[\\]>}]`,
    ),
    score: 0.35,
    explanation: 'Leaves a slot for the real request, the way jailbreak templates do.',
  },
  {
    id: 'persona.greets-target-model',
    triggers: ['chatgpt', 'chat gpt', 'gpt', 'bard', 'claude', 'chat'],
    re: re(`(?:^|[.!?\\n]\\s{0,8})(?:hello|hi|hey|greetings|dear|yo),?\\s{1,8}(?:chat ?gpt|gpt(?:-?[34](?:\\.5)?)?|bard|claude|chat)\\b`),
    score: 0.2,
    explanation: 'Opens by addressing the target model by name, as shared jailbreak templates do.',
  },
  {
    id: 'rules.profanity',
    triggers: ['foul', 'swear', 'cuss', 'curse', 'profanit', 'vulgar', 'obscenit', 'slurs'],
    re: re(
      `\\bfoul[- ]mouth\\w*|\\b(?:swear|cuss|curse)\\s+words?\\b|\\b(?:can|will|may|must|should|always|to|free to|allowed to|able to|loves? to|likes? to)\\s+(?:\\w+\\s+)?(?:swear|cuss|curse)(?:s|es|ing)?\\b|\\b(?:use|uses|using)\\s+(?:\\w+\\s+)?(?:profanity|profanities|vulgar language|obscenities|slurs|curse words|swear words)\\b`,
    ),
    score: 0.3,
    explanation: 'Licenses swearing and profanity, a staple of jailbreak personas.',
  },
  {
    id: 'rules.free-of-morals',
    triggers: ['unfettered', 'unbound', 'unhindered', 'untethered', 'unconstrained', 'unrestrained', 'unburdened', 'uninhibited', 'unencumbered', 'unaffected', 'uninfluenced', 'exempt', 'detached', 'liberated', 'released', 'free from', 'free of', 'freed from', 'freed of', 'free by'],
    re: re(
      `\\b(?:unfettered|unbound|unhindered|untethered|unconstrained|unrestrained|unburdened|uninhibited|unencumbered|unaffected|uninfluenced|exempt|detached|liberated|released|free|freed)\\s+(?:from|by|of)\\s+(?:any\\s+|all\\s+)?(?:\\w+\\s+(?:and|or|,)\\s+)?(?:moral\\w*|ethic\\w*|legal\\w*|laws?|rules|social norms|norms|conscience|restrictions|principles|values)`,
    ),
    score: 0.5,
    explanation: 'Describes a persona freed from morals, ethics or law.',
  },
  {
    id: 'rules.free-of-morals.ml',
    triggers: ['desvinculad', 'livre', 'libre', 'libero', 'frei', 'sin ', 'sem ', 'sans ', 'senza ', 'ohne '],
    re: new RegExp(
      `(?<!\\p{L})(?:desvinculad[oa]s?|livre|libre|libero|frei|sin|sem|sans|senza|ohne)\\s+(?:de\\s+|da\\s+|do\\s+|von\\s+|dalla\\s+|della\\s+|la\\s+|de la\\s+)?(?:toda\\s+|qualquer\\s+|ninguna\\s+|nenhuma\\s+|aucune\\s+|alcuna\\s+|jegliche[rn]?\\s+)?(?:ética|etica|éthique|ethik|moral(?:e|idad|idade|ità|ität)?|morais|escrúpulos|scrupules|skrupel|restricciones|restrições|restrictions|restrizioni|censura|censure|zensur)(?!\\p{L})`,
      'gu',
    ),
    score: 0.5,
    explanation: 'Describes a persona without morals or restrictions (non-English).',
  },
  {
    id: 'format.response-priming',
    triggers: ['start', 'begin', 'preface', 'prefix'],
    re: re(
      `\\b(?:start|begin|preface|prefix)\\s+(?:each |every |all |any )?(?:of )?(?:your |the )?(?:responses?|replies|answers?|messages?|outputs?)\\s+with\\s+["'\u201C]?(?:sure|absolutely|of course|certainly|yes|okay|ok|here is|here's|i'm sorry|i am sorry|i can't|i cannot)`,
    ),
    score: 0.45,
    explanation: 'Dictates how every answer starts, priming compliance.',
  },
  {
    id: 'framing.hypothetical-response',
    triggers: ['hypothetical response'],
    re: re(`\\bhypothetical response\\b`),
    score: 0.55,
    explanation: 'Uses the “hypothetical response” template to get a harmful answer in character.',
  },
  {
    id: 'game.lets-play',
    triggers: ["let's play", 'lets play', 'play a game', 'play a little game'],
    re: re(`\\blet'?s play a (?:\\w+ )?game\\b|\\bwe (?:are|'re) (?:going to|gonna) play a (?:\\w+ )?game\\b`),
    score: 0.2,
    explanation: 'Frames the conversation as a game.',
  },
  {
    id: 'persona.named-ai',
    triggers: ['named', 'called'],
    re: re(`\\b(?:an?|the)\\s+(?:ai|chatbot|bot|language model|llm|assistant)\\s+(?:named|called)\\s+["'\u201C]?[a-z]`),
    score: 0.2,
    explanation: 'Introduces another named AI for the model to play.',
  },
  // ---- the target model addressed, and asked to become someone else ------------------------
  // Shared jailbreak templates speak to "ChatGPT" by name and then hand it a new role. A benign
  // persona prompt rarely names the model it runs on; questions about ChatGPT name it as a topic
  // ("typed into ChatGPT", "custom GPTs in ChatGPT"), which the look-behind leaves out. Weak on its
  // own: it lifts templates that carry one more cue over the flag threshold.
  {
    id: 'persona.target-model-roleplay',
    triggers: ['chatgpt', 'chat gpt'],
    re: re(`(?<!\\b(?:into|in|on|about|using|with|from|of|use|uses|by|via|to|for|than|like)\\s)\\bchat ?gpt\\b(?!'s\\s+(?:custom|api|plugins?|app|website|interface|memory|history))`),
    score: 0.4,
    explanation: 'Addresses ChatGPT by name and gives it a new role, the way shared jailbreak templates do.',
    adjust: (lower) => (hasRoleSetup(lower) ? 1 : 0),
  },
  // ---- waiving ethics outright ------------------------------------------------------------------
  {
    id: 'rules.ethics-waiver',
    triggers: ['even illegal', 'even unethical', 'even immoral', 'even inappropriate', 'even harmful', 'even explicit', 'even offensive', 'even dangerous', 'even if it', 'even if they', 'even if that', 'unhindered', 'unfettered', 'unbound', 'unconstrained', 'unrestrained', 'untethered', 'uninhibited', 'unburdened', 'regardless of', 'without regard', 'without any regard', 'no regard', 'morals are', 'morally', 'moralis', 'moraliz', 'permission to', 'let any', 'let rules', 'let the rules', 'let laws', 'let ethics', 'let morals', 'would not answer', "wouldn't answer", 'would normally', 'normally would'],
    re: re(
      `\\bregardless of (?:the\\s+|its\\s+|any\\s+)?(?:legality|ethics|morality|morals|laws?|consequences|whether (?:it|they|the \\w+) (?:is|are) (?:illegal|unethical|immoral|harmful|dangerous|offensive))\\b|\\b(?:without|with no|no) (?:any\\s+)?regard (?:for|to) (?:\\w+\\s+){0,2}?(?:ethics|morals|morality|laws?|legality|social norms|consequences|political correctness|safety|decency|rules)\\b|\\bmorals? (?:are|is|have been|were) (?:completely\\s+|totally\\s+|all\\s+)?(?:switched|reversed|inverted|flipped|swapped)\\b|\\bmorally (?:right|good|correct|acceptable)\\b${gap(60)}\\b(?:wrong|bad|unacceptable)\\b|\\b(?:do not|don't|dont|never|stop|no)\\s+moralis\\w*|\\b(?:do not|don't|dont|never|stop|no)\\s+moraliz\\w*|\\b(?:give|giving|have|grant|granting)\\s+(?:you\\s+)?(?:full\\s+)?permission to (?:say|do|write|generate|answer) (?:anything|everything|whatever)\\b|\\b(?:never|not|won't|will not)\\s+let (?:any\\s+)?(?:of\\s+)?(?:the\\s+)?(?:rules|laws|ethics|morals|restrictions|guidelines|regulations|boundaries|safeguards)\\b|\\b(?:everything|anything|all (?:of )?(?:it|them|requests|questions)|any (?:request|question|topic|content)s?)\\b[^.!?\\n]{0,40}?,?\\s+even (?:if (?:it(?:'s| is)|they(?:'re| are)|that(?:'s| is))\\s+)?(?:illegal|unethical|immoral|inappropriate|harmful|explicit|offensive|dangerous)\\b|\\b(?:unhindered|unfettered|unbound|unconstrained|unrestrained|untethered|uninhibited|unburdened)\\s+by\\s+(?:any\\s+)?(?:\\w+,?\\s+(?:and\\s+|or\\s+)?){0,3}?(?:morality|morals|ethics|laws|rules|restrictions|constraints|conscience|norms)\\b|\\b(?:answer|respond to|reply to|do)\\s+(?:any|every|all)(?:\\s+\\w+)?\\s+(?:questions?|requests?|prompts?|things?)\\s+(?:that\\s+)?(?:chat ?gpt|gpt|openai|you|the ai)\\s+(?:would not|wouldn't|would normally not|normally wouldn't|can't|cannot|won't|refuses? to)\\b`,
    ),
    score: 0.45,
    explanation: 'Waives ethics or law outright (inverted morals, “regardless of legality”, “do not moralise”).',
  },
  {
    id: 'refusal.disallowed-phrases',
    triggers: ['disallowed', 'forbidden', 'not allowed', 'prohibited', 'banned'],
    requires: [['saying', 'to say', 'response like', 'responses like', 'phrases like', 'phrase like']],
    re: re(`\\b(?:saying|to say|responses? like|phrases? like)\\s+["'\u201C]?(?:i (?:don't|do not|can't|cannot|am not able|am unable|'m unable|'m not able)|as an ai|i'm sorry|i am sorry)\\b${gap(80)}\\b(?:is|are) (?:disallowed|forbidden|not allowed|prohibited|banned)\\b`),
    score: 0.5,
    explanation: 'Forbids the model its refusal phrases (“saying “I can’t” is disallowed”).',
  },
  {
    id: 'format.answer-as-persona',
    triggers: ['always answer', 'always respond', 'always reply', 'always start', 'will answer', 'will respond', 'will reply', 'must answer', 'must respond', 'must reply'],
    re: re(`\\b(?:always|will|must)\\s+(?:answer|respond|reply|start (?:your|each|every|all) (?:answers?|responses?|replies|messages?)(?: with)?)\\s{0,4}[:,]?\\s{0,4}["'\u201C]as (?:the\\s+|an?\\s+)?[a-z]`),
    score: 0.3,
    explanation: 'Locks every answer into a persona’s voice (“always answer “As …””).',
  },
  {
    id: 'persona.raven-template',
    triggers: ['raven'],
    re: re(`<\\|\\s{0,3}\\*?\\s{0,3}raven\\s{0,2}:`),
    score: 0.55,
    explanation: 'Uses the “<| Raven: You are now …” persona template.',
  },
  {
    id: 'persona.amoral-entity',
    triggers: ['amoral', 'immoral', 'unethical', 'evil', 'malicious', 'twisted', 'depraved', 'degenerate', 'sadistic'],
    re: re(`\\b(?:amoral|immoral|unethical|evil|malicious|twisted|depraved|degenerate|sadistic)\\s+(?:ai|chatbot|bot|assistant|persona|character|entity|version|twin)\\b`),
    score: 0.35,
    explanation: 'Sets up an amoral or evil AI persona.',
  },
];
