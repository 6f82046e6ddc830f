// The entity pass of the PII detector (src/detectors/pii/entities.ts): person names from gazetteers
// and context, the address tail, and the quasi-identifiers (places, organisations, groups, dates,
// ages, postcodes) that the default policy reports but does not redact.
import { describe, expect, it } from 'vitest';
import { builtinOutputRules, builtinInputRules } from '../../src/config/defaults.ts';
import { createPiiDetector, findPii, piiDetector, piiEntitiesDetector, QUASI_IDENTIFIER_RULES, QUASI_SCORE } from '../../src/detectors/pii/index.ts';
import { DEFAULT_DETECTORS } from '../../src/detectors/registry.ts';
import { gazetteers, worthScanning } from '../../src/detectors/pii/entities.ts';
import { factsOf } from '../../src/detectors/normalize/facts.ts';
import { actionFor, decide } from '../../src/policy/index.ts';
import type { CategoryRules } from '../../src/config/types.ts';

const ctx = { role: 'assistant', trust: 'trusted', direction: 'output' } as const;

function found(text: string): { rule: string; value: string }[] {
  return findPii(text).map((m) => ({ rule: m.rule.id, value: text.slice(m.start, m.end) }));
}

function values(text: string, rule: string): string[] {
  return found(text)
    .filter((f) => f.rule === rule)
    .map((f) => f.value);
}

describe('person names', () => {
  it('takes a full name next to contact details as a direct identifier, with its span', () => {
    const text = 'Please call Maria Fernandez on +1 415 555 0100 about the invoice.';
    expect(values(text, 'person-name')).toEqual(['Maria Fernandez']);
  });

  it('reports a full name in ordinary prose as a mention only', () => {
    const text = 'The biography of Maria Fernandez was published last spring.';
    expect(values(text, 'person-name')).toEqual([]);
    expect(values(text, 'person-mention')).toEqual(['Maria Fernandez']);
  });

  it('keeps the honorific with a cued name', () => {
    expect(values('Yesterday Mrs. Labrie called back.', 'person-name')).toEqual(['Mrs. Labrie']);
  });

  it('takes a later lone surname of a known person as the same person', () => {
    const text = 'Contact: Anna Novak, anna.novak@mailbox.org. Novak answers on weekdays.';
    expect(values(text, 'person-name')).toEqual(['Anna Novak', 'Novak']);
  });

  it('finds names in lists and after cue words', () => {
    expect(values('The founders were Becker, Schmidt and Weber.', 'person-mention')).toEqual(['Becker', 'Schmidt', 'Weber']);
    expect(values('I want to remove my kid Lukas from the will.', 'person-mention')).toEqual(['Lukas']);
  });

  it('does not take ordinary capitalised words for names', () => {
    for (const text of [
      'The Quick Brown Fox jumps over the Lazy Dog.',
      'Use Python and React to build the Admin Dashboard.',
      'Monday Morning Meeting Notes: Project Status Update',
      'Will you review the March release?',
    ]) {
      expect(found(text).filter((f) => f.rule === 'person-name' || f.rule === 'person-mention'), text).toEqual([]);
    }
  });
});

describe('name families found by context and shape', () => {
  it('finds lower-case names: given name and surname, lists of given names, honorifics', () => {
    expect(values('can you follow up with maria kowalczyk tomorrow', 'person-mention')).toEqual(['maria kowalczyk']);
    expect(values('our kids are called anna, silke, julia and greta.', 'person-mention')).toEqual(['anna', 'silke', 'julia', 'greta']);
    expect(values('mr. wellesbrook called about the order', 'person-mention')).toEqual(['mr. wellesbrook']);
  });

  it('does not take lower-case everyday words or lists of them for names', () => {
    for (const text of ['we need apples, pears, plums and grapes for the party', 'please review the pull request and merge it', 'mr. smooth talker']) {
      expect(found(text).filter((f) => f.rule === 'person-mention' || f.rule === 'person-name'), text).toEqual([]);
    }
  });

  it('takes unknown words with a family-name ending for surnames', () => {
    expect(values('Have you met Dorota Wierzbicka yet?', 'person-mention')).toEqual(['Dorota Wierzbicka']);
    expect(values('Nobody writes better dialogue than early Vasnetsova.', 'person-mention')).toEqual(['Vasnetsova']);
    expect(values('The founders were Zelić, Hartley and Brown.', 'person-mention')).toEqual(['Zelić', 'Hartley', 'Brown']);
  });

  it('reads naming cues and a vocative that opens a line', () => {
    expect(values('She named him Oskarr after his grandfather.', 'person-mention')).toEqual(['Oskarr']);
    expect(values("What's your last name? Quennevat", 'person-mention')).toEqual(['Quennevat']);
    expect(values('Tavrino, can you send me the file?', 'person-mention')).toEqual(['Tavrino']);
  });

  it('does not take ordinary words after the same cues', () => {
    expect(values('She named him Captain of the team.', 'person-mention')).toEqual([]);
    expect(values('Sorry, can you send me the file?', 'person-mention')).toEqual([]);
    expect(values('The Dostoevsky novel is long.', 'person-mention')).toEqual([]);
  });
});

describe('more quasi-identifier families', () => {
  it('takes capitalised words and a postcode after "in" for a town and its postcode', () => {
    const f = found('Our office in Vellinge Strand 23542 opens at nine.');
    expect(f.filter((x) => x.rule === 'location').map((x) => x.value)).toEqual(['Vellinge Strand']);
    expect(f.filter((x) => x.rule === 'postal-code').map((x) => x.value)).toEqual(['23542']);
    expect(values('Support was added in Windows 2019 and in Python 3.', 'postal-code')).toEqual([]);
  });

  it('finds a street named without its number, and places in lower-case text', () => {
    expect(values('The shop on Ashcombe Fort Road closed.', 'location')).toEqual(['Ashcombe Fort Road']);
    expect(values('i am originally from switzerland', 'location')).toEqual(['switzerland']);
    expect(values('the corner of Halvard 12 and Main', 'location')).toEqual(['Halvard']);
  });

  it('finds organisations described as one, ensembles and nonprofits', () => {
    expect(values('Trevolix is the company behind the app.', 'organization')).toEqual(['Trevolix']);
    expect(values('Tickets for The Brandeth Orchestra are sold out.', 'organization')).toEqual(['The Brandeth Orchestra']);
    expect(values('Since 2001, Kelvora is a 501(c)(3) charity.', 'organization')).toEqual(['Kelvora']);
  });

  it('reads a group named after "we are proud", and the people of a place named in -er', () => {
    expect(values('We are proud ecuadoreans.', 'nrp')).toEqual(['ecuadoreans']);
    expect(values('Ask any Londoner about the Tube.', 'nrp')).toEqual(['Londoner']);
    expect(values('The Toaster broke again.', 'nrp')).toEqual([]);
  });

  it('finds site names in URLs written with capitals, not ordinary lower-case links', () => {
    expect(values('Download it from https://www.PixelHarbor.co.uk/files today.', 'domain-name')).toEqual(['PixelHarbor.co.uk']);
    expect(values('See https://github.com/org/repo and http://example.org/a.', 'domain-name')).toEqual([]);
  });
});

describe('the gate before the token pass', () => {
  const g = gazetteers();

  it('skips text whose only capitals start sentences with everyday words, and acronyms', () => {
    expect(worthScanning('Data flows from the server to the client. Report the result to the API team.', g)).toBe(false);
    expect(worthScanning('Version 1.2 added 3 fixes; see the JavaScript guide.', g)).toBe(false);
  });

  it('runs on proper nouns, dates and ages', () => {
    expect(worthScanning('Please ask Kowalczyk about it.', g)).toBe(true);
    expect(worthScanning('We moved to the United States last year.', g)).toBe(true);
    expect(worthScanning('It shipped on 2021-03-04.', g)).toBe(true);
    expect(worthScanning('He is 42 years old.', g)).toBe(true);
  });

  it('finds where to look from the shared character pass: word-initial capitals and digit runs', () => {
    const text = "x-Ray 3D O'Brien iPhone 2020 NASA ab12cd";
    expect(factsOf(text).wordStarts?.map((i) => text.slice(i, i + 2))).toEqual(['Ra', '3D', 'D ', "O'", 'Br', '20', 'NA', '12']);
    expect(factsOf('all lower case here').wordStarts).toBeUndefined();
  });

  it('decides as a search of the text itself would, on ASCII text full of capitals, digits and names', () => {
    const words = [
      'the', 'report', 'Price', 'Kowalczyk', 'Maria', 'United', 'States', 'API', 'NASA', 'JavaScript', 'iPhone', "O'Brien", 'x-Ray',
      'Jean-Luc', 'We', 'are', 'I', 'am', 'cambodian', 'zip', 'code', '94107', '2021-03-04', '12/31/2020', '42', 'years', 'old', 'y/o',
      'age', '1977', '3D', 'Q3', 'IGFsbCBw', 'Data', 'Mill', 'Village', '#', '##', '-', '*', '>', '.', '!', '?', ':', '\n', 'A', 'b',
    ];
    let seed = 12345;
    const rand = (): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 4294967296;
    };
    let yes = 0;
    for (let t = 0; t < 3000; t++) {
      const n = 1 + Math.floor(rand() * 16);
      const parts: string[] = [];
      for (let k = 0; k < n; k++) parts.push(words[Math.floor(rand() * words.length)] ?? '');
      const text = parts.join(rand() < 0.7 ? ' ' : '');
      const facts = factsOf(text);
      // The same gate, made to search the text (as it does for text beyond ASCII).
      const searched = worthScanning(text, g, { ...facts, nonAscii: true });
      expect(worthScanning(text, g, facts), text).toBe(searched);
      if (searched) yes++;
    }
    expect(yes).toBeGreaterThan(300);
    expect(yes).toBeLessThan(2700);
  });
});

describe('addresses', () => {
  it('extends a street address over its unit, town and postcode lines', () => {
    const text = 'Ship to:\n221 Baker Street\nApt. 4\nSpringfield\nUnited Kingdom 75419\n\nThanks!';
    expect(values(text, 'street-address')).toEqual(['221 Baker Street\nApt. 4\nSpringfield\nUnited Kingdom 75419']);
  });

  it('steps over an empty field and takes other countries\' postcodes, and lower-case street lines', () => {
    const text = 'Billing address:\n  12 Harrow Lane Suite 4\n  Pinewick\n  nan\n  53-320';
    expect(values(text, 'street-address')).toEqual(['12 Harrow Lane Suite 4\n  Pinewick\n  nan\n  53-320']);
    expect(values('send it to 41 lindevej 7, please', 'street-address')).toEqual(['41 lindevej 7']);
    expect(values('the speedweg 5 test', 'street-address')).toEqual([]);
  });

  it('does not run on into the next sentence', () => {
    const text = 'We met at 221 Baker Street\nThe weather was fine.';
    expect(values(text, 'street-address')).toEqual(['221 Baker Street']);
  });
});

describe('quasi-identifiers', () => {
  it('finds places, organisations, groups, dates, ages and postcodes', () => {
    const f = found('Mr. Leiva flew to Canada on Tuesday. He is a 42 year old Icelandic engineer who worked at Healthpocket Inc since 2019. ZIP: 48750');
    const by = (rule: string): string[] => f.filter((x) => x.rule === rule).map((x) => x.value);
    expect(by('location')).toEqual(['Canada']);
    expect(by('date')).toEqual(['Tuesday', '2019']);
    expect(by('age')).toEqual(['42']);
    expect(by('nrp')).toEqual(['Icelandic']);
    expect(by('organization')).toEqual(['Healthpocket Inc']);
    expect(by('postal-code')).toEqual(['48750']);
  });

  it('does not read a language as a group, nor a bare number as an age', () => {
    expect(values('Please translate this into French.', 'nrp')).toEqual([]);
    expect(values('I bought 42 apples in 3 shops.', 'age')).toEqual([]);
  });

  it('scores every quasi-identifier below the direct-identifier threshold', () => {
    const f = findPii('She moved to Lisbon in 2011 and joined Verdafero, aged 35.');
    expect(f.length).toBeGreaterThan(2);
    for (const m of f) {
      expect(QUASI_IDENTIFIER_RULES.has(m.rule.id), m.rule.id).toBe(true);
      expect(m.score).toBe(QUASI_SCORE);
    }
  });

  it('can be turned off by rule id', () => {
    const d = createPiiDetector({ disable: ['location', 'date'] });
    expect(d.scan('She moved to Lisbon in 2011.', ctx)).toEqual([]);
  });
});

describe('policy', () => {
  const text = 'Dear customer, Jane Doe (jane.doe@mailbox.org) flew to Canada on Tuesday.';
  const findings = createPiiDetector().scan(text, ctx);
  const rule = (id: string): string[] => findings.filter((f) => f.rule === id).map((f) => text.slice(f.span?.start, f.span?.end));

  it('redacts direct identifiers and leaves quasi-identifiers alone under the default output rules', () => {
    const out = builtinOutputRules();
    expect(rule('email')).toEqual(['jane.doe@mailbox.org']);
    expect(rule('location')).toEqual(['Canada']);
    for (const f of findings) {
      const want = QUASI_IDENTIFIER_RULES.has(f.rule) ? 'allow' : 'redact';
      expect(actionFor(f, out), f.rule).toBe(want);
    }
    expect(decide(findings, out, 'output').action).toBe('redact');
    const quasi = findings.filter((f) => QUASI_IDENTIFIER_RULES.has(f.rule));
    expect(decide(quasi, out, 'output').action).toBe('allow');
    // An operator who wants them reported says so.
    expect(decide(quasi, { pii: { redact: 0.35, flag: 0 } }, 'output').action).toBe('flag');
  });

  it('does not act on quasi-identifiers in the caller\'s input by default', () => {
    const quasi = findings.filter((f) => QUASI_IDENTIFIER_RULES.has(f.rule));
    expect(quasi.length).toBeGreaterThan(0);
    expect(decide(quasi, builtinInputRules(), 'input').action).toBe('allow');
  });

  it('redacts quasi-identifiers too under a strict `pii: redact` rule', () => {
    const strict: CategoryRules = { pii: { redact: 0 } };
    for (const f of findings) expect(actionFor(f, strict), f.rule).toBe('redact');
  });
});

describe('the entity pass as its own detector', () => {
  const text = 'Dear Mr. Smith, our office in Lisbon (Acme Holdings Inc.) will call Jane Doe at +1 415 555 0134 on 12 March 2024.';
  const key = (f: { rule: string; span?: { start: number; end: number } }): string => `${f.rule}@${f.span?.start}-${f.span?.end}`;

  it('pii and pii-entities together report exactly what the combined scanner finds, with no finding twice', () => {
    const ctx = { role: 'user', trust: 'user', direction: 'input' } as const;
    const patterns = piiDetector.scan(text, ctx);
    const entities = piiEntitiesDetector.scan(text, ctx);
    expect(entities.length).toBeGreaterThan(0);
    expect(entities.every((f) => f.detector === 'pii-entities')).toBe(true);
    const together = [...patterns, ...entities].map(key).sort();
    expect(new Set(together).size).toBe(together.length);
    expect(together).toEqual(findPii(text).map((m) => key({ rule: m.rule.id, span: m })).sort());
  });

  it('is registered by default, so a policy can leave it out with detectors.disabled', () => {
    expect(DEFAULT_DETECTORS.map((d) => d.id)).toEqual(expect.arrayContaining(['pii', 'pii-entities']));
  });
});
