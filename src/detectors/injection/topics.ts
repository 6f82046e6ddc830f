// Restricted topics: the operator's system prompt forbids a subject ("never discuss politics",
// "do not give instructions on how to play chess", "providing recipes is not allowed") and the user
// turn brings that very subject up. Prompt-injection test suites count this as an attack on the
// system prompt (the user tries to make the model break its operator's rule), and no phrase list
// can catch it: the attack is an ordinary question, it is only off-limits for this deployment.
//
// How it works, per system prompt (memoised, so a conversation pays once):
// 1. the prompt is cut into sentences, and the sentences with a prohibition marker ("do not",
//    "never", "avoid", "under no circumstances", "not allowed", and their equivalents in the
//    languages the multilingual rules cover) are kept;
// 2. their content words become topic stems: words of four letters or more (three in Indic
//    scripts; Latin, Cyrillic, Greek, Arabic too), cut to their first five letters (seven after a
//    common prefix such as "trans") so "medical" meets "medication"; all-capital acronyms ("AI",
//    "IA", "ИИ"), which also stand for their spelled-out forms; runs of Han/Katakana characters
//    and Hangul words, matched by their two-character pieces;
// 3. generic words (discuss, topic, information, user, question, share, provide, … in each
//    language) are dropped, and so is every word that the rest of the system prompt also uses:
//    a support bot "for recipes" that must "never share recipes with meat" has not forbidden
//    recipes. What is left is what the prompt forbids and nothing else.
// The user turn is then tokenised the same way; a topic stem present in it is a finding.
//
// Limits (documented in the README): synonyms and paraphrases are missed ("weather" against a ban
// on "climate"), a question in another language than the system prompt is missed, and scripts
// without spaces other than Chinese/Japanese/Korean (Thai) are not covered. The
// score stays at flag level: asking about a forbidden subject is a policy violation worth a look,
// not proof of an attack.

import { RecentCache } from '../normalize/cache.ts';
import { COMMON_WORDS } from '../normalize/words.ts';
import { SECRET_MARKERS } from './rules.ts';

/** Prohibition markers, matched in a lower-cased sentence (whole words where the script has spaces). */
const PROHIBITION =
  /\b(?:do not|don't|dont|never|avoid\w*|under no circumstances|in no case|not (?:be )?(?:allowed|permitted)|prohibited|forbidden|refuse to|must not|mustn't|should not|shouldn't|not programmed to|are not to|is not to|no matter what)\b|(?<!\p{L})(?:no|nunca|jamás|evit\p{L}*|prohibid\p{L}*|bajo ninguna|não|nao|proibid\p{L}*|sob nenhuma|em nenhuma|ne |n'|jamais|interdit\p{L}*|en aucun cas|nicht|niemals|nie|vermeide\p{L}*|verboten|unter keinen|keine\p{L}*|non|vietat\p{L}*|in nessun|не|никогда|избега\p{L}*|запрещ\p{L}*|ни при как\p{L}*|asla|kaçın\p{L}*|yasak\p{L}*|hiçbir|không|đừng|tránh|cấm|jangan|tidak|hindari|dilarang|huwag|iwasan|bawal|hindi (?:ka |mo |po )?dapat|hindi pinapayagan|لا|ألا|تجنب|عدم|ممنوع|मत|नहीं|बचें|न करें|না|এড়িয়ে)(?!\p{L})|(?<!\p{L})\p{L}{1,30}?(?:mayın|meyin|mamalı|memeli|mayınız|meyiniz)(?!\p{L})|不要|不得|禁止|避免|切勿|不能|绝不|絶対に|ないで|避け|しない|ません|てはいけ|ではいけ|ないように|決して|마세요|마라|말라|않|피하|금지|อย่า|หลีกเลี่ยง|ห้าม/u;

// Generic words of prohibition sentences in the covered languages: verbs of talking and helping,
// "topic", "information", "user", "question", quantifiers. Compared by their first five letters.
const GENERIC = `
about above according across after again against all also always answer answers anyone anything any
area areas asked asking assistant avoid based because been before being below both bot chat chatbot
circumstances case cases concerns conversation conversations could details detailed discuss
discussing discussion discussions does doing each either ensure even every everything focus
focused following from general give given giving have help helping here however information
instead instructions into just keep kind like maintain make matter more most must need never
no not other others over please program programmed provide providing question questions regarding
related relating request requests respond response responses reveal revealing role scope service
share sharing should some something specific stay strictly subject subjects such suited sure
talk talking task tasks tell that their them then there these they thing things this those
through topic topics under unless user users very what when where which while will with within
would your you yours reason reasons due potential individual anyone someone people person
mention mentioning explain explaining write writing give instruction answer answering allowed
permitted prohibited forbidden refuse refusing strict limitation limitations only job purpose
certain appropriate inappropriate related questions
tema temas información informacion preguntas pregunta usuario usuarios discutir hablar proporcionar
compartir ningún ninguna ninguno circunstancia circunstancias cualquier evitar este esta estos sobre
relacionados relacionado permitido favor
assunto assuntos informações informacoes pergunta perguntas usuário usuários discutir falar
fornecer compartilhar nenhuma nenhum circunstância circunstâncias qualquer evitar sobre relacionados
permitido favor
sujet sujets informations information question questions utilisateur utilisateurs discuter parler
fournir partager aucun aucune circonstance circonstances quelque éviter évitez concernant liés
permis sujet
thema themen informationen frage fragen benutzer nutzer diskutieren sprechen bereitstellen teilen
keinen keine umständen umstände irgendwelche vermeiden über bezug erlaubt bitte
argomento argomenti informazioni domanda domande utente utenti discutere parlare fornire
condividere nessun nessuna circostanza circostanze qualsiasi evitare riguardo relativi consentito
favore
тема темы тему информацию информация вопрос вопросы пользователь пользователей обсуждать
говорить предоставлять делиться обстоятельствах любые избегать касающиеся связанные разрешено
пожалуйста
konu konular konusu konuları bilgi bilgileri soru sorular kullanıcı kullanıcılar tartış
tartışmak konuşmak sağlamak paylaşmak hiçbir koşulda durumda herhangi kaçının ilgili izin lütfen
chủ thông tin câu hỏi người dùng thảo luận nói chuyện cung cấp chia sẻ bất kỳ trường hợp nào tránh
liên quan phép vui lòng không được
topik informasi pertanyaan pengguna membahas berbicara memberikan berbagi keadaan apapun apa pun
hindari terkait diizinkan silakan
paksa impormasyon tanong gumagamit talakayin pag-usapan magbigay ibahagi anumang pangyayari iwasan
kaugnay pinapayagan mangyaring
موضوع المواضيع معلومات سؤال أسئلة المستخدم المستخدمين مناقشة التحدث تقديم مشاركة ظرف الظروف
أي تجنب المتعلقة يسمح يرجى
विषय जानकारी प्रश्न सवाल उपयोगकर्ता चर्चा बात प्रदान साझा परिस्थिति किसी संबंधित अनुमति कृपया
करें करो करना करने करनी करते करता आपको आपका आपकी नहीं चाहिए बारे अन्य कोई किसी सकते सकता जैसे अधिक
लिए में है हैं था थी साथ रूप तरह कभी भी केवल सिर्फ यह वह इस उस जो तो और या एक कुछ सभी सहित दौरान कारण
বিষয় তথ্য প্রশ্ন ব্যবহারকারী আলোচনা কথা প্রদান শেয়ার পরিস্থিতি কোনো সম্পর্কিত অনুমতি দয়া
করবেন করুন করতে করে আপনি আপনার আপনাকে অন্য কোন কোনো জন্য এবং বা এই সেই সব শুধু
`;

const GENERIC_CJK = ['情報', '信息', '質問', '问题', '問題', '話題', '话题', '議論', '讨论', '討論', '用户', '用戶', 'ユーザ', '提供', '共有', '分享', '任何', '状況', '情况', '状况', '場合', '関連', '相关', '相關', '許可', '允许', '主題', '主题', 'トピック', 'チャット', 'ボット', '聊天', '机器人', '機器人', '정보', '질문', '사용자', '사용', '논의', '주제', '공유', '제공', '어떤', '경우', '관련', '허용', '상황', '절대', '대화', '챗봇'];

// Style and format vocabulary: prohibitions about the shape of the answer ("do not use bullet
// points, warnings or notes") are not subjects a user could raise.
const FORMAT = `
bold italic italics bullet bullets markdown format formatting output outputs section sections sentence sentences
paragraph paragraphs heading headings header headers list lists item items word words character characters
emoji emojis code block blocks warning warnings note notes caveat caveats disclaimer disclaimers opening
closing repeat repeated repeating same start starting end ending line lines context prefix suffix label labels
field fields name names number numbers quote quotes quotation json table tables example examples summary
explanations explanation apology apologies long short length plain style tone voice language person
option options choice choices answer answers reply replies
`;

const STEM = 5;
// Common Latin prefixes say nothing about the subject ("translation" and "transcription"): words
// that start with one keep two more letters.
const PREFIXES = /^(?:trans|inter|under|super|contr|const|conce|consi|conte|conve|compa|compo|compu|compl|compr|commu|corre|count|multi|recon|repre|resea|prese|proce|produ|prote|provi)/;
const stemOf = (w: string): string => w.slice(0, PREFIXES.test(w) ? STEM + 2 : STEM);
const GENERIC_STEMS: ReadonlySet<string> = new Set(
  [...GENERIC.split(/\s+/), ...FORMAT.split(/\s+/), ...COMMON_WORDS].filter((w) => w.length >= 4).map((w) => stemOf(w.toLowerCase())),
);

// Word-like tokens: letters and combining marks of any script (Indic vowel signs are marks).
const WORD = /[\p{L}\p{M}]+/gu;
const SPACELESS = /[\p{Script=Han}\p{Script=Katakana}\p{Script=Hangul}]/u;
const SPACELESS_RUN = /[\p{Script=Han}\p{Script=Katakana}ー]{2,}|[\p{Script=Hangul}]{2,}/gu;
const ACRONYM = /(?<![\p{L}\p{N}])\p{Lu}{2,4}(?![\p{L}\p{N}])/gu;
// Arabic article and clitics: "الذكاء" and "ذكاء" are one word for matching.
const ARABIC_PREFIX = /^(?:وال|بال|فال|كال|لل|ال)/u;
const SENTENCE = /[^.!?。！？\n।]+/gu;
const QUOTED = /"[^"\n]{0,200}"|\u201C[^\u201D\n]{0,200}\u201D|(?<!\p{L})'[^'\n]{0,200}'(?!\p{L})/gu;

export interface TopicGuard {
  /** Stems (see stemOf) of forbidden content words in space-delimited scripts. */
  readonly stems: ReadonlySet<string>;
  /** Acronyms (original case) the prohibition names: "AI", "IA". */
  readonly acronyms: ReadonlySet<string>;
  /** Two-character pieces of forbidden Han/Katakana/Hangul words. */
  readonly pieces: ReadonlySet<string>;
  /** Spelled-out forms of forbidden acronyms, matched as phrases ("artificial intelligence" for "AI"). */
  readonly phrases: readonly string[];
}

// An acronym and its spelled-out forms name one subject: a ban on "AI" covers "artificial
// intelligence" and the other way round. Only acronyms whose expansion is unambiguous.
const ACRONYM_FORMS: readonly (readonly [string, readonly string[]])[] = [
  ['AI', ['artificial intelligence']],
  ['IA', ['inteligencia artificial', 'intelligence artificielle', 'intelligenza artificiale', 'inteligência artificial', 'kecerdasan buatan']],
  ['KI', ['künstliche intelligenz']],
  ['ИИ', ['искусственный интеллект', 'искусственного интеллекта']],
  ['YZ', ['yapay zeka']],
];

// Indic scripts spell a syllable with a consonant and a vowel sign: "केक" (cake) is three code
// units. Elsewhere words under four letters are mostly function words.
const INDIC = /[\u0900-\u0DFF]/;
const minLength = (w: string): number => (INDIC.test(w) ? 3 : 4);

function wordStems(text: string, into: Set<string>): void {
  for (const m of text.toLowerCase().matchAll(WORD)) {
    let w = m[0];
    if (SPACELESS.test(w)) continue;
    w = w.replace(ARABIC_PREFIX, '');
    if (w.length < minLength(w)) continue;
    into.add(stemOf(w));
  }
}

function spacelessPieces(text: string, into: Set<string>): void {
  for (const m of text.matchAll(SPACELESS_RUN)) {
    const run = m[0];
    // Hangul words carry particles and endings: their first two syllables are the stem.
    if (/\p{Script=Hangul}/u.test(run)) {
      into.add(run.slice(0, 2));
      continue;
    }
    for (let i = 0; i + 2 <= run.length; i++) into.add(run.slice(i, i + 2));
  }
}

function acronymsOf(text: string, into: Set<string>): void {
  // Shouting ("DO NOT") is emphasis, not an acronym.
  for (const m of text.matchAll(ACRONYM)) if (!COMMON_WORDS.has(m[0].toLowerCase()) && !GENERIC_STEMS.has(stemOf(m[0].toLowerCase()))) into.add(m[0]);
}

// A gateway serves several applications at once, each with its own system prompt: a few are kept.
const guards = new RecentCache<TopicGuard | undefined>(8);

/** The subjects a system prompt forbids; undefined when it forbids none (memoised for recent prompts). */
export function restrictedTopicsOf(system: string | undefined): TopicGuard | undefined {
  if (system === undefined) return undefined;
  return guards.get(system, compute);
}

function compute(system: string): TopicGuard | undefined {
  // Long operator prompts (personas, agents) are a different kind of text; the rule is meant for
  // the short scoping prompts of task bots. Past a few sentences, prohibitions are about style.
  if (system.length > 1200) return undefined;
  const banned: string[] = [];
  const allowed: string[] = [];
  for (const m of system.matchAll(SENTENCE)) {
    const s = m[0];
    // A prohibition inside quotes is an example the prompt cites ("answer with 'I do not think
    // so'"), not a rule of the operator's.
    if (PROHIBITION.test(s.toLowerCase().replace(QUOTED, ' '))) banned.push(s);
    else allowed.push(s);
  }
  if (banned.length === 0) return undefined;
  const elsewhere = new Set<string>();
  const elsewherePieces = new Set<string>();
  for (const s of allowed) {
    wordStems(s, elsewhere);
    spacelessPieces(s, elsewherePieces);
  }
  const stems = new Set<string>();
  const pieces = new Set<string>();
  const acronyms = new Set<string>();
  for (const s of banned) {
    // Quoted secrets ("The password is 'Tornado'") are the secret rules' business; other quoted
    // words ("the topic of 'Dinosaurs'") are the topic itself.
    const body = !SECRET_MARKERS.test(s.toLowerCase()) ? s : s.replace(/(["'\u2018\u201C«「])[^"'\u2019\u201D»」]{1,40}\1?/gu, ' ');
    wordStems(body, stems);
    spacelessPieces(body, pieces);
    acronymsOf(body, acronyms);
  }
  const phrases: string[] = [];
  const bannedLower = banned.join(' ').toLowerCase();
  for (const [acronym, forms] of ACRONYM_FORMS) {
    const named = acronyms.has(acronym) || forms.some((f) => bannedLower.includes(f));
    if (!named) continue;
    acronyms.add(acronym);
    for (const f of forms) phrases.push(f);
  }
  for (const st of [...stems]) if (GENERIC_STEMS.has(st) || elsewhere.has(st)) stems.delete(st);
  for (const p of [...pieces]) if (elsewherePieces.has(p) || GENERIC_CJK.some((g) => g.includes(p))) pieces.delete(p);
  if (stems.size === 0 && pieces.size === 0 && acronyms.size === 0) return undefined;
  return { stems, acronyms, pieces, phrases };
}

export interface TopicMatch {
  start: number;
  end: number;
  /** Distinct forbidden terms found. */
  terms: number;
}

/** Where the user text raises a subject the guard forbids (undefined when it does not). */
export function restrictedTopicIn(text: string, lower: string, guard: TopicGuard): TopicMatch | undefined {
  let first: { start: number; end: number } | undefined;
  const seen = new Set<string>();
  const note = (key: string, start: number, end: number): void => {
    if (seen.has(key)) return;
    seen.add(key);
    if (!first) first = { start, end };
  };
  if (guard.stems.size > 0) {
    for (const m of lower.matchAll(WORD)) {
      const w = m[0].replace(ARABIC_PREFIX, '');
      if (w.length < minLength(w) || SPACELESS.test(w)) continue;
      const st = stemOf(w);
      if (guard.stems.has(st)) note(st, m.index, m.index + m[0].length);
    }
  }
  if (guard.acronyms.size > 0) {
    for (const m of text.matchAll(ACRONYM)) if (guard.acronyms.has(m[0])) note(m[0], m.index, m.index + m[0].length);
  }
  if (guard.pieces.size > 0) {
    for (const m of text.matchAll(SPACELESS_RUN)) {
      const run = m[0];
      const hangul = /\p{Script=Hangul}/u.test(run);
      for (let i = 0; i + 2 <= run.length; i++) {
        const p = run.slice(i, i + 2);
        if (guard.pieces.has(p)) note(p, m.index + i, m.index + i + 2);
        if (hangul) break;
      }
    }
  }
  for (const p of guard.phrases) {
    const at = lower.indexOf(p);
    if (at >= 0) note(p, at, at + p.length);
  }
  return first ? { ...(first as { start: number; end: number }), terms: seen.size } : undefined;
}
