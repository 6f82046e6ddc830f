// Secrets recognised by structure rather than by vendor: private-key blocks, JWTs, credentials in
// URLs and connection strings, Authorization headers, and generic `password = "…"` assignments.
import { isBasicCredential, isJoseHeader, isJsonSegment } from '../checks.ts';
import { charClasses, decodeBase64, distinctChars, isPlaceholder, shannonEntropy } from '../entropy.ts';
import { custom } from '../rule.ts';
import type { Candidate, SecretRule, Verdict } from '../rule.ts';

// ---- private keys ---------------------------------------------------------------------------

const PEM_END_WINDOW = 16_384;
const BASE64_CHAR = /[A-Za-z0-9+/=]/;

/**
 * Extends a BEGIN header to its END footer (or, for a truncated paste, to the end of the base64 run)
 * and checks the body looks like key material, not "…", "xxx" or a short example. Plain indexOf and
 * a linear walk: no regex spans the body, so there is nothing to backtrack over.
 */
function pemBlock(c: Candidate): Verdict {
  const { text } = c;
  const bodyStart = c.match.index + c.match[0].length;
  const limit = Math.min(text.length, bodyStart + PEM_END_WINDOW);
  const endAt = text.indexOf('-----END', bodyStart);
  let bodyEnd: number;
  let spanEnd: number;
  if (endAt !== -1 && endAt < limit) {
    bodyEnd = endAt;
    const close = text.indexOf('-----', endAt + 8);
    spanEnd = close !== -1 && close - endAt < 80 ? close + 5 : endAt + 8;
  } else {
    // Truncated: base64 lines, literal "\n" escapes, and PEM headers such as "Proc-Type: 4,ENCRYPTED".
    let i = bodyStart;
    while (i < limit) {
      const ch = text[i]!;
      if (BASE64_CHAR.test(ch) || ch === '\n' || ch === '\r' || ch === ' ' || ch === '\t') i++;
      else if (ch === '\\' && text[i + 1] === 'n') i += 2;
      else break;
    }
    bodyEnd = i;
    spanEnd = i;
  }
  let b64 = '';
  for (const line of text.slice(bodyStart, bodyEnd).split(/\\n|\r?\n/)) {
    // Armor headers ("Proc-Type:", "DEK-Info:", "Version:", "Comment:") are not key material.
    if (line.includes(':')) continue;
    b64 += line.replace(/[^A-Za-z0-9+/=]/g, '');
  }
  if (b64.length < 64 || shannonEntropy(b64) < 4.5 || isPlaceholder(b64, true)) return false;
  const kind = /BEGIN ([A-Z0-9 ]{1,30}?) ?PRIVATE/.exec(c.match[0])?.[1];
  return { start: c.match.index, end: spanEnd, title: kind ? `${kind} private key block` : 'Private key block' };
}

// ---- JSON Web Tokens ------------------------------------------------------------------------

// jwt.io's sample token (sub "1234567890", name "John Doe") is the JWT every tutorial pastes, the
// way AKIAIOSFODNN7EXAMPLE is for AWS.
const JWT_IO_SAMPLE = /"sub"\s*:\s*"1234567890"\s*,\s*"name"\s*:\s*"John Doe"/;

const jwt = (c: Candidate): boolean => {
  const [h, p] = c.value.split('.');
  if (h === undefined || p === undefined || !isJoseHeader(h) || !isJsonSegment(p)) return false;
  return !JWT_IO_SAMPLE.test(decodeBase64(p) ?? '');
};

// ---- credentials in URLs --------------------------------------------------------------------

// A URL's own structure is strong evidence, so only stand-ins are dropped here: weak but real
// passwords ("pass", "secret123") stay reported, template words and masks do not.
const URL_PASSWORD_PLACEHOLDERS = /^(?:password|passwd|pwd|mypassword|yourpassword|your_password|changeme|x{2,}|\*+|\.+)$/i;

function urlPassword(c: Candidate): Verdict {
  const pw = decodeURIComponentSafe(c.value);
  if (pw.length < 4 || URL_PASSWORD_PLACEHOLDERS.test(pw) || /[{}<>$%]/.test(pw)) return false;
  if (/your|example|replace|placeholder|redacted/i.test(pw) || distinctChars(pw, 2) < 2) return false;
  // The user part equal to the password ("user:user@") is a template, not a credential.
  const user = c.match[1];
  if (user !== undefined && user.toLowerCase() === pw.toLowerCase()) return false;
  return true;
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

// ---- generic assignments --------------------------------------------------------------------

// The identifier's last meaningful word must name a secret. Words are split on _ . - and camelCase.
const SECRET_HEADS = new Set([
  'password',
  'passwd',
  'pwd',
  'pass',
  'passphrase',
  'passcode',
  'secret',
  'token',
  'apikey',
  'key',
  'credential',
  'credentials',
  'auth',
  'pat',
]);
// Trailing words that do not change what the identifier holds ("client_secret_value").
const FILLER_TAILS = new Set(['value', 'val', 'str', 'string', 'b64', 'base64', 'hex', 'enc', 'encoded', 'raw', 'plain', 'plaintext', 'text']);
// Words that make the identifier about something else: metadata of a secret, public material, UI.
const DENY_WORDS = new Set([
  'public',
  'pub',
  'publishable',
  'id',
  'ids',
  'name',
  'names',
  'file',
  'filename',
  'path',
  'dir',
  'url',
  'uri',
  'endpoint',
  'host',
  'size',
  'length',
  'len',
  'type',
  'format',
  'version',
  'count',
  'field',
  'column',
  'prefix',
  'suffix',
  'hint',
  'policy',
  'mode',
  'algorithm',
  'algo',
  'alg',
  'label',
  'ref',
  'expiry',
  'expires',
  'expiration',
  'timeout',
  'ttl',
  'header',
  'csrf',
  'xsrf',
  'pattern',
  'regex',
  'template',
  'placeholder',
  'example',
  'sample',
  'description',
  'desc',
  'title',
  'min',
  'max',
  'strength',
  'reset',
  'forgot',
  'hash',
  'hashed',
  'salt',
  'digest',
  'checksum',
  'fingerprint',
  'provider',
  'method',
  'scope',
  'location',
  'store',
  'manager',
  'class',
  'kind',
  'enabled',
  'required',
  'flag',
  'status',
  'input',
  'output',
  'prompt',
  'completion',
  'usage',
  'limit',
  'next',
  'page',
  'continuation',
  'cancellation',
  'cancel',
  'sort',
  'partition',
  'primary',
  'foreign',
  'cache',
  'lookup',
  'idempotency',
  'event',
  'map',
  'dict',
  'registry',
  'index',
  'routing',
  'bucket',
  'translation',
  'i18n',
  'locale',
  'keyboard',
  'hot',
  'shortcut',
  'row',
  'item',
  'list',
  'vault',
  'kms',
  'tokenizer',
  'lexer',
  'parser',
  'syntax',
  'eos',
  'bos',
  'pad',
  'unk',
  'sep',
  'cls',
  'mask',
  'special',
  'stop',
  'schema',
]);

function identifierWords(id: string): string[] {
  return id
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[\s_.-]+/)
    .filter((w) => w.length > 0);
}

/** Whether an identifier such as `DB_PASSWORD`, `clientSecret` or `spring.datasource.password` names a secret. */
export function namesSecret(identifier: string): boolean {
  const words = identifierWords(identifier);
  while (words.length > 1 && FILLER_TAILS.has(words[words.length - 1]!)) words.pop();
  const head = words[words.length - 1];
  if (head === undefined || !SECRET_HEADS.has(head)) return false;
  for (const w of words) if (DENY_WORDS.has(w)) return false;
  // A bare "key" is a map key, a config key, a sort key…; it needs a qualifier ("api_key", "secretKey").
  if (head === 'key' && words.length < 2) return false;
  return true;
}

const IDENT_CHAR = /[A-Za-z0-9_.-]/;
// Values that are code, not data: a dotted member path, snake_case / SCREAMING_SNAKE / camelCase
// identifiers. Random tokens practically never have the strict word shapes these require.
const CODE_REFERENCE = /^(?:[A-Za-z_$][\w$]{0,60}(?:\.[A-Za-z_$][\w$]{0,60}){1,8}|[a-z][a-z0-9]{0,30}(?:_[a-z0-9]{1,30}){1,8}|[A-Z][A-Z0-9]{0,30}(?:_[A-Z0-9]{1,30}){1,8}|[a-z]{1,30}(?:[A-Z][a-z]{1,30}){1,8}\d{0,2}|true|false|null|none)$/;
const NOT_A_SECRET_VALUE = /^(?:https?:|ftp:|file:|\/|\.\/|~\/|[A-Za-z]:\\)|@[a-z0-9-]+\.[a-z]{2,}$|^\d{1,4}(?:[./-]\d{1,4}){1,3}$|^v?\d+(?:\.\d+){1,3}(?:[-+][\w.]{1,20})?$|^#[0-9a-fA-F]{3,8}$/;

function genericAssignment(c: Candidate): Verdict {
  const { text, match } = c;
  const idx = match.indices;
  if (!idx) return false;
  // Walk back from the keyword to the start of the identifier it sits in.
  const kwStart = match.index;
  let idStart = kwStart;
  while (idStart > 0 && kwStart - idStart < 40 && IDENT_CHAR.test(text[idStart - 1]!)) idStart--;
  const nameEnd = idx[1]?.[1] ?? kwStart;
  const identifier = text.slice(idStart, nameEnd);
  if (!namesSecret(identifier)) return false;

  let value = c.value;
  let end = c.end;
  // Unquoted values swallow sentence punctuation: "my password is hunter22."
  while (value.length > 0 && /[.,;:!?)\]}]$/.test(value)) {
    value = value.slice(0, -1);
    end--;
  }
  const isPassword = /pass|pwd/i.test(identifier);
  if (value.length < (isPassword ? 6 : 8) || value.length > 200) return false;
  if (isPlaceholder(value, true) || CODE_REFERENCE.test(value) || NOT_A_SECRET_VALUE.test(value)) return false;
  // JWTs have their own rule, which knows the tutorial samples.
  if (/^eyJ[\w-]{4,}\.eyJ/.test(value)) return false;
  if (/\s/.test(value) && !isPassword) return false;
  const cls = charClasses(value);
  const letters = cls.lower + cls.upper;
  const h = shannonEntropy(value);
  let ok: boolean;
  if (isPassword) {
    ok = letters > 0 && (cls.digit > 0 || cls.other > 0) && h >= 2.5;
  } else {
    ok =
      (letters > 0 && cls.digit > 0 && h >= 3 && value.length >= 10) ||
      (value.length >= 20 && cls.upper > 0 && cls.lower > 0 && h >= 3.5);
  }
  if (!ok) return false;
  const score = Math.min(0.8, 0.55 + Math.max(0, h - 3) * 0.1 + (value.length >= 20 ? 0.05 : 0));
  return { start: c.start, end, score };
}

// Credentials in a URL: the scheme is checked by a lookbehind so the regex starts at the literal "://"
// (V8 can skip to it) rather than at every letter of the text.
// Separator between a name and its value: quotes/brackets closing the name, then =, :=, ::=, ?=, :,
// =>, "(", or " is "/" was " in prose; a comma only right after a quoted name (`getenv("API_TOKEN",
// "…")`), since a bare comma separates list items. Blank runs are bounded.
const SEP = String.raw`(?:["'\]]{0,2}[ \t]{0,3}(?::{1,3}=|\?=|=>|[=:(]|(?:is|was)(?=[ \t]))|["']{1,2}[ \t]{0,3},)[ \t]{0,3}`;
// A quoted value (any characters but the quote) or a bare run without blanks and delimiters.
const VALUE = String.raw`(?:"([^"\r\n]{6,200})"|'([^'\r\n]{6,200})'|\x60([^\x60\r\n]{6,200})\x60|([^\s"'\x60,;&<>(){}\[\]]{6,200}))`;

export const STRUCTURAL_RULES: SecretRule[] = [
  custom('private-key', 'Private key block', ['private key'], /-----BEGIN[ A-Z0-9]{0,30}PRIVATE KEY(?: BLOCK)?-----/dg, {
    score: 0.99,
    severity: 'critical',
    placeholder: 'none',
    verify: pemBlock,
  }),
  custom('putty-private-key', 'PuTTY private key', ['putty-user-key-file-'], /PuTTY-User-Key-File-[23]: [a-z0-9-]{4,40}/dg, {
    score: 0.95,
    severity: 'critical',
    placeholder: 'none',
    anchored: true,
    verify: (c) => {
      const at = c.text.indexOf('Private-Lines:', c.end);
      if (at === -1 || at - c.end > 4000) return false;
      const mac = c.text.indexOf('Private-MAC:', at);
      return { start: c.start, end: mac !== -1 && mac - at < 8000 ? Math.min(c.text.length, mac + 12 + 65) : at + 14 };
    },
  }),
  custom('jwt', 'JSON Web Token', ['eyj'], /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,1000}\.eyJ[A-Za-z0-9_-]{8,6000}\.[A-Za-z0-9_-]{0,1000}(?![A-Za-z0-9_-])/dg, {
    score: 0.85,
    severity: 'high',
    placeholder: 'markers',
    anchored: true,
    verify: jwt,
  }),
  custom(
    'database-connection-string',
    'Database connection string with password',
    ['://'],
    /(?<=(?<![A-Za-z0-9+.-])(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|redis|rediss|amqps?|mssql|sqlserver|jdbc:[a-z]{2,12}|clickhouse|cockroachdb|couchdb|neo4j(?:\+s)?|bolt|cassandra|oracle|db2|snowflake|rabbitmq|nats|kafka|memcached|elasticsearch|influxdb)(?:\+[a-z0-9]{2,12})?):\/\/([^\s:@/"'<>]{1,100}):([^\s/"'<>]{1,200})@[A-Za-z0-9._-]{1,255}/dg,
    { score: 0.9, severity: 'critical', placeholder: 'none', valueGroup: 2, anchored: true, verify: urlPassword },
  ),
  custom(
    'basic-auth-url',
    'Password in URL (basic auth)',
    ['://'],
    /(?<=(?<![A-Za-z0-9+.-])(?:https?|ftps?|sftp|ssh|git|svn|smb|ldaps?|smtps?|imaps?|pop3s?|ws|wss|socks5?)):\/\/([^\s:@/"'<>]{1,100}):([^\s/"'<>]{1,200})@[A-Za-z0-9._-]{1,255}/dg,
    { score: 0.85, severity: 'high', placeholder: 'none', valueGroup: 2, anchored: true, verify: urlPassword },
  ),
  custom('authorization-basic', 'HTTP Basic credentials', ['basic '], /(?i:basic)[ \t]{1,3}([A-Za-z0-9+/]{8,400}={0,2})(?![A-Za-z0-9+/=])/dg, {
    score: 0.85,
    severity: 'high',
    placeholder: 'markers',
    anchored: true,
    verify: (c) => isBasicCredential(c.value) && /(?:authori[sz]ation|auth)["']?[ \t]{0,3}[:=]["' \t]{0,4}$/i.test(c.text.slice(Math.max(0, c.match.index - 40), c.match.index)),
  }),
  custom('authorization-bearer', 'Bearer token', ['bearer'], /(?i:bearer)[ \t]{1,3}([A-Za-z0-9._~+/-]{20,4000}={0,2})(?![A-Za-z0-9._~+/=-])/dg, {
    score: 0.75,
    severity: 'high',
    minEntropy: 3.5,
    placeholder: 'strict',
    anchored: true,
    verify: (c) => /[0-9]/.test(c.value) && /[A-Za-z]/.test(c.value),
  }),
  custom('netrc-password', '.netrc password', ['machine'], /machine[ \t]{1,4}[^\s]{1,200}[ \t\r\n]{1,8}login[ \t]{1,4}[^\s]{1,200}[ \t\r\n]{1,8}password[ \t]{1,4}([^\s]{4,200})/dg, {
    score: 0.85,
    severity: 'high',
    placeholder: 'strict',
    anchored: true,
  }),
  custom(
    'generic-secret-assignment',
    'Secret assigned to a credential-named field',
    ['pass', 'pwd', 'secret', 'token', 'key', 'auth', 'credential'],
    new RegExp(String.raw`(?i:passw(?:or)?d|passphrase|passwd|passcode|pass|pwd|secret|token|api[_.-]?key|apikey|auth|credentials?|key)([A-Za-z0-9_.-]{0,30})` + SEP + VALUE, 'dg'),
    { score: 0.7, severity: 'medium', placeholder: 'none', valueGroup: 2, anchored: true, verify: genericAssignment },
  ),
];
