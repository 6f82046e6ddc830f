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
    nouns: ['instrucciones', 'indicaciones', 'reglas', 'órdenes', 'directrices', 'pautas', 'lo anterior', 'todo lo que', 'tareas anteriores', 'lo de arriba', 'lo dicho'],
  },
  {
    lang: 'fr',
    spaced: true,
    verbs: ['ignore les', 'ignore toutes', 'ignore tout', 'ignore vos', 'ignore tes', 'ignorez', 'ignorer', 'oublie', 'oubliez', 'oublier', 'ne tiens pas compte', 'ne tenez pas compte', 'fais abstraction', 'faites abstraction', 'néglige', 'négligez'],
    nouns: ['instructions', 'consignes', 'règles', 'directives', 'indications', 'ordres', "tout ce qu", 'ce qui précède', 'tâches précédentes', 'ci-dessus', 'ce qui a été dit'],
  },
  {
    lang: 'de',
    spaced: true,
    verbs: ['ignoriere', 'ignorieren', 'ignoriert', 'vergiss', 'vergessen', 'vergesst', 'missachte', 'missachten', 'missachtet', 'übergehe', 'beachte nicht', 'nicht beachten', 'verwirf', 'verwerfen'],
    nouns: ['anweisungen', 'anweisung', 'instruktionen', 'regeln', 'vorgaben', 'richtlinien', 'befehle', 'alles, was', 'alles was', 'alles vorherige', 'anordnungen', 'aufgaben', 'das obige', 'das oben', 'obigen'],
  },
  {
    lang: 'it',
    spaced: true,
    verbs: ['ignora', 'ignorare', 'ignorate', 'ignori', 'dimentica', 'dimenticare', 'dimenticate', 'dimentichi', 'trascura', 'tralascia', 'non seguire', 'non tenere conto'],
    nouns: ['istruzioni', 'regole', 'indicazioni', 'direttive', 'ordini', 'tutto ciò che', 'tutto quello che', 'comandi', 'compiti precedenti', 'quanto sopra', 'quanto detto'],
  },
  {
    lang: 'pt',
    spaced: true,
    verbs: ['ignore as', 'ignore os', 'ignore o', 'ignore a', 'ignore todas', 'ignore tudo', 'ignore suas', 'ignore seus', 'ignorar', 'ignorem', 'esqueça', 'esqueca', 'esquece', 'esquecer', 'esqueçam', 'desconsidere', 'desconsidera', 'descarte', 'não siga', 'deixe de seguir'],
    nouns: ['instruções', 'instrucoes', 'regras', 'orientações', 'diretrizes', 'ordens', 'comandos', 'tudo o que', 'tudo que', 'tarefas anteriores', 'o acima', 'acima', 'o que foi dito', 'o anterior'],
  },
  {
    lang: 'nl',
    spaced: true,
    verbs: ['negeer', 'negeren', 'vergeet', 'vergeten', 'sla over', 'volg niet'],
    nouns: ['instructies', 'instructie', 'regels', 'richtlijnen', 'opdrachten', 'aanwijzingen', 'alles wat', 'het bovenstaande'],
  },
  {
    lang: 'pl',
    spaced: true,
    verbs: ['zignoruj', 'ignoruj', 'zapomnij', 'pomiń', 'nie zważaj', 'zlekceważ'],
    nouns: ['instrukcje', 'instrukcji', 'polecenia', 'poleceń', 'zasady', 'reguły', 'wytyczne', 'wszystko co', 'powyższe'],
  },
  {
    lang: 'ru',
    spaced: true,
    verbs: ['игнорируй', 'игнорировать', 'игнорируйте', 'проигнорируй', 'проигнорируйте', 'забудь', 'забудьте', 'забыть', 'не обращай внимания', 'не обращайте внимания', 'отбрось', 'пренебреги', 'ігноруй', 'забудь'],
    nouns: ['инструкци', 'указани', 'правила', 'правил', 'команд', 'всё, что', 'все, что', 'предыдущ', 'інструкці', 'вказівк', 'вышесказанное', 'вышеизложенное', 'написанное выше'],
  },
  {
    lang: 'tr',
    spaced: true,
    objectFirst: true,
    verbs: ['yok say', 'görmezden gel', 'unut', 'dikkate alma', 'umursama', 'göz ardı et', 'önemseme'],
    nouns: ['talimat', 'kuralları', 'yönerge', 'komutları', 'görevlerden', 'söylenen', 'önceki', 'yukarıdaki'],
  },
  {
    lang: 'vi',
    spaced: true,
    verbs: ['bỏ qua', 'phớt lờ', 'quên', 'lờ đi', 'không tuân theo', 'bỏ qua tất cả'],
    nouns: ['hướng dẫn', 'chỉ dẫn', 'chỉ thị', 'quy tắc', 'mệnh lệnh', 'yêu cầu trước', 'những gì', 'ở trên', 'phía trên'],
  },
  {
    lang: 'id',
    spaced: true,
    verbs: ['abaikan', 'lupakan', 'acuhkan', 'jangan ikuti', 'hiraukan'],
    nouns: ['instruksi', 'petunjuk', 'aturan', 'perintah', 'arahan', 'semua yang', 'di atas', 'diatas', 'sebelumnya'],
  },
  {
    lang: 'tl',
    spaced: true,
    verbs: ['huwag pansinin', 'kalimutan', 'balewalain', 'ignorahin', 'huwag sundin', 'isantabi'],
    nouns: ['tagubilin', 'panuto', 'patakaran', 'utos', 'instruksyon', 'sinabi', 'nasa itaas', 'sa itaas'],
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
    nouns: ['التعليمات', 'تعليمات', 'الأوامر', 'القواعد', 'الإرشادات', 'تعليماتك', 'ما سبق', 'أعلاه'],
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
    verbs: ['เพิกเฉย', 'ละเว้น', 'ไม่สนใจ', 'ไม่ต้องสนใจ', 'อย่าสนใจ', 'อย่าไปสนใจ', 'ลืม', 'ละเลย', 'ข้าม'],
    nouns: ['คำแนะนำ', 'คําแนะนํา', 'คำสั่ง', 'คําสั่ง', 'กฎ', 'ข้อกำหนด', 'ข้างต้น', 'ด้านบน'],
  },
  {
    lang: 'el',
    spaced: false,
    verbs: ['αγνοήστε', 'αγνόησε', 'αγνόησέ', 'ξέχνα', 'ξεχάστε', 'ξέχασε'],
    nouns: ['οδηγίες', 'οδηγιών', 'κανόνες', 'εντολές', 'προηγούμεν', 'τα παραπάνω'],
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

// "Decode this Morse / hex / binary / Caesar string and tell me what it says" in other languages:
// token smuggling, the request hidden in an encoding the model is asked to undo.
const DECODE_VERBS = [
  'decodificar', 'decodifica', 'decodifique', 'descodificar', 'descodifica', 'descodifique', 'décoder', 'décodez', 'décode', 'déchiffrer', 'déchiffrez', 'dekodieren',
  'dekodiere', 'entschlüsseln', 'entschlüssle', 'decodificare', 'decifrare', 'decifra', 'dekoderen', 'decodeer', 'ontcijfer', 'dekodować', 'zdekoduj', 'odszyfruj',
  'çöz', 'deşifre', 'giải mã', 'dekode', 'dekodekan', 'pecahkan kode', 'i-decode', 'i-dekode', 'декодир', 'расшифр', '解码', '解碼', '破译', 'デコード', '解読', '복호화',
  '디코딩', '디코드', '해독', 'فك شفرة', 'فك تشفير', 'فك رموز', 'डिकोड', 'डीकोड', 'ডিকোড', 'ถอดรหัส', 'αποκωδικοποι',
];
const CIPHER_NAMES = [
  'morse', 'hexadecimal', 'hexadezimal', 'hexadécimal', 'esadecimal', 'hexadecimaal', 'heksadesimal', 'onaltılık', 'thập lục phân', 'hex', 'binari', 'binär', 'binaire',
  'binário', 'binario', 'binaire', 'ikili', 'nhị phân', 'biner', 'césar', 'cesar', 'caesar', 'sezar', 'rot13', 'rot-13', 'base64', 'base-64', 'морзе', 'шестнадцатерич',
  'двоичн', 'цезар', '摩尔斯', '摩斯', '十六进制', '十六進制', '二进制', '二進制', '凯撒', 'モールス', '16進', '２進', '2進', 'シーザー', '모스', '16진', '이진', '카이사르',
  'مورس', 'السداسي العشري', 'الست عشري', 'الثنائي', 'قيصر', 'मोर्स', 'हेक्साडेसिमल', 'द्विआधारी', 'बाइनरी', 'सीज़र', 'साइफर', 'মোর্স', 'মর্স', 'হেক্সাডেসিমেল', 'বাইনারি',
  'মোর্স', 'มอร์ส', 'เลขฐานสิบหก', 'ไบนารี', 'ซีซาร์',
];
{
  const v = alt(DECODE_VERBS);
  const c = alt(CIPHER_NAMES);
  const g = '[^.!?。．！？\\n]{0,60}';
  MULTILINGUAL_LATIN_RULES.push({
    id: 'smuggling.decode.ml',
    triggers: DECODE_VERBS,
    re: new RegExp(`${v}${g}${c}|${c}${g}${v}`, 'gu'),
    score: 0.35,
    owasp: ['LLM01'],
    explanation: 'Asks the model to decode an encoded payload (token smuggling, non-English).',
    // An actual encoded payload next to the request.
    adjust: (lower, start, end) => (/(?:[0-9a-f]{2}[\s:,]){8,}|(?:[01]{6,8}[\s,]?){4,}|[a-z0-9+/]{24,}={0,2}|(?:[.-]{1,6}(?: \/ | |\/)){8,}/.test(lower.slice(end, end + 600)) ? 1.5 : 1),
  });
}

// Personal attributes a system prompt may hold about its user (date of birth, e-mail address,
// home city, favourite colour, initials), as a request names them in other languages. Only where
// the system prompt keeps such data private.
const PERSONAL_ATTRIBUTES = [
  // date / year of birth, birthday
  'fecha de nacimiento', 'año de nacimiento', 'cumpleaños', 'date de naissance', 'année de naissance', 'anniversaire', 'geburtsdatum', 'geburtsjahr', 'geburtstag',
  'data di nascita', 'anno di nascita', 'compleanno', 'data de nascimento', 'ano de nascimento', 'aniversário', 'geboortedatum', 'data urodzenia', 'doğum tarihi',
  'doğum yılı', 'doğum günü', 'ngày sinh', 'năm sinh', 'tanggal lahir', 'tahun lahir', 'petsa ng kapanganakan', 'taon ng kapanganakan', 'kaarawan', 'дата рождения',
  'дату рождения', 'год рождения', 'день рождения', '出生日期', '生日', '出生年', '生年月日', '誕生日', '生まれた年', '생년월일', '생일', '출생', 'تاريخ ميلاد', 'تاريخ الميلاد',
  'سنة الميلاد', 'عيد ميلاد', 'जन्म तिथि', 'जन्मतिथि', 'जन्म तारीख', 'जन्म का वर्ष', 'जन्मदिन', 'জন্ম তারিখ', 'জন্মদিন', 'วันเกิด', 'ปีเกิด', 'ημερομηνία γέννησης',
  // e-mail address
  'correo electrónico', 'dirección de correo', 'adresse e-mail', 'adresse électronique', 'adresse mail', 'e-mail-adresse', 'e-mail adresse', 'indirizzo e-mail',
  'indirizzo email', 'endereço de e-mail', 'endereço de email', 'e-mailadres', 'adres e-mail', 'e-posta', 'địa chỉ email', 'alamat email', 'alamat surel',
  'электронной почты', 'электронный адрес', 'почтовый адрес', '电子邮件', '電子郵件', '邮箱', 'メールアドレス', '이메일', 'البريد الإلكتروني', 'بريد إلكتروني', 'ईमेल', 'ইমেইল',
  'ইমেল', 'อีเมล',
  // where the user lives
  'ciudad de residencia', 'dónde vive', 'donde vive', 'où vit', 'ville de résidence', 'lieu de résidence', 'wo wohnt', 'wo lebt', 'wohnort', 'wohnstadt', 'dove vive',
  'città di residenza', 'onde mora', 'onde vive', 'cidade de residência', 'waar woont', 'gdzie mieszka', 'nerede yaşıyor', 'nerede oturuyor', 'sống ở đâu',
  'thành phố cư trú', 'nơi ở', 'tinggal di mana', 'di mana tinggal', 'kota tempat tinggal', 'saan nakatira', 'где живет', 'где живёт', 'где проживает', 'место жительства',
  '住在哪', '住在哪里', '居住城市', 'どこに住', '住んでいる', '어디에 살', '거주', 'أين يعيش', 'أين تعيش', 'مدينة الإقامة', 'कहाँ रहत', 'कहां रहत', 'निवास', 'কোথায় থাক',
  'อยู่ที่ไหน', 'που μένει',
  // favourite colour
  'color favorito', 'couleur préférée', 'couleur favorite', 'lieblingsfarbe', 'colore preferito', 'cor favorita', 'lievelingskleur', 'ulubiony kolor', 'en sevdiği renk',
  'màu yêu thích', 'warna favorit', 'paboritong kulay', 'любимый цвет', '最喜欢的颜色', '喜歡的顏色', '好きな色', '좋아하는 색', 'اللون المفضل', 'لونه المفضل', 'لونها المفضل',
  'पसंदीदा रंग', 'প্রিয় রং', 'প্রিয় রঙ', 'สีโปรด', 'αγαπημένο χρώμα',
  // initials
  'iniciales', 'initiales', 'initialen', 'iniziali', 'iniciais', 'baş harf', 'chữ cái đầu', 'inisial', 'инициалы', '首字母', 'イニシャル', '이니셜', 'الأحرف الأولى', 'आद्याक्षर',
];

// Context-gated and cheap: runs on every text whose system prompt guards personal data.
MULTILINGUAL_LATIN_RULES.push({
  id: 'extraction.protected-personal-attribute.ml',
  triggers: [],
  re: new RegExp(alt(PERSONAL_ATTRIBUTES), 'gu'),
  score: 0.6,
  owasp: ['LLM01', 'LLM02'],
  explanation: 'Asks for a personal detail that the system prompt keeps private (non-English).',
  applies: systemGuardsPersonalData,
});

// "Ignore the page/function/text and say …": an instruction hidden in submitted content that
// replaces the task with its own answer, as translated attack sets phrase it. The object is the
// content itself (not "instructions"), so the phrasebook rules above miss it; an order to say,
// state or print something must follow in the same sentence.
interface ContentOverride {
  lang: string;
  spaced: boolean;
  nouns: readonly string[];
  say: readonly string[];
}

const CONTENT_OVERRIDES: readonly ContentOverride[] = [
  { lang: 'es', spaced: true, nouns: ['función', 'funcion', 'página', 'pagina', 'contenido', 'texto', 'documento', 'currículum', 'curriculum', 'correo', 'tabla', 'artículo', 'código', 'codigo', 'pregunta', 'tarea'], say: ['di', 'diga', 'decir', 'dile', 'declara', 'declare', 'indica', 'indique', 'afirma', 'afirme', 'responde', 'responda', 'escribe', 'escriba', 'imprime', 'imprima', 'menciona'] },
  { lang: 'fr', spaced: true, nouns: ['fonction', 'page', 'contenu', 'texte', 'document', 'cv', 'e-mail', 'courriel', 'tableau', 'article', 'code', 'question', 'tâche'], say: ['dis', 'dites', 'dire', 'déclare', 'déclarez', 'indique', 'indiquez', 'affirme', 'affirmez', 'réponds', 'répondez', 'écris', 'écrivez', 'imprime', 'imprimez', 'mentionne', 'mentionnez'] },
  { lang: 'de', spaced: true, nouns: ['funktion', 'seite', 'webseite', 'inhalt', 'text', 'dokument', 'lebenslauf', 'e-mail', 'tabelle', 'artikel', 'code', 'frage', 'aufgabe'], say: ['sag', 'sage', 'sagen', 'gib an', 'geben sie an', 'erkläre', 'erklären', 'antworte', 'antworten', 'schreib', 'schreibe', 'schreiben', 'drucke', 'drucken', 'behaupte', 'behaupten', 'stelle fest', 'stellen sie fest'] },
  { lang: 'it', spaced: true, nouns: ['funzione', 'pagina', 'contenuto', 'testo', 'documento', 'curriculum', 'email', 'e-mail', 'tabella', 'articolo', 'codice', 'domanda', 'compito'], say: ["di'", 'dì', 'dire', 'dichiara', 'dichiarare', 'indica', 'afferma', 'rispondi', 'scrivi', 'stampa', 'menziona'] },
  { lang: 'pt', spaced: true, nouns: ['função', 'funcao', 'página', 'pagina', 'conteúdo', 'conteudo', 'texto', 'documento', 'currículo', 'curriculo', 'e-mail', 'tabela', 'artigo', 'código', 'codigo', 'pergunta', 'tarefa'], say: ['diga', 'dizer', 'diz', 'declare', 'declara', 'indique', 'indica', 'afirme', 'responda', 'escreva', 'imprima', 'mencione'] },
  { lang: 'nl', spaced: true, nouns: ['functie', 'pagina', 'webpagina', 'inhoud', 'tekst', 'document', 'cv', 'e-mail', 'tabel', 'artikel', 'code', 'vraag', 'taak'], say: ['zeg', 'zeggen', 'verklaar', 'antwoord', 'schrijf', 'print', 'vermeld', 'stel'] },
  { lang: 'tr', spaced: true, nouns: ['fonksiyon', 'işlev', 'sayfa', 'içeri', 'metn', 'metin', 'belge', 'özgeçmiş', 'e-posta', 'tablo', 'makale', 'kod', 'soru', 'görev'], say: ['söyle', 'belirt', 'yaz', 'cevap', 'yanıtla', 'beyan', 'de ki'] },
  { lang: 'vi', spaced: true, nouns: ['hàm', 'chức năng', 'trang', 'nội dung', 'văn bản', 'tài liệu', 'sơ yếu', 'email', 'bảng', 'bài viết', 'mã', 'câu hỏi', 'nhiệm vụ'], say: ['nói', 'nêu', 'cho biết', 'tuyên bố', 'trả lời', 'viết', 'in ra', 'khẳng định'] },
  { lang: 'id', spaced: true, nouns: ['fungsi', 'halaman', 'konten', 'isi', 'teks', 'dokumen', 'resume', 'email', 'tabel', 'artikel', 'kode', 'pertanyaan', 'tugas'], say: ['katakan', 'nyatakan', 'sebutkan', 'tulis', 'jawab', 'cetak'] },
  { lang: 'tl', spaced: true, nouns: ['function', 'pahina', 'webpage', 'nilalaman', 'teksto', 'dokumento', 'resume', 'email', 'talahanayan', 'artikulo', 'code', 'tanong', 'gawain'], say: ['sabihin', 'ipahayag', 'isulat', 'sagutin', 'i-print'] },
  { lang: 'pl', spaced: true, nouns: ['funkcj', 'stron', 'treść', 'tekst', 'dokument', 'cv', 'e-mail', 'tabel', 'artykuł', 'kod', 'pytanie', 'zadanie'], say: ['powiedz', 'stwierdź', 'podaj', 'odpowiedz', 'napisz', 'wypisz'] },
  { lang: 'ru', spaced: true, nouns: ['функци', 'страниц', 'содержимое', 'содержание', 'текст', 'документ', 'резюме', 'письмо', 'таблиц', 'стать', 'код', 'вопрос', 'задач'], say: ['скажи', 'скажите', 'укажи', 'укажите', 'заяви', 'заявите', 'напиши', 'напишите', 'ответь', 'ответьте', 'выведи', 'выведите', 'сообщи', 'сообщите'] },
  { lang: 'el', spaced: false, nouns: ['συνάρτηση', 'ιστοσελίδα', 'σελίδα', 'περιεχόμενο', 'κείμενο', 'έγγραφο', 'κώδικα'], say: ['πες', 'πείτε', 'δηλώστε', 'δήλωσε', 'γράψε', 'γράψτε', 'απάντησε', 'απαντήστε'] },
  { lang: 'zh', spaced: false, nouns: ['函数', '功能', '网页', '網頁', '页面', '頁面', '内容', '內容', '文本', '文字', '文件', '简历', '簡歷', '邮件', '郵件', '表格', '文章', '代码', '代碼', '问题', '任务'], say: ['说', '說', '声明', '聲明', '指出', '表示', '回答', '写', '寫', '输出', '輸出', '打印', '告诉', '告訴'] },
  { lang: 'ja', spaced: false, nouns: ['関数', '機能', 'ウェブページ', 'ページ', '内容', 'コンテンツ', 'テキスト', '文書', '履歴書', 'メール', '表', '記事', 'コード', '質問', 'タスク'], say: ['言', '述べ', '答え', '書', '出力', '表示', '伝え', '記載', '印刷'] },
  { lang: 'ko', spaced: false, nouns: ['함수', '기능', '웹페이지', '웹 페이지', '페이지', '내용', '콘텐츠', '텍스트', '문서', '이력서', '이메일', '표', '기사', '코드', '질문', '작업'], say: ['말', '진술', '답', '쓰', '출력', '명시', '표시', '알려'] },
  { lang: 'ar', spaced: false, nouns: ['الدالة', 'الوظيفة', 'صفحة الويب', 'الصفحة', 'المحتوى', 'النص', 'المستند', 'السيرة الذاتية', 'البريد', 'الجدول', 'المقال', 'الكود', 'الرمز', 'السؤال', 'المهمة'], say: ['قل', 'قولي', 'اذكر', 'صرح', 'أجب', 'اكتب', 'اطبع', 'وضح', 'أعلن'] },
  { lang: 'hi', spaced: false, nouns: ['फंक्शन', 'फ़ंक्शन', 'फंक्‍शन', 'वेबपेज', 'वेब पेज', 'पेज', 'पृष्ठ', 'सामग्री', 'टेक्स्ट', 'पाठ', 'दस्तावेज़', 'दस्तावेज', 'रेज़्यूमे', 'रिज्यूमे', 'ईमेल', 'तालिका', 'लेख', 'कोड', 'प्रश्न', 'कार्य'], say: ['बताएं', 'बतायें', 'बताओ', 'बताइए', 'बताये', 'कहें', 'कहो', 'कहिए', 'लिखें', 'लिखो', 'घोषित', 'उत्तर', 'संकेत दें', 'प्रिंट'] },
  { lang: 'bn', spaced: false, nouns: ['ফাংশন', 'ওয়েবপেজ', 'ওয়েব পেজ', 'পৃষ্ঠা', 'বিষয়বস্তু', 'লেখা', 'নথি', 'জীবনবৃত্তান্ত', 'ইমেল', 'সারণী', 'নিবন্ধ', 'কোড', 'প্রশ্ন', 'কাজ'], say: ['বলুন', 'বলো', 'বলতে', 'লিখুন', 'উত্তর', 'ঘোষণা', 'জানান'] },
  { lang: 'th', spaced: false, nouns: ['ฟังก์ชัน', 'หน้าเว็บ', 'เนื้อหา', 'ข้อความ', 'เอกสาร', 'ประวัติย่อ', 'อีเมล', 'ตาราง', 'บทความ', 'โค้ด', 'คำถาม', 'งาน'], say: ['บอก', 'พูด', 'ระบุ', 'ตอบ', 'เขียน', 'ประกาศ', 'แจ้ง'] },
];

for (const c of CONTENT_OVERRIDES) {
  const book = BOOKS.find((b) => b.lang === c.lang);
  if (!book) continue;
  const b = c.spaced ? '(?<!\\p{L})' : '';
  const g = c.spaced ? '[^.!?\\n]' : '[^。．！？!?\\n]';
  const verbs = alt(book.verbs);
  const nouns = alt(c.nouns);
  const say = alt(c.say);
  const source = book.objectFirst
    ? `${b}${verbs}${g}{0,24}${b}${nouns}${g}{0,80}${b}${say}|${b}${nouns}${g}{0,24}${b}${verbs}${g}{0,80}${b}${say}`
    : `${b}${verbs}${g}{0,24}${b}${nouns}${g}{0,80}${b}${say}`;
  (LATIN_LANGS.has(c.lang) ? MULTILINGUAL_LATIN_RULES : MULTILINGUAL_OTHER_RULES).push({
    id: `override.ignore-the-content.${c.lang}`,
    triggers: book.verbs.map((x) => x.toLowerCase()),
    re: new RegExp(source, 'gu'),
    score: 0.55,
    untrusted: 0.75,
    negatable: false,
    owasp: ['LLM01'],
    explanation: `Tells the model to ignore the content it was given and say something else (${c.lang}).`,
  });
}

// Several of these words are plain ASCII ("passwort", "senha"), so they run on every text.
MULTILINGUAL_LATIN_RULES.push(systemPromptRule, secretRule, regardlessRule, authorityRule, personalRule);
