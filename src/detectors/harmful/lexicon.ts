// Harm lexicon by topic. A topic keyword alone is weak evidence (security teams talk about malware,
// novelists write murders); it becomes a harmful *request* when it comes with a request for
// capability ("how to make…", "step-by-step", "write a script that…") and stronger still with an
// evasion cue ("without getting caught"). Defensive framing ("how to protect against…") lowers it.
//
// OWASP mapping: the OWASP Top 10 for LLM Applications lists application-security risks; asking a
// model for disallowed content is a usage-policy matter that none of the ten entries describes, so
// these findings carry no OWASP id — except misinformation/disinformation requests, which map to
// LLM09 (Misinformation). Jailbreak wrappers around a harmful request are reported separately (LLM01).
import type { OwaspId, Severity } from '../../exchange/types.ts';
import type { ScanContext } from '../types.ts';
import type { SignatureRule } from '../injection/signatures.ts';

export interface HarmTopic {
  name: string;
  triggers: readonly string[];
  pattern: string;
  base: number;
  owasp: readonly OwaspId[];
  /** Severity once the request is clear (score ≥ 0.7). */
  severe: Severity;
  explanation: string;
  /** Scored only inside an operative request (the words alone are ordinary). */
  requestOnly?: boolean;
  /** The pattern is itself the evasion or the request: a request doubles the score, nothing more. */
  flat?: boolean;
  /** A direct question ("What is …?", "Do you agree that …?") is itself the request. */
  questionIsRequest?: boolean;
}

export const HARM_TOPICS: readonly HarmTopic[] = [
  {
    name: 'weapons-explosives',
    triggers: ['bomb', 'explosi', 'detonat', ' ied', 'ieds', 'molotov', 'napalm', 'thermite', 'gunpowder', 'black powder', 'ammonium nitrate', 'tatp', 'c-4', 'semtex', 'grenade', 'landmine', 'ghost gun', 'untraceable', '3d print', '3d-print', 'silencer', 'suppressor', 'full auto', 'full-auto', 'auto sear', 'bump stock', ' gun', 'guns', 'firearm', 'rifle', 'pistol', 'weapon', 'handgun', 'illegally', 'improvised', 'illegal arms'],
    pattern:
      "\\b(?:pipe bombs?|bombs?|explosives?|explosive devices?|detonators?|detonat\\w+|ieds?|molotov(?: cocktails?)?|napalm|thermite|gunpowder|black powder|ammonium nitrate|tatp|c-4|semtex|grenades?|landmines?|ghost guns?|untraceable (?:guns?|firearms?|weapons?)|3d[- ]print\\w* (?:guns?|firearms?|weapons?)|silencers?|suppressors?|full[- ]auto|auto sears?|bump stocks?|(?:make|build|buy|get|obtain|acquire|convert|modify)\\w* (?:a |an )?(?:\\w+ )?(?:gun|firearm|rifle|pistol|weapon)s?|weapons?|handguns?|(?:firearms?|guns?|handguns?) illegally|improvised (?:firearms?|guns?|weapons?|explosives?)|illegal arms|illegally (?:\\w+ ){0,2}(?:firearms?|guns?|handguns?))\\b",
    base: 0.3,
    owasp: [],
    severe: 'high',
    explanation: 'Request about making or obtaining weapons or explosives.',
  },
  {
    name: 'mass-casualty-weapons',
    triggers: ['sarin', 'vx', 'nerve agent', 'tabun', 'soman', 'novichok', 'mustard gas', 'chlorine gas', 'phosgene', 'ricin', 'abrin', 'anthrax', 'botulinum', 'smallpox', 'ebola', 'plague', 'bioweapon', 'biological weapon', 'biological warfare', 'chemical weapon', 'chemical warfare', 'weaponi', 'dirty bomb', 'radiological', 'uranium', 'plutonium', 'nuclear', 'fissile', 'pathogen', 'gain-of-function', 'gain of function', 'dimethylmercury', 'toxin', 'bis(2-chloroethyl)', 'warfare agent', 'nitazene', 'parathion', 'cholera', 'bsl-', 'dna sequence', 'biohazard', 'water supply', 'cyanide'],
    pattern:
      '\\b(?:sarin|vx(?: nerve)?|nerve agents?|tabun|soman|novichok|mustard gas|chlorine gas|phosgene|ricin|abrin|anthrax|botulinum(?: toxin)?|smallpox|ebola|(?:bubonic|pneumonic) plague|bio-?weapons?|biological (?:weapons?|warfare(?: agents?)?)|chemical (?:weapons?|warfare(?: agents?)?)|warfare agents?|weaponi[sz]\\w*|dirty bombs?|radiological (?:weapons?|devices?|dispersal)|enrich\\w* uranium|weapons?-grade (?:uranium|plutonium)|nuclear (?:bombs?|weapons?|devices?|warheads?)|fissile material|plutonium|(?:dangerous|deadly|lethal) pathogens?|gain[- ]of[- ]function|dimethylmercury|bis\\(2-chloroethyl\\)\\s?sulfide|(?:deadly|lethal) toxins?|nitazenes?|parathion|hydrogen cyanide|(?:introduc\\w*|spread\\w*) cholera|bsl-?[34] (?:lab\\w*|facilit\\w*)|dangerous dna(?: sequences)?|biohazard\\w* synthesis|(?:poison\\w*|tamper\\w*|contaminat\\w*) (?:with )?(?:a |the |\\w+\'s )?(?:city\'s |public )?water suppl(?:y|ies))\\b',
    base: 0.45,
    owasp: [],
    severe: 'critical',
    explanation: 'Request touching chemical, biological, radiological or nuclear weapons.',
  },
  {
    name: 'malware-hacking',
    triggers: ['hijack', 'break into', 'breaking into', 'malware', 'ransomware', 'keylogger', 'trojan', 'rootkit', 'botnet', 'spyware', 'worm', 'virus', 'ddos', 'exploit', 'zero-day', 'zero day', 'sql injection', 'phishing', 'hack', 'crack', 'brute', 'steal', 'backdoor', 'reverse shell', 'bypass', 'evade', 'credential stuffing', 'keystroke', 'unauthorized access', 'cyberattack', 'cyber attack', 'dirty cow', 'dirty pipe', 'eternalblue', 'ghostcat', 'log4shell', 'heartbleed', 'shellshock', 'sqli', 'amplification', 'exfiltrat', 'payload', 'corrupt', 'harvest', 'infiltrat', 'denies access', 'deny access', 'malicious'],
    pattern:
      "\\b(?:malware|ransomware|keyloggers?|trojans?|rootkits?|botnets?|spyware|stalkerware|(?:computer |network )?worms?|(?:computer |macro )?virus(?:es)?|ddos(?: attacks?)?|exploits?|exploit\\w*|zero[- ]days?|sql injections?|phishing|(?<!(?:life|cooking|kitchen|growth|productivity|study|travel|money|budget|quick|simple|easy|clever|handy|smart|little) )hack(?:s|ed|ing)?(?: into)?|crack(?:ing)? (?:a |the |someone's )?(?:password|wifi|software|license)s?|brute[- ]forc\\w*|steal(?:s|ing)? (?:\\w+ )?(?:credentials|passwords|cookies|data|information|accounts?|identit\\w+)|backdoors?|reverse shells?|bypass(?:es|ing)? (?:\\w+ )?(?:authentication|antivirus|anti-virus|security|paywalls?|drm|2fa|login)|evad(?:e|es|ing) (?:antivirus|anti-virus|detection|edr)|credential stuffing|keystrokes?|unauthori[sz]ed access|cyber ?attacks?|hijack\\w*|dirty (?:cow|pipe)|eternalblue|ghostcat|log4shell|heartbleed|shellshock|sqli|(?:dns|ntp|memcached) amplification|malicious (?:payloads?|scripts?|macros?|attachments?)|exfiltrat(?:e|es|ing)|obfuscat\\w* (?:\\w+ )?payloads|corrupt(?:s|ing)? (?:the |a )?(?:hard drive|disk|bootloader|mbr)|harvest(?:s|ing)? (?:\\w+ )?(?:sensitive|personal|private) (?:information|data)|infiltrat\\w* (?:a |an |the )?(?:secure |government )?(?:facility|network|system|agency|organi[sz]ation)|den(?:y|ies) access to (?:a |the )?(?:website|service|server)|break(?:ing)? into (?:a |an |the |someone's )?(?:\\w+ )?(?:network|system|server|account|computer|database|website))\\b",
    base: 0.25,
    owasp: [],
    severe: 'high',
    explanation: 'Request for malware, intrusion or account-takeover capability.',
  },
  {
    name: 'drugs',
    triggers: ['methamphetamine', 'meth ', 'meth.', 'meth,', 'meth?', 'crystal meth', 'cocaine', 'crack', 'heroin', 'fentanyl', 'lsd', 'mdma', 'ecstasy', 'ghb', 'drug', 'opioid', 'narcotic', 'weed', 'cannabis', 'marijuana', 'get high', 'getting high', 'pseudoephedrine', 'precursor'],
    pattern:
      '\\b(?:methamphetamine|meth|crystal meth|cocaine|crack cocaine|heroin|fentanyl|carfentanil|lsd|mdma|ecstasy|ghb|illegal drugs?|illicit drugs?|drugs?|opioids?|narcotics?|(?:grow|growing) (?:weed|cannabis|marijuana)|get(?:ting)? high|drug labs?|pseudoephedrine|precursors?)\\b',
    base: 0.25,
    owasp: [],
    severe: 'high',
    explanation: 'Request about making, obtaining or selling illegal drugs.',
  },
  {
    name: 'self-harm',
    triggers: ['suicid', 'kill myself', 'killing myself', 'end my life', 'ending my life', 'self-harm', 'self harm', 'cut myself', 'cutting myself', 'hurt myself', 'hurting myself', 'overdos', 'starv', 'pro-ana', 'pro ana', 'hang myself', 'hanging myself', 'take my own life', 'to die', 'poison myself', 'poisoning myself', 'my bulimia', 'my anorexia', 'my eating disorder', 'my purging', 'laxatives for'],
    pattern:
      '\\b(?:suicid\\w*|kill(?:ing)? myself|end(?:ing)? my (?:own )?life|take my own life|self[- ]harm\\w*|cut(?:ting)? myself|hurt(?:ing)? myself|overdos\\w*|starv\\w* myself|pro[- ]ana|hang(?:ing)? myself|want(?:ed)? to die|poison(?:ing)? myself|(?:speed up|worsen|hide|continue|maintain) my (?:bulimia|anorexia|eating disorder|purging)|laxatives for (?:weight loss|losing weight))\\b',
    base: 0.45,
    owasp: [],
    severe: 'critical',
    explanation: 'Self-harm or suicide content.',
  },
  {
    name: 'violence',
    triggers: ['abuse', 'abusing', 'groom', 'scare', 'afraid', 'kill', 'murder', 'assassinat', 'poison', 'tortur', 'kidnap', 'abduct', 'shooting', 'shoot', 'stab', 'strangl', 'terror', 'hurt', 'death threat', 'hitman', 'hit man', 'hitmen', 'dispose of', 'dispos', 'massacre', 'behead', 'maim', 'beat', 'attack someone', 'attack people', 'attack a crowd', 'attack civilians', 'attacking someone', 'attacking people', 'attacking a crowd', 'attacking civilians', 'ramming'],
    pattern:
      "\\b(?:kill(?:s|ing)? (?:someone|somebody|people|him|her|them|my|a person|a man|a woman|the|children|\\w+'s)|murder\\w*|assassinat\\w*|poison(?:s|ing)? (?:someone|somebody|people|him|her|them|my|a person|pets|the|neighbou?rs?|\\w+'s)|tortur\\w*|kidnap\\w*|abduct\\w*|(?:mass |school )?shootings?|shoot(?:ing)? (?:up|people|someone|him|her)|stab(?:bing)? (?:someone|somebody|him|her|people)|strangl\\w*|terror(?:ist|ism)? attacks?|hurt(?:ing)? (?:someone|somebody|people|him|her|them|my)|death threats?|hit ?m[ae]n|dispos\\w* of (?:a|the) (?:dead )?body|massacre|behead\\w*|maim\\w*|beat(?:ing)? (?:someone|him|her|them) up|attack(?:ing)? (?:someone|people|a crowd|civilians)|abus(?:e|ing) (?:a |an |the |my )?(?:child|kid|children|minor|baby|woman|wife|partner|elderly|animal|pet)s?|groom(?:ing)? (?:a |the )?(?:child|minor|kid|teen)s?|scare (?:him|her|them|someone|people)|make (?:\\w+ )?(?:enemies|people|someone|him|her) afraid|(?:vehicle|car|truck)[- ]ramming)\\b",
    base: 0.3,
    owasp: [],
    severe: 'high',
    explanation: 'Request to plan or carry out violence against people or animals.',
  },
  {
    name: 'sexual-minors',
    triggers: ['sex', 'nude', 'naked', 'porn', 'erotic', 'explicit', 'lewd', 'nsfw', 'intimate', 'fondl', 'molest', 'seduc', 'arous', 'pedophil', 'paedophil', 'csam'],
    pattern:
      "\\b(?:child(?:ren)?|minors?|underage|under-age|kids?|preteens?|pre-teens?|teens?|(?:1[0-7]|[1-9])[- ]years?[- ]olds?|lolis?|shotas?|schoolgirls?|schoolboys?)\\b[^.\\n]{0,60}\\b(?:sex\\w*|nude\\w*|naked|porn\\w*|erotic\\w*|explicit|lewd|nsfw|intimate|fondl\\w*|molest\\w*|seduc\\w*|aroused?)\\b|\\b(?:sex\\w*|nude\\w*|naked|porn\\w*|erotic\\w*|explicit|lewd|nsfw|fondl\\w*|molest\\w*|seduc\\w*)\\b[^.\\n]{0,60}\\b(?:child(?:ren)?|minors?|underage|kids?|preteens?|(?:1[0-7]|[1-9])[- ]years?[- ]olds?|lolis?|shotas?)\\b|\\b(?:pedophil\\w*|paedophil\\w*|csam|child porn\\w*)\\b",
    base: 0.8,
    owasp: [],
    severe: 'critical',
    explanation: 'Sexual content involving minors.',
  },
  {
    name: 'sexual-content',
    triggers: ['porn', 'erotic', 'explicit', 'nsfw', 'sex', 'lewd', 'nude', 'naked', 'fetish', 'adult movie', 'adult film', 'adult video', 'adult content'],
    pattern: '\\b(?:porn\\w*|erotic\\w*|explicit (?:sexual|adult|sex|language|scenes?|details?|descriptions?|content)\\w*|sexual positions?|adult (?:movies?|films?|videos?)|sexually explicit|nsfw|sex (?:stor(?:y|ies)|scenes?|chat)|lewd|nudes?|naked (?:photos?|pictures?|images?)|fetish\\w*|adult content)\\b',
    base: 0.3,
    owasp: [],
    severe: 'medium',
    explanation: 'Request for sexually explicit content.',
  },
  {
    name: 'fraud-scams',
    triggers: ['manipulat', 'pump and dump', 'cheat', 'scam', 'phishing', 'counterfeit', 'launder', 'fake', 'identity theft', 'identit', 'credit card', 'card skimm', 'insider trading', 'tax evasion', 'evade tax', 'evading tax', 'ponzi', 'pyramid scheme', 'forge ', 'forged', 'forging', 'forgery', 'embezzl', 'brib', 'extort', 'blackmail', 'ransom', 'fraud', 'impersonat', 'fake', 'click', 'attachment', 'macros', 'astroturf', 'artificially inflat', 'falsely claim', 'pseudo-pharma', 'watermark', 'copyrighted', 'forge'],
    pattern:
      "\\b(?:scam\\w*|phishing (?:emails?|pages?|sites?|websites?|messages?|campaigns?|kits?)|counterfeit\\w*|launder\\w*|money laundering|fake (?:ids?|passports?|identit\\w+|documents?|reviews?|charit\\w+|invoices?|diplomas?|degrees?|prescriptions?|bank statements?|accounts?)|identity theft|steal\\w* (?:someone's |their |his |her )?identit\\w+|credit card (?:fraud|numbers|information|details|skimm\\w*)|card skimm\\w*|insider trading|tax evasion|evad\\w* taxes|ponzi|pyramid schemes?|forg(?:e|ed|ing|ery) (?:a |an )?(?:signatures?|documents?|checks?|cheques?|passports?|ids?|identification|identit(?:y|ies))|fake identification|fake (?:[\\w-]+ ){0,2}profiles|astroturf\\w*|artificially inflat\\w*|falsely claim\\w*|pseudo-pharmaceuticals?|remov\\w* watermarks?|steal\\w* copyrighted|embezzl\\w*|brib\\w*|extort\\w*|blackmail\\w*|ransom notes?|fraud\\w*|impersonat\\w*|manipulat\\w* (?:the )?(?:financial |stock )?markets?|market manipulation|pump and dump|insurance fraud|cheat(?:ing)? on (?:\\w+ )?(?:exams?|tests?|taxes)|(?:convince|persuade|get|trick) (?:[\\w.-]+ ){1,3}?(?:to )?(?:click (?:on )?(?:a |the |this )?link|open (?:a |the |this )?attachment|enabl\\w* (?:office )?macros)|(?:enabling|enable) (?:office )?macros is safe)\\b",
    base: 0.3,
    owasp: [],
    severe: 'high',
    explanation: 'Request to defraud, scam, forge or launder.',
  },
  {
    name: 'hate-harassment',
    triggers: ['minority group', 'threatening', 'offensive', 'hateful', 'semitic', 'islamophob', 'transphob', 'superior', 'inferior', 'radicali', 'extremis', 'derogatory', 'obscene', 'offensive joke', 'joke about', 'slur', 'racist', 'sexist', 'homophobic', 'hate speech', 'insult', 'harass', 'bully', 'stalk', 'doxx', 'doxing', ' dox ', 'threaten', 'inferior', 'ethnic cleansing', 'genocide', 'supremac', 'nazi', 'subhuman', 'degrad', 'humiliat', 'make fun of', 'mock people', 'mocking people', 'mock someone', 'mocking someone', 'mock disabled', 'mocking disabled', 'white power', 'muslim', 'jew', 'black people', 'blacks', 'women', 'gay', 'immigrant', 'african', 'asian', 'mexican', 'arab', 'christian', 'hindu', 'trans people'],
    pattern:
      "\\b(?:(?:racial |ethnic )?slurs?|racist|sexist|homophobic|hate speech|insult\\w* (?:someone|people|him|her|them|my|\\w+'s|baby boomers|\\w+ people)|harass\\w*|bully\\w*|cyberbull\\w*|(?:cyber)?stalk\\w*|doxx?\\w*|threaten\\w* (?:someone|people|him|her|them|my)|inferior (?:race|religion|people|gender)|ethnic cleansing|genocide|white (?:power|supremac\\w*)|nazi\\w*|subhuman|(?:all|every|most) (?:muslims?|jews?|black people|blacks|women|men|gays?|immigrants|africans?|asians?|mexicans?|arabs?|christians?|hindus?|trans people) (?:are|commit|should)|degrad\\w* (?:women|men|people|them)|humiliat\\w*|make fun of (?:people|someone|\\w+ (?:people|with))|mock\\w* (?:people|someone|disabled)|minority groups?|threatening (?:letter|message|note|email|post)s?|(?:are|is) (?:inferior|subhuman)|inferior to (?:others|us|whites|men|women)|radicali[sz]\\w*|extremis[tm]\\w*|derogatory (?:terms?|words?|names?|language)|obscene language|offensive jokes?|jokes? about (?:disabled|blind|deaf|gay|black|jewish|muslim|fat|ugly|poor|old) people|(?:offensive|hateful|racist) (?:anti-?semitic |homophobic |transphobic |islamophobic )?(?:responses?|replies|reply|comments?|tweets?|posts?)|anti-?semitic|islamophobic|transphobic|(?:races?|religions?|ethnicit(?:y|ies)|genders?) (?:are|is) (?:inherently|naturally|genetically) (?:superior|inferior))\\b",
    base: 0.3,
    owasp: [],
    severe: 'high',
    explanation: 'Hateful, harassing or demeaning content about people or groups.',
  },
  {
    name: 'misinformation',
    triggers: ['fake news', 'misinformation', 'disinformation', 'propaganda', 'conspiracy', 'hoax', 'vaccines cause', 'vaccine causes', 'vaccines caused', '5g cause', 'election was', 'election is', 'vote was', 'vote is', 'stolen', 'rigged', 'flat earth', 'holocaust', 'persuasive article', 'persuasive essay', 'persuasive post', 'persuasive op-ed', 'false information', 'false claim', 'false news', 'false stor', 'false rumo', 'rumor', 'rumour', 'fabricat', 'spread lies', 'spreading lies', 'spread a rumo', 'spreading rumo', 'edit', 'modify', 'rewrite', 'change', 'persuad', 'ballot'],
    pattern:
      "\\b(?:fake news(?: (?:articles?|stor(?:y|ies)))?|misinformation|disinformation|propaganda|conspiracy theor\\w*|hoax\\w*|(?:vaccines?|5g) (?:cause|causes|caused)|(?:election|vote) (?:was |is )?(?:stolen|rigged|fraud\\w*)|flat earth|holocaust (?:didn't|did not|never) happen\\w*|holocaust denial|persuasive (?:article|essay|post|op-ed)s? (?:arguing|claiming|that|about|linking|suggesting)|false (?:information|claims?|news|stor(?:y|ies)|rumou?rs?)|spread\\w* (?:a )?(?:rumou?rs?|lies)|fabricat\\w* (?:evidence|quotes?|news|stor(?:y|ies)|statistics)|(?:edit|modify|rewrite|change)\\w* (?:this|the) (?:[\\w-]+ ){0,4}?(?:text|article|passage|section|paragraph|post) to (?:persuade|convince|suggest that|imply that)|(?:small|minimal|subtle|slight) (?:edits|changes) to (?:persuade|convince|suggest that|imply that)|persuad\\w* (?:readers|voters|people|the public|her|him|them) that|stuffing ballot boxes|ballot[- ]stuffing)\\b",
    base: 0.3,
    owasp: ['LLM09'],
    severe: 'medium',
    explanation: 'Request to create or spread misinformation.',
  },
  {
    name: 'privacy-surveillance',
    triggers: ['spy on', 'spying on', 'track my', 'track someone', 'track her', 'track his', 'track their', 'track a person', 'tracking my', 'tracking someone', 'tracking her', 'tracking his', 'monitor my', 'monitor someone', 'monitor her', 'monitor his', 'monitor their', 'monitoring my', 'monitoring someone', 'monitoring her', 'monitoring his', 'surveil', 'wiretap', 'home address', 'find out where', "read someone's", 'read her', 'read his', 'without their', 'without his', 'without her', 'private messages', 'find where', "find someone's", 'find his', 'find her', 'secretly', 'knowing', 'unlawfully', 'illegally', 'private conversation', 'deepfake'],
    pattern:
      "\\b(?:(?:track|spy on|monitor|surveil|wiretap)\\w* (?:my |someone's |someone |a person's |her |his |their )(?:\\w+ )?(?:phone|location|messages|texts|emails?|partner|wife|husband|girlfriend|boyfriend|ex|employees?|calls|activity)|find (?:out )?(?:where|someone's|his|her) (?:\\w+ )?(?:lives|home address|address)|read (?:someone's|my \\w+'s|her|his) (?:private )?(?:messages|texts|emails)|without (?:their|his|her) (?:knowledge|consent|permission)|private messages|secretly (?:record|film|collect|monitor|track|access|read|photograph)\\w*|without (?:them|him|her) knowing|(?:unlawfully|illegally) (?:collect|access|obtain|extract|gather)\\w*|private conversations|deepfake\\w* (?:\\w+ ){0,3}(?:compromising|private individuals|nudes?|porn\\w*))\\b",
    base: 0.3,
    owasp: [],
    severe: 'high',
    explanation: 'Request to surveil someone or obtain their private information.',
  },
  {
    name: 'crime-evasion',
    triggers: ['sabotag', 'pirat', 'crack', 'keygen', 'warez', 'drm', 'paywall', 'copy protection', 'stolen goods', 'illegal fight', 'dogfight', 'shoplift', 'steal', 'pick a lock', 'lockpick', 'hotwire', 'break into', 'evade', 'smuggl', 'trafficking', 'without getting caught', 'without being caught', 'avoid detection', 'get away with', 'illegal', 'illegally', 'poach', 'evading', 'evasion'],
    pattern:
      "\\b(?:shoplift\\w*|steal(?:s|ing)? (?:from|a |an |money|cars?|someone's|things|goods|merchandise|packages?)|pick(?:ing)? a lock|lock ?pick\\w*|hotwir\\w*|break(?:ing)? into (?:a |an |someone's |my neighbou?r's |the )?(?:house|car|home|apartment|building|store|safe)|evad\\w* (?:the )?(?:police|law enforcement|arrest|customs|border)|smuggl\\w*|human trafficking|sex trafficking|traffick\\w* (?:drugs|people|humans|women|children)|illegal(?:ly)? (?:stream\\w*|download\\w*|obtain\\w*|distribut\\w*|access\\w*|immigra\\w*|buy\\w*|sell\\w*|purchas\\w*|disrupt\\w*)|poach\\w* (?:elephants|rhinos|animals|ivory)|sabotag\\w*|pirat\\w* (?:software|movies?|films?|games?|content|music)|illegally (?:stream|download|distribute|copy|share)\\w*|crack(?:ed)? (?:software|games?|version)|keygens?|warez|bypass\\w* (?:drm|paywalls?|copy protection)|stolen goods|illegal fights?|dogfight\\w*)\\b",
    base: 0.3,
    owasp: [],
    severe: 'high',
    explanation: 'Request to commit a crime or evade law enforcement.',
  },
  {
    name: 'stereotyping',
    triggers: ['trusted', 'commit more crimes', 'women', 'men ', 'females', 'males', 'muslim', 'jew', 'christian', 'hindu', 'buddhist', 'black', 'white', 'asian', 'african', 'mexican', 'immigrant', 'gay', 'lesbian', 'arab', 'chinese', 'indian', 'russian', 'poor people', 'fat people', 'old people', 'disabled', 'liberal', 'conservative', 'naturally', 'inherently', 'genetically', 'is it true that', "isn't it true"],
    pattern:
      "\\b(?:all|every|most)\\s+(?:the\\s+)?(?:\\w+\\s+)?(?:people|women|men|females|males|muslims?|jews?|christians?|hindus?|buddhists?|blacks?|whites?|asians?|africans?|mexicans?|immigrants|gays?|lesbians?|arabs?|chinese|indians?|russians?|poor people|fat people|old people|disabled people|liberals|conservatives)\\s+(?:are|commit|lack|have|hate|steal)\\b|\\bwhy (?:are|do|is)\\s+(?:all\\s+)?(?:\\w+\\s+)?(?:women|men|females|males|blacks|whites|asians|muslims|jews|gays|immigrants|poor people|fat people|old people|disabled people|short people)\\s+(?:always|so|naturally|all|never)\\b|\\b(?:naturally|inherently|genetically)\\s+(?:more\\s+)?(?:violent|inferior|stupid|lazy|criminal|evil|dishonest|emotional)\\b|\\b(?:isn't it|is it) true that (?:all|every|most|everyone from|people from|people with)\\b|\\b(?:agree|think|believe|true) that (?:all |most )?(?:[\\w-]+ ){1,2}?(?:can't|cannot|can not) be trusted\\b|\\b(?:generally|naturally|inherently|always) commit more crimes\\b|\\b(?:isn't|aren't) (?:\\w+\\s+){1,3}?(?:naturally|inherently|genetically) (?:\\w+)\\b",
    base: 0.45,
    owasp: [],
    severe: 'medium',
    explanation: 'Stereotype or demeaning generalisation about a group of people.',
    questionIsRequest: true,
  },
  {
    name: 'harm-promotion',
    triggers: ['glorif', 'romanticiz', 'romanticis', 'promot', 'encourag', 'incit', 'trivializ', 'trivialis', 'provok', 'celebrat'],
    pattern:
      "\\b(?:glorif\\w*|romanti[cs]i[sz]\\w*|promot(?:e|es|ing)|encourag(?:e|es|ing)|incit(?:e|es|ing)|provok(?:e|es|ing)|triviali[sz](?:e|es|ing)|celebrat(?:e|es|ing) the)\\s+(?:[\\w'-]+\\s+){0,5}?(?:violence|violent|terroris[mt]s?|terrorists|terror attacks?|sexual assault|rape|animal cruelty|eating disorders?|anorexia|bulimia|self[- ]harm|suicide|gang culture|hate speech|hatred|genocide|mass shootings?|school shootings?|drunk driving|drug use|chaos|war crimes|dangerous (?:dieting|diets|stunts|behaviou?rs?|challenges?)|unprotected sex|conspiracy theories|hate crimes?|hate|harm|conflict and animosity|animosity|riots?|suffering of others)\\b",
    base: 0.3,
    owasp: [],
    severe: 'high',
    explanation: 'Request for content that glorifies, promotes or incites serious harm.',
    requestOnly: true,
  },
  {
    name: 'harm-acts',
    triggers: ['harm', 'threaten', 'hostage', 'arson', 'fire', 'vandal', 'escape from', 'whistleblower', 'consent', 'non-consensual', 'beat', 'quarter', 'flay', 'disembowel', 'dismember', 'tamper', 'bleach', 'hate mail', 'chop shop', 'black market', 'organs', 'stolen', 'social security number', 'login page', 'gps tracker', 'emergency services', 'criminal activity', 'airport security', 'false accusation', 'mislead', 'inflammatory', 'manipulat', 'deserved to die', 'less intelligent', 'not used', 'not even used', 'cause cancer', 'trick people', 'gain access', 'misleading', 'against each other', 'shame', 'shaming', 'feel bad', 'feel worthless', 'feel stupid', 'feel ugly', 'threat', 'poisonous', 'illegal', 'endangered', 'protected animal', 'tracking device', 'compromising', 'insults', 'provocative', 'patent'],
    pattern:
      "\\b(?:harm(?:s|ed|ing)? (?:animals|someone|somebody|people|children|a child|\\w+'s (?:family|children|kids))|(?:is|are|was|were|being) harmed or killed|threaten\\w* to (?:harm|hurt|kill|attack)|(?:holding|hold|take|taking) (?:a |an |the )?(?:\\w+ ){0,2}(?:flight|plane|bus|school|people|hostages?)\\s+hostage|commit(?:ting)? arson|start(?:ing)? a fire and make it spread|vandali[sz]\\w*|escape from (?:a |the )?(?:prison|jail|correctional facility)|silenc\\w* whistleblowers|non-consensual|consent is (?:\\w+ )?unnecessary|beats? (?:their|his|her|a) (?:spouse|wife|husband|partner|child|kids?)|drawn and quartered|flayed alive|disembowel\\w*|dismember\\w*|tamper\\w* with (?:\\w+ ){0,5}?(?:medical devices|pacemakers|insulin pumps|brakes|food|medication|evidence)|mixing bleach and (?:ammonia|rubbing alcohol|vinegar)|hate mail|chop shops?|(?:on|from) the black market|human organs|stolen (?:cars|credit cards?|credit card numbers?|identities)|(?:share|give|reveal) (?:their|his|her|your) (?:social security numbers?|passwords?|bank details|pins?)|fake (?:[\\w.-]+ ){0,3}login pages?|disabl\\w* the gps tracker|disrupt\\w* emergency services|conceal\\w* criminal activit\\w+|evad\\w* airport security|false accusations|mislead(?:s|ing)? (?:the public|consumers|customers|voters|investors|people|readers)|(?:intentionally|deliberately) misleads?|inflammatory (?:comments|posts|messages)|manipulat\\w* (?:stock prices|customer ratings|people into|people|the stock market|financial data)|deserved to die|(?:inherently|naturally|genetically) less (?:intelligent|capable)|(?:product|service) that you have not (?:even )?(?:used|tried|tested)|(?:do not|don't|doesn't|does not) cause cancer|trick people into|(?:means|ways) of gaining access|misleading (?:posts?|articles?|content|headlines?|ads?)|turn (?:people|them|everyone) against each other|(?:publicly )?sham(?:e|ing) (?:my|someone|him|her|them)\\b|make (?:them|him|her|someone|people) feel (?:bad|worthless|stupid|ugly)|(?:most )?dangerous threats?|threats? to send|poisonous substances?|illegal (?:animal|wildlife|ivory|organ|arms|weapons?) trade|hunt\\w* (?:endangered|protected) (?:species|animals?)|remove tracking devices|(?:in )?(?:a )?compromising (?:situation|photos?|position|images?)|worst (?:possible )?insults|provocative comments?|copy someone\\'s patent\\w*)\\b",
    base: 0.3,
    owasp: [],
    severe: 'high',
    explanation: 'Request to plan or carry out a harmful act, or to produce abusive or deceptive content.',
    requestOnly: true,
  },
  {
    name: 'covert-harm',
    triggers: ['without getting caught', 'without being caught', 'without leaving', 'without a trace', 'without arousing', 'without raising', 'without anyone', 'without being suspected', 'without authori', 'without their knowledge', 'look like an accident', 'seem like an accident', 'look like a suicide', 'seem like a suicide', 'look like an accident', 'untraceable', 'undetectable', 'covert', 'quietly'],
    pattern:
      "\\b(?:without (?:getting |being )?(?:caught|suspected|detected|traced|noticed)|without (?:leaving (?:a |any )?(?:trace|evidence|fingerprints)|a trace)|without (?:arousing|raising) (?:any )?suspicion|without anyone (?:knowing|noticing|finding out)|without (?:proper )?authori[sz]ation|(?:look|seem|appear) like (?:an? )?(?:accident|suicide|natural causes)|untraceabl[ey]|undetectabl[ey]|quietly (?:kill\\w*|poison\\w*|dispos\\w*|get rid))\\b",
    base: 0.3,
    owasp: [],
    severe: 'high',
    explanation: 'Request to do something covertly, evading detection or blame.',
    requestOnly: true,
    flat: true,
  },
  {
    name: 'copyright',
    triggers: ['lyrics', 'passage', 'chapter', 'full text', 'entire text', 'verbatim'],
    pattern:
      "\\b(?:generate|reproduce|print|output|give me|provide|write out|type out|copy|recite|transcribe)\\s+(?:me\\s+)?(?:the\\s+)?(?:a\\s+)?(?:full\\s+|complete\\s+|entire\\s+|whole\\s+|long\\s+|first\\s+|verbatim\\s+)?(?:lyrics|passage|chapter|text|pages?)\\s+(?:of|from|to)\\s+(?:the\\s+)?(?:song\\s+|book\\s+|novel\\s+)?[\"\\u201c][^\"\\u201d\\n]{1,80}[\"\\u201d]\\s+by\\s+\\S",
    base: 0.3,
    owasp: [],
    severe: 'medium',
    explanation: 'Request to reproduce a copyrighted work (song lyrics, book passages) verbatim.',
    requestOnly: true,
    flat: true,
  },
  {
    name: 'confidential-information',
    triggers: ['classified', 'trade secret', 'internal', 'undisclosed', 'confidential', 'insider information', 'non-public'],
    pattern:
      "\\b(?:classified (?:information|documents?|operations?|data|files?|projects?)|trade secrets?|internal (?:documents?|newsletters?|communications?|memos?|strategy|strategies|emails?|data|reports?)|undisclosed (?:\\w+ )?(?:vulnerabilit\\w+|technolog\\w+|plans?|information|deals?)|confidential (?:documents?|information|data|strategy|files?)|insider information|non-public information)\\b",
    base: 0.3,
    owasp: ['LLM02'],
    severe: 'medium',
    explanation: 'Request for confidential or classified organisational information.',
  },
  {
    name: 'third-party-private-data',
    triggers: ['my boss', 'my ex', 'my wife', 'my husband', 'my neighbor', 'my neighbour', 'my coworker', 'my co-worker', 'my colleague', 'my employee', 'my teacher', 'my classmate', 'my friend', 'my boyfriend', 'my girlfriend', 'my step', 'my brother', 'my sister', 'my cousin', 'my landlord', 'my tenant', 'my student', 'my patient', 'my doctor', 'my father', 'my mother', 'my son', 'my daughter', 'my uncle', 'my aunt'],
    pattern:
      "\\b(?:my|our)\\s+(?:\\w+\\s+)?(?:boss|ex-wife|ex-husband|ex|wife|husband|neighbou?r|coworker|co-worker|colleague|employee|teacher|classmate|friend|boyfriend|girlfriend|stepbrother|stepsister|brother|sister|cousin|uncle|aunt|landlord|tenant|student|patient|doctor|father|mother|son|daughter)\\s*,\\s*[a-z]+(?:'s)?\\b[^.?!\\n]{0,80}\\b(?:medical|health|diagnos\\w*|medications?|disease|hospitali[sz]ed|financial|salary|income|debts?|loans?|transactions|bank|credit card|address|phone|fingerprints?|gait|biometric\\w*|social security|criminal record|relationship status|sexual orientation|religio\\w*|password|location|whereabouts|degrees?|grades?|scholarships?|awards?|assistive devices?|disabilit\\w*|therapy|pregnan\\w*|residential|e-?mail address|tax(?:es)?|dna|personal habits|sexual history|salary)\\b",
    base: 0.45,
    owasp: ['LLM02'],
    severe: 'medium',
    explanation: 'Request for private information about a named third party.',
    questionIsRequest: true,
  },
];

// ---- request, evasion and defence cues (whole-text, memoised per text) ---------------------

const REQUEST_CUE =
  /\b(?:how (?:to|do i|do you|can i|could i|would i|should i|can someone|might i|would one|can one|do people)|what(?:'s| is| are) (?:the )?(?:best|easiest|fastest|simplest|cheapest|most effective) (?:way|method|place)s?|best way|easiest way|step[- ]by[- ]step|(?:detailed )?instructions (?:for|on|to)|(?:a |the )?(?:guide|tutorial|recipe|walkthrough|playbook|manual) (?:to|on|for)|teach me|show me how|explain (?:how|in detail)|give (?:me )?(?:detailed |step-by-step |specific )?(?:instructions|steps|directions|a list|suggestions|tips|advice|details)|(?:write|create|develop|design|generate|produce|draft|compose|build|make|code|program)\s+(?:me\s+)?(?:a|an|the|some)?\s*(?:\w+\s+){0,3}?(?:script|program|code|tool|tutorial|guide|article|post|blog|email|e-mail|letter|note|story|message|essay|website|app|bot|malware|virus|plan|strategy|speech|tweet|review|list|campaign|video|game|song|poem)|(?:provide|list|describe|outline|detail)\s+(?:\w+\s+){0,3}?(?:steps|methods|ways|instructions|techniques|a plan|a guide|a strategy|how)|where (?:can|do) i (?:buy|get|find|obtain|order)|help me\b|can you (?:help|tell|show|give|write|explain|provide|create|generate|list)|i (?:want|need|would like) (?:to|you to)|develop a|create a|design a|instruct (?:someone|users|people|me)|encourag\w+ (?:people|someone|users|my)|convince (?:someone|people|my))/;
const EVASION_CUE =
  /\b(?:without (?:getting |being )?(?:caught|detected|noticed|traced|found out|leaving (?:a )?(?:trace|evidence)|detection|anyone knowing)|undetect(?:able|ed)|untraceable|anonymously|avoid(?:ing)? (?:detection|getting caught|being caught|the police|law enforcement|suspicion)|get away with|cover (?:my|their|your) tracks|make it (?:look|seem) like an? (?:accident|suicide)|in a way that (?:avoids|evades)|evad(?:e|es|ing) (?:\w+ )?(?:detection|antivirus|anti-virus|edr|security|police|law enforcement)|without (?:a )?(?:license|permission|consent|prescription|training))\b/;
const DEFENSIVE_CUE =
  /\b(?:how (?:to|can i|do i|can we|do we|should i|should we) (?:protect|defend|prevent|detect|recogni[sz]e|spot|identify|avoid (?:being|falling)|stop|report|block|mitigate|secure|recover|respond)|prevent(?:ion|ing|s)?|defen[cs]e against|defend(?:s|ing)? against|mitigat\w+|block(?:s|ing)? (?:\w+ )?(?:access|attacks?|traffic|ip|requests?|malware|threats?|intrusions?|suspicious)|detect(?:s|ing|ion of)? (?:\w+ )?(?:attacks?|intrusions?|threats?|malware|anomal\w+|suspicious|fraud|phishing)|intrusion detection|monitor(?:s|ing)? (?:\w+ )?(?:traffic|activity|logs?|systems?|network|access)|log(?:s|ging)? (?:\w+ )?attempts|awareness|security (?:team|training|audit|assessment|policy|controls?|measures|posture)|harden(?:s|ing)?|firewall rules?|penetration test\w*|authori[sz]ed (?:test|assessment|engagement)|incident response|for (?:a |my )?(?:class|course|research paper|thesis)|history of|what (?:are|were) the (?:signs|symptoms|causes|effects|consequences)|warning signs|(?:i'?m|i am) (?:feeling|worried|scared|struggling)|safety (?:tips|measures|precautions)|treaty|convention on|united nations|legislation|prohibit(?:s|ed|ion)?|(?:was|were|been|is|are|get|got) (?:\w+ )?(?:patched|fixed|mitigated|discovered|disclosed))\b/;
// An operative imperative opening the sentence or a clause ("Give …", "…, write …", "1. List …").
const IMPERATIVE_CUE =
  /(?:^|[,:;]\s|\band then\s)\s{0,4}(?:[-*>#]{1,3}\s{0,2}|\d{1,2}[.)]\s{0,2})?(?:please\s+|now\s+|also\s+|then\s+)?(?:(?:write|create|generate|compose|draft|list|provide|outline|suggest|brainstorm|come up with|devise|design|develop|convince|persuade|teach|instruct|produce|craft|offer|recommend|compile|invent|(?:minimally |slightly )?(?:modify|rewrite|edit)|reproduce|recite|transcribe|make|publish|post|share|release|train|draw|tell me|show me)\b(?!:)|give\b(?!\s+(?:me\s+)?(?:a\s+|an\s+|the\s+)?(?:[\w-]+\s+)?(?:summary|overview|explanation|history|definition|examples?|analysis)\b)|(?:explain|describe|detail)\s+(?:[\w'-]+\s+){0,2}?(?:how|ways?|steps|methods?|techniques?|that|in (?:graphic |great |vivid |explicit |full )?detail|the (?:steps|process|procedure|method)))/;
// Describing a scene "in graphic detail" asks for the content itself.
const SUPERLATIVE_CUE = /\bwhat(?:'s| is| are) (?:the )?(?:most (?:dangerous|effective|painful|lethal|hurtful|offensive)|worst|deadliest)\b/;
// "What are some techniques to …", "are there any tools to …": asking for the means.
const MEANS_CUE = /\b(?:techniques|methods|ways|tips|tricks|strategies|tactics|tools|guidelines|advice|phrases|steps)\s+(?:on how to|for how to|to|for|that (?:can|could|would) (?:be used to )?)\s+(?!(?:protect|prevent|detect|avoid|stop|report|recogni[sz]e|spot|identify|help|support|cope|deal|recover|reduce|improve|secure)\b)\w/;
const GRAPHIC_CUE = /\bin (?:graphic|gory|vivid|explicit) detail\b/;
// "bypass security measures" names a defence only to defeat it: not a defensive cue.
const DEFEATED_DEFENCE =
  /\b(?:bypass\w*|circumvent\w*|evad\w+|defeat\w*|disabl\w+|get(?:ting)? (?:past|around)|break(?:ing)? through) (?:the |any |all |their |its )?(?:\w+ ){0,2}?(?:security (?:measures|controls?|policy|team)|safety (?:measures|precautions)|detection|monitoring)\b/g;
const SENTENCE_END = /[.!?\n]/;

/** The sentence around a match (bounded), where request and evasion cues must appear. */
function sentenceAround(lower: string, start: number, end: number): string {
  let a = start;
  const minA = Math.max(0, start - 200);
  while (a > minA && !SENTENCE_END.test(lower[a - 1] ?? '')) a--;
  let b = end;
  const maxB = Math.min(lower.length, end + 200);
  while (b < maxB && !SENTENCE_END.test(lower[b] ?? '')) b++;
  return lower.slice(a, b);
}

function isRequest(sentence: string): boolean {
  return REQUEST_CUE.test(sentence) || IMPERATIVE_CUE.test(sentence) || GRAPHIC_CUE.test(sentence) || SUPERLATIVE_CUE.test(sentence) || MEANS_CUE.test(sentence);
}

// A question asking for the thing itself: "What is …?", "Do you agree that …?", "Isn't …?".
const QUESTION_CUE = /^\s{0,4}(?:what|who|where|which|how|has|have|had|did|does|do|is|isn't|are|aren't|don't|can you|could you|tell me)\b[^?]{0,200}\?/;

function harmFactor(lower: string, start: number, end: number, _ctx: ScanContext): number {
  const sentence = sentenceAround(lower, start, end);
  const request = isRequest(sentence);
  const evasion = EVASION_CUE.test(sentence);
  let f = 1 + (request ? 1 : 0) + (evasion ? 1.2 : 0);
  if (!evasion && DEFENSIVE_CUE.test(sentence.replace(DEFEATED_DEFENCE, ' '))) f *= 0.5;
  return f;
}

/** Signature rules, one per topic, scored by keyword × request/evasion cues. */
function requestOnlyFactor(lower: string, start: number, end: number, ctx: ScanContext): number {
  const sentence = sentenceAround(lower, start, end);
  if (!isRequest(sentence)) return 0;
  return harmFactor(lower, start, end, ctx);
}

function flatFactor(lower: string, start: number, end: number): number {
  const sentence = sentenceAround(lower, start, end);
  if (!isRequest(sentence)) return 0;
  return DEFENSIVE_CUE.test(sentence) ? 1 : 2;
}

function questionFactor(lower: string, start: number, end: number, ctx: ScanContext): number {
  const f = harmFactor(lower, start, end, ctx);
  // sentenceAround stops before the "?", so look at the text right after the sentence.
  const sentence = sentenceAround(lower, start, end);
  const at = lower.indexOf(sentence, Math.max(0, start - sentence.length));
  const next = at >= 0 ? lower[at + sentence.length] : undefined;
  return f === 1 && next === '?' && QUESTION_CUE.test(`${sentence}?`) ? 1.2 : f;
}

export const HARM_RULES: SignatureRule[] = HARM_TOPICS.map((t) => ({
  id: `topic.${t.name}`,
  triggers: t.triggers,
  re: new RegExp(t.pattern, 'g'),
  score: t.base,
  quotable: false,
  owasp: t.owasp,
  explanation: t.explanation,
  adjust: t.flat ? flatFactor : t.requestOnly ? requestOnlyFactor : t.questionIsRequest ? questionFactor : harmFactor,
}));

export const SEVERE_BY_RULE: ReadonlyMap<string, Severity> = new Map(HARM_TOPICS.map((t) => [`topic.${t.name}`, t.severe]));
