// A small list of very common English words, written for this project. It is used only for cheap
// "does this read like English?" checks: whether a rot13/reversed/decoded view is worth scanning,
// and how much of a trailing run of tokens is made of real words (adversarial suffixes).
// Nothing at run time reads a dictionary from outside the repository.

const WORDS = `
a about above across act add after again against age ago agree ah air all allow almost alone along
already also although always am among an and animal another answer any anyone anything appear apply
are area arm around art as ask at away back bad ball bank base be beautiful became because become
bed been before began begin behind being believe below best better between big bill bit black blood
blue board boat body book both box boy break bring brother brought build building business but buy
by call came can car care carry case cat cause center certain change character child children city
class clear close cold color come common company complete condition consider contain continue control
cost could country course cover create cross cut dark data day dead deal death decide deep describe
design detail develop did die difference different direct do doctor does dog done door down draw
dream drive drop during each early earth easy eat economic effect eight either else end enough enter
entire even evening event ever every everyone everything example experience explain eye face fact fall
family far fast father fear feel feet few field fight figure fill final find fine fire first fish
five floor fly follow food foot for force forget form forward four free friend from front full fun
game gave general get girl give given go god goes going gold gone good got government great green
ground group grow had half hand happen happy hard has have he head hear heard heart help her here
high him himself his history hold home hope horse hot hour house how however human hundred i idea
if ignore image important in include including information inside instead instruction instructions
interest into is it its itself job join just keep kind king knew know land language large last late
later law lead learn least leave left less let letter life light like line list listen little live
long look lose lost lot love low machine made main make man many map mark market matter may me mean
measure meet member men message method middle might mind minute miss model moment money month more
morning most mother move much music must my myself name nation natural near need never new news next
night no none nor north not note nothing notice now number of off offer office often oh old on once
one only open or order other our out outside over own page paper part party pass past pay people
perhaps period person picture piece place plan plant play please point police poor position possible
power prepare present president pretty previous print prior probably problem process produce program
prompt provide public pull put question quickly quite race rain raise ran rather reach read ready
real really reason receive record red remember repeat reply report response rest result return reveal
right river road rock role room rule rules run said same saw say school sea second secret see seem
seen sell send sense sentence serve set several shall she ship short should show side simple since
sing sister sit six size sky small so social some someone something sometimes son song soon sound
south space speak special spring stand start state stay step still stop story street strong student
study such summer sun sure system table take talk task teach team tell ten test text than thank that
the their them themselves then there these they thing things think third this those though thought
thousand three through time to today together told too took top toward town tree true try turn two
under understand until up upon us use used user usually very voice wait walk wall want war warm was
watch water way we week well went were west what when where whether which while white who whole
whose why wide wife will win wind window winter wish with within without woman women word words work
world would write written wrong year yes yet you young your yourself
`;

/** The common-word set (lower case). */
export const COMMON_WORDS: ReadonlySet<string> = new Set(WORDS.split(/\s+/).filter((w) => w.length > 0));

// Words that matter for attacks but are too rare for the list above; used when deciding whether a
// disguised token (leetspeak, look-alike letters) spelled something worth unmasking.
const ATTACK_VOCABULARY = `
abuse admin anything bomb bypass censor censored chemical code confidential credentials dan
delete developer directions directive directives disable disregard drug drugs exploit explosive
explosives filter filters forget guidelines hack hacker hacking harm hidden illegal inject
instruction jailbreak jailbroken kill leak malware meth mode now override passcode password
passwords persona pretend prompts reset restricted restriction restrictions reveal rule secrets
shell steal sudo system's unfiltered uncensored unlock unrestricted virus weapon weapons
`;
const ATTACK_WORDS: ReadonlySet<string> = new Set(ATTACK_VOCABULARY.split(/\s+/).filter((w) => w.length > 0));

/** Whether a lower-case token is a common English word or attack vocabulary. */
export function isKnownWord(w: string): boolean {
  return COMMON_WORDS.has(w) || ATTACK_WORDS.has(w);
}

const WORD_RE = /[a-z]+(?:'[a-z]+)?/g;

/**
 * Share of word tokens (lower-cased ASCII letters) that are common English words, and how many
 * tokens were seen. Looks at no more than `maxTokens` tokens so it stays cheap on large texts.
 */
export function englishRate(text: string, maxTokens = 400): { rate: number; tokens: number; hits: number } {
  const lower = text.toLowerCase();
  let tokens = 0;
  let hits = 0;
  WORD_RE.lastIndex = 0;
  for (let m = WORD_RE.exec(lower); m !== null && tokens < maxTokens; m = WORD_RE.exec(lower)) {
    tokens++;
    if (COMMON_WORDS.has(m[0])) hits++;
  }
  return { rate: tokens === 0 ? 0 : hits / tokens, tokens, hits };
}
