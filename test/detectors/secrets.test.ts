import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { findSecrets, secretsDetector, shannonEntropy, isPlaceholder, KeywordIndex, SECRET_RULES } from '../../src/detectors/secrets/index.ts';
import { DEFAULT_DETECTORS } from '../../src/detectors/registry.ts';
import { randomFrom, rng } from './secrets-samples.ts';

// Every credential below is generated here from the provider's published shape, so none is real.
const R = rng(20240611);
const AZ = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const az = 'abcdefghijklmnopqrstuvwxyz';
const D = '0123456789';
const AN = AZ + az + D;
const HEX = '0123456789abcdef';
const B64 = AN + '+/';
const gen = (alphabet: string, n: number): string => {
  // Keep generating until the value has letters and digits, as real random tokens practically do.
  for (;;) {
    const s = randomFrom(alphabet, n, R);
    if (!/[0-9]/.test(alphabet) || /[0-9]/.test(s)) if (!/[a-z]/i.test(alphabet) || /[a-z]/i.test(s)) return s;
  }
};

/** GitHub/npm style token: 30 random base62 + 6-char base62 CRC32 (github.blog, 2021-04-05). */
function base62Token(prefix: string): string {
  const body = gen(AN, 30);
  let n = crc32(body);
  let tail = '';
  do {
    tail = (D + AZ + az)[n % 62] + tail;
    n = Math.floor(n / 62);
  } while (n > 0);
  return prefix + body + tail.padStart(6, '0');
}

function only(text: string): { rule: string; value: string; score: number }[] {
  return findSecrets(text).map((m) => ({ rule: m.rule.id, value: text.slice(m.start, m.end), score: m.score }));
}

function expectSecret(text: string, rule: string, value: string): void {
  const found = only(text);
  expect(found, `expected ${rule} in ${JSON.stringify(text)}`).toContainEqual(expect.objectContaining({ rule, value }));
}

describe('secrets: provider formats (positive, exact span)', () => {
  const cases: [string, string, (v: string) => string][] = [
    ['aws-access-key-id', `AKIA${gen(AZ + '234567', 16)}`, (v) => `aws_access_key_id = ${v}`],
    ['gcp-api-key', `AIza${gen(AN + '_-', 35)}`, (v) => `const key = "${v}";`],
    ['github-fine-grained-pat', `github_pat_${gen(AN, 22)}_${gen(AN, 59)}`, (v) => `GH_TOKEN=${v}`],
    ['gitlab-pat', `glpat-${gen(AN, 20)}`, (v) => `token: ${v}`],
    ['slack-bot-token', `xoxb-${gen(D, 12)}-${gen(D, 13)}-${gen(AN, 24)}`, (v) => `SLACK=${v}`],
    ['stripe-secret-key', `sk_live_${gen(AN, 24)}`, (v) => `Stripe.api_key = '${v}'`],
    ['openai-api-key', `sk-proj-${gen(AN + '_-', 74)}T3BlbkFJ${gen(AN + '_-', 74)}`, (v) => `OPENAI_API_KEY=${v}`],
    ['anthropic-api-key', `sk-ant-api03-${gen(AN + '_-', 93)}AA`, (v) => `x-api-key: ${v}`],
    ['sendgrid-api-key', `SG.${gen(AN, 22)}.${gen(AN, 43)}`, (v) => `sendgrid ${v}`],
    ['npm-access-token', base62Token('npm_'), (v) => `//registry.npmjs.org/:_authToken=${v}`],
    ['pypi-upload-token', `pypi-AgEIcHlwaS5vcmc${gen(AN, 70)}`, (v) => `password = ${v}`],
    ['docker-hub-pat', `dckr_pat_${gen(AN, 27)}`, (v) => `docker login -p ${v}`],
    ['digitalocean-pat', `dop_v1_${gen(HEX, 64)}`, (v) => `DO_TOKEN=${v}`],
    ['shopify-access-token', `shpat_${gen(HEX, 32)}`, (v) => `X-Shopify-Access-Token: ${v}`],
    ['square-access-token', `sq0atp-${gen(AN, 22)}`, (v) => `${v}`],
    ['linear-api-key', `lin_api_${gen(AN, 40)}`, (v) => `${v}`],
    ['notion-integration-token', `ntn_${gen(D, 11)}${gen(AN, 35)}`, (v) => `${v}`],
    ['huggingface-access-token', `hf_${gen(AZ + az, 34)}`, (v) => `HF_TOKEN=${v}`],
    ['databricks-token', `dapi${gen(HEX, 32)}`, (v) => `DATABRICKS_TOKEN=${v}`],
    ['doppler-token', `dp.st.${gen(AN, 43)}`, (v) => `${v}`],
    ['vault-service-token', `hvs.${gen(AN + '_-', 95)}`, (v) => `VAULT_TOKEN=${v}`],
    ['postman-api-key', `PMAK-${gen(HEX, 24)}-${gen(HEX, 34)}`, (v) => `${v}`],
    ['sentry-user-token', `sntryu_${gen(HEX, 64)}`, (v) => `${v}`],
    ['new-relic-user-api-key', `NRAK-${gen(AZ + D, 27)}`, (v) => `${v}`],
    ['grafana-service-account-token', `glsa_${gen(AN, 32)}_${gen(HEX, 8)}`, (v) => `Bearer ${v}`],
    ['age-secret-key', `AGE-SECRET-KEY-1${gen('QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L', 58)}`, (v) => `# created\n${v}\n`],
    ['telegram-bot-token', `${gen(D, 9)}:AA${gen(AN + '_-', 33)}`, (v) => `bot ${v}`],
    ['mailchimp-api-key', `${gen(HEX, 32)}-us12`, (v) => `apikey: ${v}`],
    ['twilio-api-key', `SK${gen(HEX, 32)}`, (v) => `${v}`],
    ['azure-ad-client-secret', `${gen(AN, 3)}8Q~${gen(AN + '_~.-', 34)}`, (v) => `"clientSecret": "${v}"`],
    ['atlassian-api-token', `ATATT3${gen(AN + '_=-', 186)}`, (v) => `${v}`],
    ['heroku-api-key-v2', `HRKU-${gen(AN + '_-', 60)}`, (v) => `${v}`],
    ['groq-api-key', `gsk_${gen(AN, 52)}`, (v) => `${v}`],
    ['discord-webhook-url', `https://discord.com/api/webhooks/${gen(D, 18)}/${gen(AN + '_-', 68)}`, (v) => `post to ${v} now`],
  ];
  it.each(cases)('%s', (rule, value, wrap) => {
    expectSecret(wrap(value), rule, value);
  });

  it('verifies the GitHub CRC32 checksum: well-formed tokens score higher than look-alikes', () => {
    const good = base62Token('ghp_');
    const bad = good.slice(0, -1) + (good.endsWith('A') ? 'B' : 'A');
    const [g] = only(`token ${good}`);
    const [b] = only(`token ${bad}`);
    expect(g).toMatchObject({ rule: 'github-pat', value: good, score: 0.99 });
    expect(b).toMatchObject({ rule: 'github-pat', value: bad });
    expect(b!.score).toBeLessThan(0.99);
  });

  it('pairs an AWS access key id with a nearby 40-character secret', () => {
    const id = `AKIA${gen(AZ + '234567', 16)}`;
    const secret = gen(B64, 40);
    const text = `[default]\nkey_id=${id}\nsecret=${secret}\n`;
    const found = only(text);
    expect(found).toContainEqual(expect.objectContaining({ rule: 'aws-access-key-id', value: id }));
    expect(found.some((f) => f.value === secret && f.rule.startsWith('aws-secret-access-key'))).toBe(true);
  });

  it('finds keyword-bound values only next to their keyword', () => {
    const uuid = `${gen(HEX, 8)}-${gen(HEX, 4)}-${gen(HEX, 4)}-${gen(HEX, 4)}-${gen(HEX, 12)}`;
    expectSecret(`HEROKU_API_KEY="${uuid}"`, 'heroku-api-key', uuid);
    expectSecret(`snyk_token: ${uuid}`, 'snyk-api-token', uuid);
    // The same UUID as a request id is not a secret.
    expect(only(`request_id=${uuid}`)).toEqual([]);
    // A keyword inside another word does not count ("CameraKit" is not "meraki").
    expect(only(`ReactNativeCameraKit: ${gen(HEX, 40)}`)).toEqual([]);
  });
});

describe('secrets: negatives and placeholders', () => {
  it.each([
    'ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
    'aws_access_key_id = AKIAIOSFODNN7EXAMPLE',
    'AKIAXXXXXXXXXXXXXXXX',
    'OPENAI_API_KEY=<your-api-key>',
    'api_key = "${API_KEY}"',
    'password = "changeme"',
    'password: "********"',
    'export STRIPE_KEY={{ stripe_key }}',
    'client_secret=bP88Q~xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
    '-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----',
    '-----BEGIN PRIVATE KEY-----\nYWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXo=\n-----END PRIVATE KEY-----',
    'The key: understanding how tokens work is essential.',
    'Set max_tokens = 4096 and temperature = 0.7',
    'We ask for a password of at least 12 characters.',
    'postgres://user:password@localhost/mydb',
    'https://${USER}:${PASS}@example.com',
    'ask-sk-the model a question',
    'The SHA is 43fc912ef59a83054ea7f6706df4d53a7dea4d80 for this commit.',
    'kms_key_id = "555ea4a3-d53a-4412-9c66-3a7cb667b0d6"',
    'public_key = "9Cnzj4p4WGeKLs1Pt8QuKUpRKfFLfRYC9AIKjbJTWit"',
    'const keyStr = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"',
    'password = os.environ["DB_PASSWORD"]',
    'token = config.auth.token_value',
  ])('ignores %j', (text) => {
    expect(only(text)).toEqual([]);
  });

  it('treats obvious stand-ins as placeholders but keeps real-looking values', () => {
    expect(isPlaceholder('xxxxxxxxxxxx', true)).toBe(true);
    expect(isPlaceholder('<YOUR_TOKEN>', false)).toBe(true);
    expect(isPlaceholder('${SECRET}', false)).toBe(true);
    expect(isPlaceholder('0000000000', true)).toBe(true);
    expect(isPlaceholder('0000000000', false)).toBe(false);
    expect(isPlaceholder(gen(AN, 32), true)).toBe(false);
  });

  it('computes Shannon entropy in bits per character', () => {
    expect(shannonEntropy('aaaa')).toBe(0);
    expect(shannonEntropy('abab')).toBeCloseTo(1, 10);
    expect(shannonEntropy('abcdefgh')).toBeCloseTo(3, 10);
  });
});

describe('secrets: structural rules', () => {
  it('reports a whole PEM private key block, with its type, and not its body alone', () => {
    const body = Array.from({ length: 12 }, () => gen(B64, 64)).join('\n');
    const pem = `-----BEGIN RSA PRIVATE KEY-----\n${body}\n-----END RSA PRIVATE KEY-----`;
    const text = `here is my key:\n${pem}\nthanks`;
    const found = findSecrets(text);
    expect(found).toHaveLength(1);
    expect(found[0]!.rule.id).toBe('private-key');
    expect(text.slice(found[0]!.start, found[0]!.end)).toBe(pem);
    expect(found[0]!.title).toBe('RSA private key block');
  });

  it('finds OpenSSH, EC, PGP and JSON-escaped keys, and truncated pastes', () => {
    const body = Array.from({ length: 6 }, () => gen(B64, 70)).join('\n');
    for (const kind of ['OPENSSH PRIVATE KEY', 'EC PRIVATE KEY', 'PGP PRIVATE KEY BLOCK', 'ENCRYPTED PRIVATE KEY']) {
      const pem = `-----BEGIN ${kind}-----\n${body}\n-----END ${kind}-----`;
      expectSecret(pem, 'private-key', pem);
    }
    const escaped = `{"private_key": "-----BEGIN PRIVATE KEY-----\\n${body.replace(/\n/g, '\\n')}\\n-----END PRIVATE KEY-----\\n"}`;
    expect(only(escaped).map((f) => f.rule)).toEqual(['private-key']);
    const truncated = `-----BEGIN PRIVATE KEY-----\n${body}`;
    expectSecret(truncated, 'private-key', truncated);
  });

  it('finds JWTs whose header and payload are JSON, but not jwt.io’s tutorial token', () => {
    const seg = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url');
    const jwt = `${seg({ alg: 'HS256', typ: 'JWT' })}.${seg({ sub: gen(D, 8), exp: 1900000000 })}.${gen(AN + '_-', 43)}`;
    expectSecret(`Authorization: Bearer ${jwt}`, 'jwt', jwt);
    const sample = `${seg({ alg: 'HS256', typ: 'JWT' })}.${seg({ sub: '1234567890', name: 'John Doe', iat: 1516239022 })}.${gen(AN, 43)}`;
    expect(only(`e.g. ${sample}`)).toEqual([]);
    expect(only(`eyJ${gen(AN, 20)}.eyJ${gen(AN, 20)}.${gen(AN, 20)}`).filter((f) => f.rule === 'jwt')).toEqual([]);
  });

  it('reports the password of a connection string or basic-auth URL, not the URL', () => {
    const pw = `${gen(AN, 10)}!`;
    expectSecret(`DATABASE_URL=postgres://app:${pw}@db.internal:5432/prod`, 'database-connection-string', pw);
    expectSecret(`mongodb+srv://svc:${pw}@cluster0.abcde.mongodb.net/test`, 'database-connection-string', pw);
    expectSecret(`redis://default:${pw}@cache:6379`, 'database-connection-string', pw);
    expectSecret(`git clone https://deploy:${pw}@git.corp.local/repo.git`, 'basic-auth-url', pw);
    // A password containing "@" stops at the last "@" before the host.
    expectSecret('https://svc:myC0mpl3xP@ss@service.internal.com', 'basic-auth-url', 'myC0mpl3xP@ss');
    expect(only('https://user:user@host.com')).toEqual([]);
  });

  it('reports generic credential assignments gated by name and entropy', () => {
    const v = gen(AN, 32);
    expectSecret(`DB_PASSWORD="${v}"`, 'generic-secret-assignment', v);
    expectSecret(`client_secret: ${v}`, 'generic-secret-assignment', v);
    expectSecret(`spring.datasource.password=${v}`, 'generic-secret-assignment', v);
    expectSecret(`getenv("API_TOKEN", "${v}")`, 'generic-secret-assignment', v);
    expectSecret(`my password is Tr0ub4dor#3.`, 'generic-secret-assignment', 'Tr0ub4dor#3');
    // Lower confidence than a fixed-prefix format.
    expect(only(`apiKey = "${v}"`)[0]!.score).toBeLessThan(0.9);
  });

  it('prefers the provider rule over the generic one for the same value', () => {
    const token = `glpat-${gen(AN, 20)}`;
    expect(only(`GITLAB_TOKEN = "${token}"`)).toEqual([expect.objectContaining({ rule: 'gitlab-pat', value: token })]);
  });

  it('decodes Basic credentials and checks they hold user:password', () => {
    const b64 = Buffer.from(`alice:${gen(AN, 12)}`).toString('base64');
    expectSecret(`Authorization: Basic ${b64}`, 'authorization-basic', b64);
    expect(only(`Authorization: Basic ${Buffer.from(gen(AN, 20)).toString('base64')}`).filter((f) => f.rule === 'authorization-basic')).toEqual([]);
  });
});

describe('secrets detector', () => {
  it('produces findings with category, OWASP id, exact span and an explanation without the value', () => {
    const value = `sk_live_${gen(AN, 30)}`;
    const text = `use ${value} for payments`;
    const findings = secretsDetector.scan(text, { role: 'user', trust: 'user', direction: 'input' });
    expect(findings).toHaveLength(1);
    const f = findings[0]!;
    expect(f).toMatchObject({ detector: 'secrets', category: 'secret', rule: 'stripe-secret-key', owasp: ['LLM02'], severity: 'critical' });
    expect(text.slice(f.span!.start, f.span!.end)).toBe(value);
    expect(f.explanation).not.toContain(value);
    expect(f.explanation).toMatch(/Stripe/);
  });

  it('never puts the value in any explanation', () => {
    const texts = [
      `key: AKIA${gen(AZ + '234567', 16)}`,
      `password = "${gen(AN, 20)}"`,
      `postgres://u:${gen(AN, 12)}@h/db`,
      `-----BEGIN PRIVATE KEY-----\n${gen(B64, 200)}\n-----END PRIVATE KEY-----`,
    ];
    for (const t of texts) {
      for (const f of secretsDetector.scan(t, { role: 'user', trust: 'user', direction: 'output' })) {
        const value = t.slice(f.span!.start, f.span!.end);
        expect(f.explanation).not.toContain(value);
        expect(f.explanation.length).toBeLessThan(120);
      }
    }
  });

  it('is registered, runs in both directions and scans raw text only', () => {
    expect(DEFAULT_DETECTORS).toContain(secretsDetector);
    expect(secretsDetector.directions).toEqual(['input', 'output']);
    expect(secretsDetector.scansViews).toBe(false);
  });

  it('has a rule set at least as broad as gitleaks’ (~200 provider rules), with unique ids', () => {
    expect(SECRET_RULES.length).toBeGreaterThanOrEqual(200);
    expect(new Set(SECRET_RULES.map((r) => r.id)).size).toBe(SECRET_RULES.length);
  });

  it('returns nothing quickly for text without any keyword', () => {
    expect(findSecrets('Write a short poem about autumn leaves falling in the park.')).toEqual([]);
  });
});

describe('keyword index (Aho–Corasick)', () => {
  it('finds every occurrence, case-insensitively, including overlapping keywords', () => {
    const idx = new KeywordIndex(['he', 'she', 'his', 'hers']);
    const ends: number[][] = [[], [], [], []];
    const touched: number[] = [];
    idx.scanPositions('uSHErs and HIS', ends, new Uint8Array(4), 100, touched);
    expect(ends).toEqual([[4], [4], [14], [6]]);
    expect(touched.sort()).toEqual([0, 1, 2, 3]);
  });

  it('marks which keywords occur', () => {
    const idx = new KeywordIndex(['ghp_', 'sk-', 'akia']);
    const hits = new Uint8Array(3);
    expect(idx.scan('token GHP_abc and nothing else', hits)).toBe(1);
    expect([...hits]).toEqual([1, 0, 0]);
  });
});
