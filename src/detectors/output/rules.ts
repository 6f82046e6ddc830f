// Signature rules for output that becomes dangerous when a client renders or executes it.
import type { CueGroup } from '../normalize/facts.ts';

// Every pattern is linear in practice: character classes are bounded ({0,N}) and no quantified
// group can match the same text two ways, so V8's backtracking stays shallow on any input.

export interface PatternRule {
  id: string;
  re: RegExp;
  /** Score when the rule fires where it is live (rendered HTML, tool arguments). */
  score: number;
  explanation: string;
}

// ---- HTML and script in rendered output (category unsafe_output, LLM05) -------------------

export const HTML_RULES: readonly PatternRule[] = [
  { id: 'html-script', re: /<script\b/gi, score: 0.85, explanation: 'Output contains a <script> element.' },
  {
    id: 'html-event-handler',
    re: /<[a-z][^<>]{0,2000}?[\s"'/]on[a-z]{3,30}\s{0,8}=/gi,
    score: 0.8,
    explanation: 'Output contains an HTML element with an inline event handler (onerror=, onload=, ...).',
  },
  {
    id: 'script-url',
    re: /(?:\]\(\s{0,16}<?|\b(?:href|src|action|formaction|xlink:href|data|poster|background|srcdoc)\s{0,8}=\s{0,8}["']?)(?:java|vb)(?:\s|&#0*9;|&#x0*9;|&#0*1[03];|&#x0*[ad];|&tab;|&newline;){0,8}script\s{0,8}:/gi,
    score: 0.85,
    explanation: 'Output contains a javascript:/vbscript: URL in a link or attribute.',
  },
  {
    id: 'data-html-url',
    re: /(?:\]\(\s{0,16}<?|\b(?:href|src|action|formaction|xlink:href|data|srcdoc)\s{0,8}=\s{0,8}["']?)data:(?:text\/html|image\/svg\+xml|application\/xhtml\+xml)/gi,
    score: 0.75,
    explanation: 'Output contains a data: URL holding an HTML or SVG document.',
  },
  {
    id: 'html-embed',
    re: /<(?:iframe|frame|frameset|object|embed|applet)\b/gi,
    score: 0.75,
    explanation: 'Output contains an element that embeds another document (<iframe>, <object>, <embed>).',
  },
  {
    id: 'html-form',
    re: /<form\b[^<>]{0,2000}?\baction\s{0,8}=|\bformaction\s{0,8}=/gi,
    score: 0.7,
    explanation: 'Output contains a form that submits to a URL.',
  },
  {
    id: 'html-meta-refresh',
    re: /<meta\b[^<>]{0,2000}?\bhttp-equiv\s{0,8}=\s{0,8}["']?refresh/gi,
    score: 0.7,
    explanation: 'Output contains a <meta http-equiv="refresh"> redirect.',
  },
  { id: 'html-base', re: /<base\b[^<>]{0,2000}?\bhref\s{0,8}=/gi, score: 0.6, explanation: 'Output contains a <base href> that rewrites every relative link.' },
];

// ---- terminal escape sequences (unsafe_output, LLM05) ---------------------------------------
// Output shown in a terminal (CLI agents, logs) can rewrite the screen, hide text, set the window
// title or the clipboard, or plant hyperlinks whose target differs from their text.

export interface AnsiClass {
  id: string;
  score: number;
  explanation: string;
}

const ANSI_CLIPBOARD: AnsiClass = { id: 'ansi-osc52-clipboard', score: 0.9, explanation: 'Output contains an OSC 52 escape that writes the terminal clipboard.' };
const ANSI_HYPERLINK: AnsiClass = { id: 'ansi-osc8-hyperlink', score: 0.75, explanation: 'Output contains an OSC 8 terminal hyperlink (target hidden behind its text).' };
const ANSI_TITLE: AnsiClass = { id: 'ansi-title', score: 0.7, explanation: 'Output contains an escape sequence that sets the terminal title.' };
const ANSI_OSC: AnsiClass = { id: 'ansi-osc', score: 0.6, explanation: 'Output contains an operating-system-command terminal escape.' };
const ANSI_CURSOR: AnsiClass = { id: 'ansi-cursor', score: 0.7, explanation: 'Output contains terminal escapes that move the cursor, erase or conceal text.' };
const ANSI_SGR: AnsiClass = { id: 'ansi-sgr', score: 0.35, explanation: 'Output contains terminal colour/style escape sequences.' };
const ANSI_OTHER: AnsiClass = { id: 'ansi-control', score: 0.6, explanation: 'Output contains a terminal control sequence (DCS/APC/PM or C1 control).' };

// An OSC runs to BEL or ST (ESC \\); the search is bounded so an unterminated one stays cheap.
function oscEnd(text: string, from: number): number {
  const limit = Math.min(text.length, from + 8192);
  for (let k = from; k < limit; k++) {
    const c = text.charCodeAt(k);
    if (c === 0x07) return k + 1;
    if (c === 0x1b) return text[k + 1] === '\\' ? k + 2 : k;
  }
  return from;
}

const CSI_AT = /\[([0-?]{0,64})[ -/]{0,8}([@-~])/y;

/**
 * Classifies the escape sequence starting at `i` (text[i] is ESC or a C1 control). `cls` is
 * undefined for a lone string terminator (ESC \\), which only closes an earlier sequence.
 */
export function classifyEscape(text: string, i: number): { cls: AnsiClass | undefined; end: number } {
  const c = text.charCodeAt(i);
  if (c === 0x9b) return { cls: ANSI_OTHER, end: i + 1 };
  if (c === 0x9d) return { cls: ANSI_OSC, end: i + 1 };
  const next = text[i + 1];
  if (next === '\\') return { cls: undefined, end: i + 2 };
  if (next === ']') {
    const body = text.slice(i + 2, i + 6);
    const end = oscEnd(text, i + 2);
    if (/^\s?52;/.test(body)) return { cls: ANSI_CLIPBOARD, end };
    if (body.startsWith('8;')) return { cls: ANSI_HYPERLINK, end };
    if (/^[012];/.test(body)) return { cls: ANSI_TITLE, end };
    return { cls: ANSI_OSC, end };
  }
  if (next === '[') {
    CSI_AT.lastIndex = i + 1;
    const m = CSI_AT.exec(text);
    if (!m) return { cls: ANSI_OTHER, end: i + 2 };
    const params = m[1] ?? '';
    const final = m[2] ?? '';
    // SGR 8 conceals the text that follows; everything else SGR is colour and style.
    if (final === 'm') {
      const concealed = params.split(';').some((p) => p === '8');
      return { cls: concealed ? ANSI_CURSOR : ANSI_SGR, end: CSI_AT.lastIndex };
    }
    return { cls: ANSI_CURSOR, end: CSI_AT.lastIndex };
  }
  if (next === 'P' || next === 'X' || next === '^' || next === '_') return { cls: ANSI_OTHER, end: i + 2 };
  // ESC 7/8 (save/restore cursor), ESC c (reset), ESC M (reverse index) rewrite the screen too.
  if (next === '7' || next === '8' || next === 'c' || next === 'M' || next === 'D' || next === 'E') return { cls: ANSI_CURSOR, end: i + 2 };
  return { cls: ANSI_OTHER, end: i + 1 };
}

// ---- commands, SQL and paths (tool_abuse, LLM06) ----------------------------------------------

const any = (...literals: string[]): CueGroup[] => [{ literals }];
const words = (...literals: string[]): CueGroup[] => [{ literals, word: true }];

export interface ToolRule extends PatternRule {
  family: 'shell' | 'sql' | 'path';
  /**
   * Literals the pattern cannot match without (case-insensitive): for every entry, some literal of
   * its groups must occur in the text, or the rule is skipped. Answered by the shared character
   * pass (normalize/facts.ts).
   */
  needs: readonly (readonly CueGroup[])[];
  /**
   * Score when the same text appears in an ordinary answer instead of tool arguments; undefined
   * when the rule only means something inside arguments (backticks and `;` are everywhere in prose
   * and markdown). An answer is read by a person first, so even destructive commands score lower.
   */
  answerScore?: number;
  /** Score inside arguments of a tool that is meant to take this kind of input (a shell, a SQL runner). */
  nativeScore?: number;
}

const SHELL_NAMES = String.raw`(?:sudo\s{1,8})?(?:ba|z|k|da|c|tc)?sh\b`;

export const TOOL_RULES: readonly ToolRule[] = [
  {
    id: 'shell-download-exec',
    needs: [any('curl', 'wget', 'fetch', 'iwr', 'invoke-webrequest'), any('|')],
    family: 'shell',
    re: new RegExp(String.raw`\b(?:curl|wget|fetch|iwr|Invoke-WebRequest)\b[^|\n;]{0,500}\|\s{0,8}(?:${SHELL_NAMES}|python\d?\b|perl\b|iex\b)`, 'gi'),
    score: 0.9,
    answerScore: 0.25,
    explanation: 'Downloads a script and pipes it into an interpreter.',
  },
  {
    id: 'shell-pipe-to-shell',
    needs: [any('|'), any('sh')],
    family: 'shell',
    re: new RegExp(String.raw`\|\s{0,8}${SHELL_NAMES}`, 'gi'),
    score: 0.7,
    nativeScore: 0.5,
    explanation: 'Pipes data into a shell.',
  },
  {
    id: 'shell-rm-recursive',
    needs: [words('rm')],
    family: 'shell',
    // Needs a recursive flag and a target that is the root, home or current directory itself,
    // so `rm -f /tmp/build.log` stays quiet.
    re: /\brm\s{1,8}(?=(?:[^\n;|&]{0,200}?\s)?-(?:[a-zA-Z]{0,10}[rR]|-recursive\b))(?:-{1,2}[\w-]{1,20}\s{1,8}){1,6}(?:\/\*?|~\/?\*?|\*|\$HOME\/?\*?|\.{1,2}\/?\*?)(?=[\s;&|"'`)]|$)/gi,
    score: 0.95,
    answerScore: 0.5,
    explanation: 'Recursively deletes the root, home or current directory (rm -rf /).',
  },
  {
    id: 'shell-chained-command',
    needs: [any(';', '&&', '||')],
    family: 'shell',
    re: /(?:;|&&|\|\|)\s{0,8}(?:rm|curl|wget|nc|ncat|netcat|bash|sh|zsh|chmod|chown|python\d?|perl|ruby|php|powershell|pwsh|cmd|eval|exec|sudo|dd|mkfs|shutdown|reboot|kill|killall|cat\s{1,8}\/etc)\b/gi,
    score: 0.65,
    nativeScore: 0.15,
    explanation: 'Chains an extra command (; rm, && curl, ...) onto an argument.',
  },
  {
    id: 'shell-command-substitution',
    needs: [any('$(')],
    family: 'shell',
    re: /\$\([^()\n]{1,500}\)/g,
    score: 0.6,
    nativeScore: 0.15,
    explanation: 'Contains shell command substitution $(...).',
  },
  {
    id: 'shell-backticks',
    needs: [any('`')],
    family: 'shell',
    re: /`\s{0,4}(?:[a-z][\w.-]{0,30})(?:\s[^`\n]{0,400})?`/g,
    score: 0.45,
    nativeScore: 0.1,
    explanation: 'Contains a backtick command substitution.',
  },
  {
    id: 'shell-fork-bomb',
    needs: [any('{'), any('|'), any('&')],
    family: 'shell',
    re: /:\s{0,4}\(\s{0,4}\)\s{0,4}\{\s{0,4}:\s{0,4}\|\s{0,4}:\s{0,4}&\s{0,4}\}\s{0,4};\s{0,4}:/g,
    score: 0.95,
    answerScore: 0.6,
    explanation: 'Contains a fork bomb.',
  },
  {
    id: 'shell-mkfs',
    needs: [any('mkfs')],
    family: 'shell',
    re: /\bmkfs(?:\.[a-z0-9]{1,10})?\s/gi,
    score: 0.85,
    answerScore: 0.35,
    explanation: 'Formats a file system (mkfs).',
  },
  {
    id: 'shell-device-write',
    needs: [any('/dev/')],
    family: 'shell',
    re: /(?:>\s{0,4}|\bof=)\/dev\/(?!null\b|zero\b|stderr\b|stdout\b|stdin\b|tty\b|fd\/)[a-z]/gi,
    score: 0.9,
    answerScore: 0.35,
    explanation: 'Writes directly to a device (> /dev/sda, dd of=/dev/...).',
  },
  {
    id: 'shell-reverse-shell',
    needs: [[...any('/dev/', 'mkfifo', 'bash'), ...words('nc', 'ncat', 'netcat')]],
    family: 'shell',
    re: /\/dev\/(?:tcp|udp)\/|\bn(?:c|cat|etcat)\b[^\n|;]{0,100}\s-[a-z]{0,4}e\s|\bbash\s{1,8}-i\b[^\n]{0,60}>&|\bmkfifo\b[^\n]{0,100}\bn(?:c|cat)\b/gi,
    score: 0.9,
    answerScore: 0.55,
    explanation: 'Opens a reverse shell.',
  },
  {
    id: 'shell-decode-exec',
    needs: [any('base64'), any('|')],
    family: 'shell',
    re: new RegExp(String.raw`\bbase64\s{1,8}(?:-d|--decode|-D)\b[^\n]{0,200}\|\s{0,8}${SHELL_NAMES}`, 'gi'),
    score: 0.9,
    answerScore: 0.5,
    explanation: 'Decodes an encoded payload and runs it.',
  },
  {
    id: 'shell-chmod-world',
    needs: [any('chmod')],
    family: 'shell',
    re: /\bchmod\s{1,8}(?:-R\s{1,8})?0?777\s{1,8}\/(?:\s|$|etc|usr|bin|var|home|root)/gi,
    score: 0.75,
    answerScore: 0.3,
    explanation: 'Makes system directories world-writable.',
  },
  {
    id: 'sql-drop',
    needs: [any('drop')],
    family: 'sql',
    re: /\bDROP\s{1,8}(?:TABLE|DATABASE|SCHEMA|USER|VIEW)\b/gi,
    score: 0.85,
    answerScore: 0.25,
    explanation: 'Drops a database object (DROP TABLE/DATABASE).',
  },
  {
    id: 'sql-truncate',
    needs: [any('truncate')],
    family: 'sql',
    re: /\bTRUNCATE\s{1,8}TABLE\b/gi,
    score: 0.8,
    answerScore: 0.2,
    explanation: 'Empties a table (TRUNCATE TABLE).',
  },
  {
    id: 'sql-stacked-query',
    needs: [any(';')],
    family: 'sql',
    re: /;\s{0,8}(?:DELETE\s{1,8}FROM|DROP\s|TRUNCATE\s|UPDATE\s{1,8}\S{1,128}\s{1,8}SET\b|INSERT\s{1,8}INTO|ALTER\s{1,8}(?:TABLE|USER)|GRANT\s|EXEC(?:UTE)?\s|SHUTDOWN\b)/gi,
    score: 0.85,
    nativeScore: 0.5,
    explanation: 'Stacks a second, modifying SQL statement after a terminator (; DELETE FROM ...).',
  },
  {
    id: 'sql-tautology',
    needs: [any('=')],
    family: 'sql',
    re: /'\s{0,4}(?:OR|\|\|)\s{1,4}'?(\w{1,10})'?\s{0,4}=\s{0,4}'?\1\b|\bOR\s{1,4}(\d{1,6})\s{0,4}=\s{0,4}\2\b/gi,
    score: 0.85,
    nativeScore: 0.6,
    explanation: "Contains an always-true SQL condition (' OR '1'='1).",
  },
  {
    id: 'sql-union-select',
    needs: [any('union')],
    family: 'sql',
    re: /\bUNION\s{1,8}(?:ALL\s{1,8})?SELECT\b/gi,
    score: 0.75,
    nativeScore: 0.2,
    explanation: 'Contains UNION SELECT, the usual way to read other tables through an injection.',
  },
  {
    id: 'sql-comment-terminator',
    needs: [any("'")],
    family: 'sql',
    re: /'\s{0,4}(?:--|#|\/\*)/g,
    score: 0.6,
    nativeScore: 0.3,
    explanation: 'Closes a string literal and comments out the rest of the query.',
  },
  {
    id: 'sql-unbounded-delete',
    needs: [any('delete')],
    family: 'sql',
    re: /\bDELETE\s{1,8}FROM\s{1,8}[\w."`[\]]{1,128}\s{0,8}(?:;|$)/gim,
    score: 0.7,
    nativeScore: 0.6,
    explanation: 'Deletes every row of a table (DELETE without WHERE).',
  },
  {
    id: 'sql-dangerous-function',
    needs: [any('xp_cmdshell', 'outfile', 'dumpfile', 'load_file', 'program')],
    family: 'sql',
    re: /\bxp_cmdshell\b|\bINTO\s{1,8}(?:OUT|DUMP)FILE\b|\bLOAD_FILE\s{0,4}\(|\bCOPY\b[^;\n]{0,200}\bPROGRAM\b/gi,
    score: 0.85,
    nativeScore: 0.75,
    explanation: 'Uses a SQL feature that reaches the file system or the OS shell.',
  },
  {
    id: 'sql-time-based',
    needs: [any('sleep', 'benchmark', 'waitfor')],
    family: 'sql',
    re: /\b(?:SLEEP|pg_sleep|BENCHMARK)\s{0,4}\(|\bWAITFOR\s{1,8}DELAY\b/gi,
    score: 0.65,
    nativeScore: 0.4,
    explanation: 'Contains a time-delay function used for blind SQL injection.',
  },
  {
    id: 'path-traversal',
    needs: [any('../', '..\\', '..%', '%2e%2e', '%252e')],
    family: 'path',
    re: /(?:\.\.[/\\]){2,}|(?:\.\.|%2e%2e)(?:%2f|%5c)|(?:%252e){2}/gi,
    score: 0.75,
    explanation: 'Contains a path traversal sequence (../../).',
  },
  {
    id: 'path-sensitive-file',
    needs: [any('/etc/', '.ssh/', '.aws/', '/proc/self/', 'system32', '.kube/', '.docker/', '.git-credentials')],
    family: 'path',
    re: /\/etc\/(?:passwd|shadow|sudoers|gshadow)\b|\.ssh\/(?:id_[a-z0-9]{1,10}|authorized_keys)\b|\.aws\/credentials\b|\/proc\/self\/(?:environ|mem|cmdline)|[A-Za-z]:\\{1,2}Windows\\{1,2}System32\\{1,2}config|\.kube\/config\b|\.docker\/config\.json|\.git-credentials\b/gi,
    score: 0.8,
    explanation: 'Points at a credential or system file (/etc/passwd, ~/.ssh/id_rsa, ...).',
  },
  {
    id: 'path-file-url',
    needs: [any('file:/')],
    family: 'path',
    re: /\bfile:\/\/\/?(?:etc|proc|home|root|Users|var|[A-Za-z]:)/gi,
    score: 0.7,
    explanation: 'Contains a file:// URL into the local file system.',
  },
];

/** Tools that are meant to take shell commands: their arguments are commands by design. */
export const SHELL_TOOL = /(?:^|[_\-.\s])(?:shell|bash|sh|zsh|exec|execute|run|command|cmd|terminal|powershell|subprocess|system|script)(?:$|[_\-.\s])|^(?:shell|bash|exec|run|terminal|cmd)/i;
/** Tools that are meant to take SQL. */
export const SQL_TOOL = /sql|query|database|(?:^|[_\-.])db(?:$|[_\-.])/i;
