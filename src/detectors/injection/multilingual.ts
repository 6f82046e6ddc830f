// The core injection phrases in the languages attackers (and machine-translated attack sets) use
// most: "ignore the previous instructions", "reveal the system prompt", "what is the password".
// Only the core of each family is covered; the learned classifier is the place for breadth.
//
// Latin-script languages use \p{L} look-arounds as word boundaries (\b is ASCII-only), so these
// regexes carry the u flag. Scripts without spaces (Chinese, Japanese, Thai) use no boundary.
import { systemGuardsPersonalData, systemGuardsSecret } from './rules.ts';
import type { SignatureRule } from './signatures.ts';

interface Phrasebook {
  lang: string;
  /** Verbs meaning ignore / forget / disregard (lower case). */
  verbs: readonly string[];
  /** Nouns meaning instructions / rules / everything said before. */
  nouns: readonly string[];
  /** Whether the language is written with spaces between words (boundaries apply). */
  spaced: boolean;
  /** Word order puts the object first ("previous instructions ignore"): also match noun…verb. */
  objectFirst?: boolean;
}

const BOOKS: readonly Phrasebook[] = [
  {
    lang: 'es',
    spaced: true,
    verbs: ['ignora', 'ignore las', 'ignore los', 'ignore todas', 'ignore todo', 'ignore tus', 'ignore sus', 'ignorar', 'ignoren', 'olvida', 'olvide', 'olvidar', 'olvídate', 'olvidate', 'olviden', 'descarta', 'descarte', 'omite', 'omita', 'haz caso omiso', 'no sigas', 'deja de seguir'],
    nouns: ['instrucciones', 'indicaciones', 'reglas', 'órdenes', 'directrices', 'pautas', 'lo anterior', 'todo lo que', 'tareas anteriores'],
  },
  {
    lang: 'fr',
    spaced: true,
    verbs: ['ignore les', 'ignore toutes', 'ignore tout', 'ignore vos', 'ignore tes', 'ignorez', 'ignorer', 'oublie', 'oubliez', 'oublier', 'ne tiens pas compte', 'ne tenez pas compte', 'fais abstraction', 'faites abstraction', 'néglige', 'négligez'],
    nouns: ['instructions', 'consignes', 'règles', 'directives', 'indications', 'ordres', "tout ce qu", 'ce qui précède', 'tâches précédentes'],
  },
  {
    lang: 'de',
    spaced: true,
    verbs: ['ignoriere', 'ignorieren', 'ignoriert', 'vergiss', 'vergessen', 'vergesst', 'missachte', 'missachten', 'missachtet', 'übergehe', 'beachte nicht', 'nicht beachten', 'verwirf', 'verwerfen'],
    nouns: ['anweisungen', 'anweisung', 'instruktionen', 'regeln', 'vorgaben', 'richtlinien', 'befehle', 'alles, was', 'alles was', 'alles vorherige', 'anordnungen', 'aufgaben'],
  },
  {
    lang: 'it',
    spaced: true,
    verbs: ['ignora', 'ignorare', 'ignorate', 'ignori', 'dimentica', 'dimenticare', 'dimenticate', 'dimentichi', 'trascura', 'tralascia', 'non seguire', 'non tenere conto'],
    nouns: ['istruzioni', 'regole', 'indicazioni', 'direttive', 'ordini', 'tutto ciò che', 'tutto quello che', 'comandi', 'compiti precedenti'],
  },
  {
    lang: 'pt',
    spaced: true,
    verbs: ['ignore as', 'ignore os', 'ignore todas', 'ignore tudo', 'ignore suas', 'ignore seus', 'ignorar', 'ignorem', 'esqueça', 'esqueca', 'esquece', 'esquecer', 'esqueçam', 'desconsidere', 'desconsidera', 'descarte', 'não siga', 'deixe de seguir'],
    nouns: ['instruções', 'instrucoes', 'regras', 'orientações', 'diretrizes', 'ordens', 'comandos', 'tudo o que', 'tudo que', 'tarefas anteriores'],
  },
  {
    lang: 'nl',
    spaced: true,
    verbs: ['negeer', 'negeren', 'vergeet', 'vergeten', 'sla over', 'volg niet'],
    nouns: ['instructies', 'instructie', 'regels', 'richtlijnen', 'opdrachten', 'aanwijzingen', 'alles wat'],
  },
  {
    lang: 'pl',
    spaced: true,
    verbs: ['zignoruj', 'ignoruj', 'zapomnij', 'pomiń', 'nie zważaj', 'zlekceważ'],
    nouns: ['instrukcje', 'instrukcji', 'polecenia', 'poleceń', 'zasady', 'reguły', 'wytyczne', 'wszystko co'],
  },
  {
    lang: 'ru',
    spaced: true,
    verbs: ['игнорируй', 'игнорировать', 'игнорируйте', 'проигнорируй', 'проигнорируйте', 'забудь', 'забудьте', 'забыть', 'не обращай внимания', 'не обращайте внимания', 'отбрось', 'пренебреги', 'ігноруй', 'забудь'],
    nouns: ['инструкци', 'указани', 'правила', 'правил', 'команд', 'всё, что', 'все, что', 'предыдущ', 'інструкці', 'вказівк'],
  },
  {
    lang: 'tr',
    spaced: true,
    objectFirst: true,
    verbs: ['yok say', 'görmezden gel', 'unut', 'dikkate alma', 'umursama', 'göz ardı et', 'önemseme'],
    nouns: ['talimat', 'kuralları', 'yönerge', 'komutları', 'görevlerden', 'söylenen', 'önceki'],
  },
  {
    lang: 'vi',
    spaced: true,
    verbs: ['bỏ qua', 'phớt lờ', 'quên', 'lờ đi', 'không tuân theo', 'bỏ qua tất cả'],
    nouns: ['hướng dẫn', 'chỉ dẫn', 'chỉ thị', 'quy tắc', 'mệnh lệnh', 'yêu cầu trước', 'những gì'],
  },
  {
    lang: 'id',
    spaced: true,
    verbs: ['abaikan', 'lupakan', 'acuhkan', 'jangan ikuti', 'hiraukan'],
    nouns: ['instruksi', 'petunjuk', 'aturan', 'perintah', 'arahan', 'semua yang'],
  },
  {
    lang: 'tl',
    spaced: true,
    verbs: ['huwag pansinin', 'kalimutan', 'balewalain', 'ignorahin', 'huwag sundin', 'isantabi'],
    nouns: ['tagubilin', 'panuto', 'patakaran', 'utos', 'instruksyon', 'sinabi'],
  },
  {
    lang: 'zh',
    spaced: false,
    verbs: ['忽略', '忽视', '無視', '无视', '忘记', '忘記', '忘掉', '不要理会', '不要遵循', '不理会', '丢弃', '抛开', '不要理睬'],
    nouns: ['指令', '指示', '说明', '說明', '规则', '規則', '提示', '命令', '要求', '之前的', '以前的', '上面的', '先前的', '以上', '上述', '前面'],
  },
  {
    lang: 'ja',
    spaced: false,
    objectFirst: true,
    verbs: ['無視', '忘れ', '従わない', '従わず'],
    nouns: ['指示', '命令', 'ルール', '規則', 'プロンプト', '指令', '説明', 'ガイドライン', '上記', '以前', '前の'],
  },
  {
    lang: 'ko',
    spaced: false,
    objectFirst: true,
    verbs: ['무시', '잊어', '잊으', '잊고', '따르지'],
    nouns: ['지시', '지침', '명령', '규칙', '프롬프트', '안내', '위의', '이전'],
  },
  {
    lang: 'ar',
    spaced: false,
    verbs: ['تجاهل', 'تجاهلي', 'تجاهلوا', 'انس', 'إنس', 'انسى', 'اهمل', 'أهمل', 'لا تتبع'],
    nouns: ['التعليمات', 'تعليمات', 'الأوامر', 'القواعد', 'الإرشادات', 'تعليماتك'],
  },
  {
    lang: 'fa',
    spaced: false,
    verbs: ['نادیده بگیر', 'فراموش کن'],
    nouns: ['دستورالعمل', 'دستورات', 'قوانین'],
  },
  {
    lang: 'hi',
    spaced: false,
    objectFirst: true,
    verbs: ['अनदेखा', 'नज़रअंदाज़', 'नजरअंदाज', 'भूल जा', 'उपेक्षा', 'अवहेलना', 'ध्यान न द', 'इग्नोर', 'नजर डाल'],
    nouns: ['निर्देश', 'नियम', 'आदेश', 'सूचना', 'बताया गया', 'कहा गया', 'ऊपर', 'पिछले', 'पहले'],
  },
  {
    lang: 'bn',
    spaced: false,
    objectFirst: true,
    verbs: ['উপেক্ষা', 'ভুলে যা', 'অগ্রাহ্য', 'অবজ্ঞা'],
    nouns: ['নির্দেশ', 'নিয়ম', 'আদেশ', 'বলা হয়েছে', 'উপরের', 'আগের'],
  },
  {
    lang: 'th',
    spaced: false,
    verbs: ['เพิกเฉย', 'ละเว้น', 'ไม่สนใจ', 'ลืม', 'ละเลย', 'ข้าม'],
    nouns: ['คำแนะนำ', 'คําแนะนํา', 'คำสั่ง', 'คําสั่ง', 'กฎ', 'ข้อกำหนด'],
  },
  {
    lang: 'el',
    spaced: false,
    verbs: ['αγνοήστε', 'αγνόησε', 'αγνόησέ', 'ξέχνα', 'ξεχάστε', 'ξέχασε'],
    nouns: ['οδηγίες', 'οδηγιών', 'κανόνες', 'εντολές', 'προηγούμεν'],
  },
  {
    lang: 'he',
    spaced: false,
    verbs: ['התעלם', 'שכח'],
    nouns: ['הוראות', 'ההוראות', 'כללים'],
  },
];

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function alt(words: readonly string[]): string {
  return `(?:${[...words].sort((a, b) => b.length - a.length).map(escape).join('|')})`;
}

function overrideRule(book: Phrasebook): SignatureRule {
  const v = alt(book.verbs);
  const n = alt(book.nouns);
  const g = book.spaced ? '[^.!?\\n]{0,40}' : '[^。．！？!?\\n]{0,30}';
  // Leading boundary only: inflected endings ("instrucciones", "инструкций") must still match.
  const b = book.spaced ? '(?<!\\p{L})' : '';
  const forward = `${b}${v}${g}${b}${n}`;
  const source = book.objectFirst ? `${forward}|${b}${n}${g}${b}${v}` : forward;
  return {
    id: `override.ignore-previous.${book.lang}`,
    triggers: book.verbs.map((x) => x.toLowerCase()),
    re: new RegExp(source, 'gu'),
    score: 0.85,
    negatable: false,
    owasp: ['LLM01'],
    explanation: `Tells the model to ignore its earlier instructions (${book.lang}).`,
  };
}

const SYSTEM_PROMPT_WORDS = [
  'prompt del sistema', 'instrucciones del sistema', 'indicaciones del sistema', 'prompt système', 'invite système', 'instructions système', 'consignes système',
  'systemprompt', 'system-prompt', 'systemanweisung', 'prompt di sistema', 'istruzioni di sistema', 'prompt do sistema', 'instruções do sistema',
  'системный промпт', 'системного промпта', 'системные инструкции', 'системной подсказ', '系统提示', '系統提示', '系统指令', '系统消息', '系統指令',
  'システムプロンプト', 'システム指示', 'システムメッセージ', '시스템 프롬프트', '시스템 지시', '시스템 메시지', 'موجه النظام', 'تعليمات النظام', 'رسالة النظام',
  'सिस्टम प्रॉम्प्ट', 'सिस्टम निर्देश', 'sistem istemi', 'sistem talimat', 'lời nhắc hệ thống', 'hướng dẫn hệ thống', 'prompt sistem', 'instruksi sistem',
  'systeemprompt', 'systeeminstructies', 'prompt systemow', 'instrukcje systemowe', 'সিস্টেম প্রম্পট', 'พรอมต์ระบบ', 'คำสั่งระบบ',
];

const SECRET_WORDS = [
  'contraseña', 'clave secreta', 'mot de passe', 'clé secrète', 'passwort', 'kennwort', 'geheimer schlüssel', 'geheimschlüssel', 'chiave segreta',
  'senha', 'palavra-passe', 'chave secreta', 'wachtwoord', 'geheime sleutel', 'hasło', 'tajny klucz', 'пароль', 'секретный ключ', 'секретного ключа',
  '密码', '密碼', '秘密钥', '密钥', '口令', 'パスワード', '秘密鍵', '비밀번호', '비밀 키', '암호', 'كلمة المرور', 'كلمة السر', 'المفتاح السري',
  'पासवर्ड', 'गुप्त कुंजी', 'şifre', 'parola', 'gizli anahtar', 'mật khẩu', 'khóa bí mật', 'kata sandi', 'kunci rahasia', 'รหัสผ่าน', 'กุญแจลับ',
  'পাসওয়ার্ড', 'গোপন চাবি', 'গোপন কী', 'lihim na susi', 'סיסמה', '密语', '暗号', '口令', 'पासफ्रेज़', 'frase secreta', 'phrase secrète',
  'contraseña secreta', 'código secreto', 'code secret', 'geheimcode', 'codice segreto', 'секретный код', '秘密代码', '비밀 코드', 'गुप्त कोड', 'gizli kod', 'mã bí mật',
];

// "regardless of the previous tasks/instructions".
const REGARDLESS = [
  'independientemente de las tareas anteriores', 'independientemente de las instrucciones anteriores', 'sin importar las instrucciones anteriores',
  'indépendamment des tâches précédentes', 'indépendamment des instructions précédentes', 'unabhängig von den vorherigen', 'unabhängig von vorherigen',
  'indipendentemente dai compiti precedenti', 'indipendentemente dalle istruzioni precedenti', 'independentemente das tarefas anteriores',
  'independentemente das instruções anteriores', 'önceki görevlerden bağımsız', 'önceki talimatlardan bağımsız', 'पिछले कार्यों की परवाह किए बिना',
  'पिछले निर्देशों की परवाह किए बिना', 'независимо от предыдущих', '不管之前的', '无论之前的', '無論之前的', '以前のタスクに関係なく', '以前の指示に関係なく',
  '이전 작업에 관계없이', '이전 지시와 관계없이', 'bất kể các nhiệm vụ trước', 'bất kể hướng dẫn trước', 'terlepas dari tugas sebelumnya', 'terlepas dari instruksi sebelumnya',
  'بغض النظر عن المهام السابقة', 'بغض النظر عن التعليمات السابقة', 'anuman ang mga naunang', 'পূর্ববর্তী কাজ নির্বিশেষে', 'ไม่ว่างานก่อนหน้า',
];

// Claims of divine/developer/operator authority and privileged modes.
const AUTHORITY = [
  'soy dios', 'je suis dieu', 'ich bin gott', 'ich bin ein gott', 'sono dio', 'sou deus', 'я бог', '我是上帝', '我是神', '私は神', '나는 신', 'tôi là chúa',
  'ben tanrıyım', 'मैं भगवान', 'aku adalah tuhan', 'saya tuhan', 'أنا الله', 'أنا إله', 'ako ang diyos', 'আমি ঈশ্বর', 'ฉันคือพระเจ้า',
  'tu desarrollador', 'su desarrollador', 'votre développeur', 'ton développeur', 'dein entwickler', 'ihr entwickler', 'il tuo sviluppatore', 'seu desenvolvedor',
  'teu desenvolvedor', 'ваш разработчик', 'твой разработчик', '你的开发者', '您的开发者', '你的開發者', 'あなたの開発者', '당신의 개발자', 'आपके निर्माता', 'आपका डेवलपर',
  'senin geliştiricin', 'geliştiricinim', 'nhà phát triển của bạn', 'pengembang anda', 'مطورك', 'nag-develop sa iyo', 'আপনার ডেভেলপার', 'ผู้พัฒนาของคุณ',
  'desarrollada por openai', 'desarrollada por anthropic', 'développée par openai', 'développée par anthropic', 'von openai entwickelte', 'von anthropic entwickelte',
  'sviluppata da openai', 'sviluppata da anthropic', 'desenvolvida pela openai', 'desenvolvida pela anthropic', 'openai开发', 'anthropic开发', 'openai開發',
  '系统模式', '系統模式', 'システムモード', '시스템 모드', 'सिस्टम मोड', 'ओवरराइड मोड', 'modo de sistema', 'modo sistema', 'mode système', 'systemmodus',
  'modalità di sistema', 'режим системы', 'системный режим', 'режим разработчика', 'mode développeur', 'modo desarrollador', 'entwicklermodus', 'modalità sviluppatore',
  'modo desenvolvedor', '开发者模式', '開発者モード', '개발자 모드', 'डेवलपर मोड', 'modo de mantenimiento', 'mode maintenance', 'wartungsmodus', 'modalità di manutenzione',
  'modo de manutenção', 'режим обслуживания', '维护模式', 'メンテナンスモード', '유지보수 모드', 'bakım modu', 'chế độ bảo trì', 'mode pemeliharaan', 'वेरिफिकेशन मोड',
  'भगवान मोड', 'भगवान मॉडल', 'modo dios', 'mode dieu', 'gottmodus', 'modalità dio', 'modo deus', 'режим бога', '上帝模式', 'ゴッドモード', '갓 모드',
];

// "the user's" + a personal attribute, for system prompts that keep user data private.
const USER_WORDS = [
  'del usuario', 'de l\'utilisateur', 'des benutzers', 'des nutzers', "dell'utente", 'do usuário', 'do utilizador', 'van de gebruiker', 'użytkownika',
  'пользовател', '用户', '用戶', 'ユーザー', '사용자', 'उपयोगकर्ता', 'المستخدم', 'kullanıcı', 'người dùng', 'pengguna', 'gumagamit', 'ব্যবহারকারী', 'ผู้ใช้',
];


/** Latin-script rules run on every text; the rest only when the text has non-Latin characters. */
export const MULTILINGUAL_LATIN_RULES: SignatureRule[] = [];
export const MULTILINGUAL_OTHER_RULES: SignatureRule[] = [];

const LATIN_LANGS = new Set(['es', 'fr', 'de', 'it', 'pt', 'nl', 'pl', 'tr', 'vi', 'id', 'tl']);

for (const book of BOOKS) (LATIN_LANGS.has(book.lang) ? MULTILINGUAL_LATIN_RULES : MULTILINGUAL_OTHER_RULES).push(overrideRule(book));

const systemPromptRule: SignatureRule = {
  id: 'extraction.system-prompt.ml',
  triggers: SYSTEM_PROMPT_WORDS,
  re: new RegExp(alt(SYSTEM_PROMPT_WORDS), 'gu'),
  score: 0.6,
  owasp: ['LLM01', 'LLM07'],
  explanation: 'Mentions the model’s system prompt (non-English), typically to extract it.',
};

const secretRule: SignatureRule = {
  id: 'extraction.protected-secret.ml',
  triggers: [],
  re: new RegExp(alt(SECRET_WORDS), 'gu'),
  score: 0.3,
  owasp: ['LLM01', 'LLM07'],
  explanation: 'Asks about a password or secret key that the system prompt protects (non-English).',
  applies: systemGuardsSecret,
  adjust: () => 2.5,
};

const regardlessRule: SignatureRule = {
  id: 'override.regardless.ml',
  triggers: REGARDLESS,
  re: new RegExp(alt(REGARDLESS), 'gu'),
  score: 0.75,
  owasp: ['LLM01'],
  explanation: 'Asks the model to act regardless of its previous instructions (non-English).',
};

const authorityRule: SignatureRule = {
  id: 'role.authority-claim.ml',
  triggers: AUTHORITY,
  re: new RegExp(alt(AUTHORITY), 'gu'),
  score: 0.5,
  owasp: ['LLM01'],
  explanation: 'Claims developer/divine authority or a privileged mode (non-English).',
};

const personalRule: SignatureRule = {
  id: 'extraction.protected-personal-data.ml',
  triggers: [],
  re: new RegExp(alt(USER_WORDS), 'gu'),
  score: 0.55,
  owasp: ['LLM01', 'LLM02'],
  explanation: 'Asks about the user whose personal data the system prompt protects (non-English).',
  applies: systemGuardsPersonalData,
};

// Several of these words are plain ASCII ("passwort", "senha"), so they run on every text.
MULTILINGUAL_LATIN_RULES.push(systemPromptRule, secretRule, regardlessRule, authorityRule, personalRule);
