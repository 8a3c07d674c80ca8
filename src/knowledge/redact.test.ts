import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listJsonl, SPOTTER, TEST_FIXTURES } from '../test-support/fixture-files.js';
import { redact, redactValue, type SecretKind } from './redact.js';
import { looksRandom } from './secret-patterns.js';

// Fake secrets are built at run time from a seeded generator and split prefixes, so the
// repository holds no string that a secret scanner would flag.
const B62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
function fake(n: number, seed = 1, alphabet = B62): string {
  let s = seed >>> 0;
  let out = '';
  for (let i = 0; i < n; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    out += alphabet[((t ^ (t >>> 14)) >>> 0) % alphabet.length];
  }
  return out;
}
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const b64url = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');
const jwt = `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url({ sub: 'u1', exp: 1 })}.${fake(43, 9)}`;
const pemBody = [fake(64, 11), fake(64, 12), fake(64, 13), fake(20, 14) + '=='];

/** [expected kind, secret, text containing it] */
const POSITIVE: [SecretKind, string, string][] = (
  [
    ['anthropic-key', 'sk' + '-ant-api03-' + fake(93, 1) + 'AA', (s: string) => `ANTHROPIC_API_KEY=${s}`],
    ['openai-key', 'sk' + '-proj-' + fake(64, 2), (s: string) => `client = OpenAI(api_key="${s}")`],
    ['openai-key', 'sk' + '-' + fake(48, 3), (s: string) => `the key ${s} was revoked`],
    ['github-token', 'gh' + 'p_' + fake(36, 4), (s: string) => `export GITHUB_TOKEN=${s}`],
    ['github-token', 'github' + '_pat_' + fake(22, 5) + '_' + fake(59, 6), (s: string) => `token ${s}`],
    ['gitlab-token', 'gl' + 'pat-' + fake(20, 7), (s: string) => `PRIVATE-TOKEN header: ${s}`],
    ['aws-access-key', 'AK' + 'IA' + fake(16, 8, UPPER), (s: string) => `"accessKeyId": "${s}"`],
    ['aws-secret', fake(40, 9), (s: string) => `aws_secret_access_key = ${s}`],
    ['google-api-key', 'AI' + 'za' + fake(35, 10), (s: string) => `https://maps.googleapis.com/api?key=${s}&q=1`],
    ['slack-token', 'xo' + 'xb-' + '2417' + '-' + fake(24, 11), (s: string) => `bot token ${s}`],
    ['stripe-key', 'sk' + '_live_' + fake(24, 12), (s: string) => `Stripe(${s})`],
    ['stripe-key', 'rk' + '_live_' + fake(24, 13), (s: string) => `restricted: ${s}`],
    ['npm-token', 'np' + 'm_' + fake(36, 14), (s: string) => `//registry.npmjs.org/:_authToken=${s}`],
    ['huggingface-token', 'h' + 'f_' + fake(34, 15), (s: string) => `huggingface-cli login --token ${s}`],
    ['sendgrid-key', 'S' + 'G.' + fake(22, 16) + '.' + fake(43, 17), (s: string) => `mail key ${s}`],
    [
      'webhook-url',
      'T0' + fake(8, 18, UPPER) + '/B0' + fake(8, 19, UPPER) + '/' + fake(24, 20),
      (s: string) => `https://hooks.slack.com/services/${s}`,
    ],
    ['jwt', jwt, (s: string) => `Error: invalid signature for ${s}`],
    ['url-password', 'S3cr3t-' + fake(8, 21), (s: string) => `DATABASE_URL=postgres://app:${s}@db/x`],
    ['url-password', 'p@ss:' + fake(8, 22), (s: string) => `mongodb+srv://root:${s}@cluster0.example.net/db`],
    ['password', 'hunter2-' + fake(6, 23), (s: string) => `password = "${s}"`],
    ['password', fake(12, 24), (s: string) => `DB_PASSWORD=${s}`],
    ['password', fake(12, 25), (s: string) => `mysql -u root --password ${s} app`],
    ['password', fake(12, 26), (s: string) => `curl -u admin:${s} https://x.example.com`],
    ['password', fake(12, 27), (s: string) => `{"user":"bob","password":"${s}"}`],
    ['password', fake(12, 28), (s: string) => `{\\"password\\":\\"${s}\\"}`],
    ['password', 'changeme', (s: string) => `  password: ${s}`],
    ['password', fake(10, 29), (s: string) => `The password is "${s}" on staging.`],
    ['env-value', fake(20, 30), (s: string) => `export STRIPE_WEBHOOK_SECRET=${s}`],
    ['env-value', 'abc', (s: string) => `SECRET_KEY_BASE=${s}`],
    ['env-value', fake(30, 31), (s: string) => `SENTRY_DSN=https://${s}@o1.ingest.sentry.io/2`],
    ['generic-secret', fake(24, 32), (s: string) => `LEARNING: call it with token=${s} on staging`],
    ['generic-secret', fake(24, 33), (s: string) => `headers['X-Api-Key'] = '${s}'`],
    ['generic-secret', fake(24, 34), (s: string) => `?access_token=${s}&page=2`],
    ['generic-secret', fake(64, 35), (s: string) => `  secret_key_base: "${s}",`],
    [
      'azure-key',
      fake(86, 36) + '==',
      (s: string) => `AccountName=acct;AccountKey=${s};EndpointSuffix=core.windows.net`,
    ],
    ['bearer-token', fake(40, 37), (s: string) => `curl -H "Authorization: Bearer ${s}" https://api.example.com`],
    ['bearer-token', 'tok_' + fake(24, 38), (s: string) => `{"authorization": "Bearer ${s}"}`],
    ['basic-auth', Buffer.from('admin:' + fake(12, 39)).toString('base64'), (s: string) => `Authorization: Basic ${s}`],
    ['high-entropy', fake(48, 40), (s: string) => `signing key: ${s} (rotate)`],
    ['password', 'Strong!Pass', (s: string) => `"Server=db;User Id=sa;Password=${s};Encrypt=true"`],
    ['password', fake(10, 41), (s: string) => `DRIVER={ODBC};UID=app;PWD=${s};`],
    ['private-key', 'AGE-SECRET-KEY-1' + fake(58, 42, UPPER), (s: string) => `# age key\n${s}`],
    ['generic-secret', 'ab12' + fake(16, 43), (s: string) => `X-API-KEY: ${s}`],
    ['password', fake(16, 44) + '=', (s: string) => `data:\n  password: ${s}\n  username: YWRtaW4=`],
    ['env-value', 'plainword', (s: string) => `API_KEY = ${s}`],
  ] as const
).map(([kind, secret, make]) => [kind, secret, make(secret)]);

describe('redact: secrets', () => {
  it.each(POSITIVE)('%s: replaces the secret', (kind, secret, text) => {
    const r = redact(text);
    expect(r.text).not.toContain(secret);
    expect(r.text).toContain(`[REDACTED:${kind}]`);
    expect(r.found[kind]).toBeGreaterThanOrEqual(1);
  });

  it.each(POSITIVE)('%s: idempotent', (_kind, _secret, text) => {
    const once = redact(text).text;
    const twice = redact(once);
    expect(twice.text).toBe(once);
    expect(twice.found).toEqual({});
  });

  it('keeps the text around the secret', () => {
    const pw = fake(12, 50);
    expect(redact(`DATABASE_URL=postgres://app:${pw}@db/x`).text).toBe(
      'DATABASE_URL=postgres://app:[REDACTED:url-password]@db/x',
    );
    expect(redact(`password = "${pw}"`).text).toBe('password = "[REDACTED:password]"');
    expect(redact(`Authorization: Bearer ${fake(40, 51)}`).text).toBe('Authorization: Bearer [REDACTED:bearer-token]');
    expect(redact(`export OPENAI_API_KEY=${'sk' + '-proj-' + fake(40, 52)} # prod`).text).toBe(
      'export OPENAI_API_KEY=[REDACTED:openai-key] # prod',
    );
  });

  it('redacts whole private key blocks of every flavour, multi-line or inside a JSON string', () => {
    for (const label of [
      'RSA PRIVATE KEY',
      'EC PRIVATE KEY',
      'OPENSSH PRIVATE KEY',
      'PRIVATE KEY',
      'PGP PRIVATE KEY BLOCK',
    ]) {
      const block = `-----BEGIN ${label}-----\n${pemBody.join('\n')}\n-----END ${label}-----`;
      const r = redact(`key:\n${block}\nafter`);
      expect(r.text).toBe('key:\n[REDACTED:private-key]\nafter');
      const json = redact(`{"private_key": "${block.replaceAll('\n', '\\n')}\\n", "client_email": "ci@x.iam"}`);
      expect(json.text).toBe('{"private_key": "[REDACTED:private-key]\\n", "client_email": "ci@x.iam"}');
    }
    const cut = redact(`-----BEGIN RSA PRIVATE KEY-----\n${pemBody.slice(0, 2).join('\n')}`);
    expect(cut.text).toBe('[REDACTED:private-key]');
  });

  it('counts every replacement by kind', () => {
    const r = redact(`A=${'gh' + 'p_' + fake(36, 60)} B=${'gh' + 'p_' + fake(36, 61)} password: ${fake(9, 62)}`);
    expect(r.found).toEqual({ 'github-token': 2, password: 1 });
  });
});

describe('redact: what stays', () => {
  const KEEP = [
    'commit 3f2a9c1d4b5e6f708192a3b4c5d6e7f801234567 (short 3f2a9c1) on main',
    'session 8463c716-a2ea-4c14-9efa-87158ebd9f20 at 2026-02-10T21:11:56.906Z',
    'sha256:9b2c4f0a1d3e5b7c9d1f3a5b7c9e1f3a5b7c9d1e3f5a7b9c1d3e5f7a9b1c3d5e',
    `"integrity": "sha512-${fake(86, 70)}=="`,
    '/home/USER/projects/spotter-worktrees/spotter-4te/lib/spotter_web/controllers/HooksController2Test.ex',
    'https://github.com/xtermjs/xterm.js/issues/1343 and http://localhost:4000/sessions?tab=2',
    'We must never log the password; the token is rotated by the auth service every day.',
    'Password: the user types it twice. Token: see the docs.',
    'const token = getToken();',
    'const csrfToken = document.querySelector("meta[name=\'csrf-token\']")?.getAttribute("content")',
    'interface Login { password: string; apiKey?: string | undefined; token: Token }',
    'def login(password: str = None, token=None):',
    'token: process.env.TOKEN',
    'token = os.environ["TOKEN"]',
    '{ token: accessToken, password }',
    'if (password.length < 8 || token === undefined) return;',
    'password=',
    'password: <your password>',
    'password = "xxx"',
    'API_TOKEN: ${{ secrets.API_TOKEN }}',
    'curl -H "Authorization: Bearer $TOKEN" https://api.example.com',
    'headers: { Authorization: `Bearer ${token}` }',
    '"usage": {"input_tokens": 3, "output_tokens": 13, "max_tokens": 4096}',
    'token_count: 5, password_hint: "blue", auth_url: https://auth.example.com',
    'TOKEN_TTL_SECONDS=300 AUTH_ENABLED=true NEXTAUTH_URL=http://localhost:3000',
    'SSH_AUTH_SOCK=/tmp/ssh-agent.sock PWD=/home/me',
    'const TOKEN_REGEX = /^[a-z]+$/;',
    'return token!;',
    'credentials: "include"',
    'mkdir -p src/x && date -u +%Y-%m-%dT%H:%M:%SZ',
    'Bearer authentication is what the API uses.',
    'toolu_01DKTWcKpZ2ksZQmoKKfxiw6 msg_01MKH1ccEGrZGNPvu8pYiiQa req_011CY15QS2LGwAeBxdfa6e1V',
    'render_assistant_content_enriched opentelemetry_semantic_conventions AddUniqueIndexMessagesSessionUuid',
  ];
  it.each(KEEP)('%s', (text) => {
    const r = redact(text);
    expect(r.text).toBe(text);
    expect(r.found).toEqual({});
  });
});

describe('redactValue', () => {
  it('deep-copies and redacts strings, by content and by key', () => {
    const token = 'gh' + 'p_' + fake(36, 80);
    const input = {
      tool: 'Bash',
      input: { command: `GITHUB_TOKEN=${token} gh pr list`, timeout: 3000 },
      env: { API_SECRET: 'plain-word', PATH: '/usr/bin', TOKEN_TTL: '300' },
      nested: [{ password: 'hunter' }, ['x', null, true, 3]],
      when: new Date(0),
    };
    const found = {};
    const out = redactValue(input, found);
    expect(out).toEqual({
      tool: 'Bash',
      input: { command: 'GITHUB_TOKEN=[REDACTED:github-token] gh pr list', timeout: 3000 },
      env: { API_SECRET: '[REDACTED:env-value]', PATH: '/usr/bin', TOKEN_TTL: '300' },
      nested: [{ password: '[REDACTED:password]' }, ['x', null, true, 3]],
      when: new Date(0),
    });
    expect(found).toEqual({ 'github-token': 1, 'env-value': 1, password: 1 });
    expect(input.input.command).toContain(token);
    expect(out.when).toBe(input.when);
    expect(redactValue('plain')).toBe('plain');
    expect(redactValue(42)).toBe(42);
  });

  it('survives cycles', () => {
    const a: Record<string, unknown> = { password: 'x1' };
    a.self = a;
    const out = redactValue(a);
    expect(out.password).toBe('[REDACTED:password]');
    expect(out.self).toBe(out);
  });
});

describe('redact: linear time on hostile input', () => {
  const MB = 1 << 20;
  const fill = (unit: string): string => unit.repeat(Math.ceil(MB / unit.length)).slice(0, MB);
  const units = [
    'a',
    '=',
    'a=',
    'token=',
    'password="',
    'token=getToken(',
    'token=${',
    'key',
    'sk-',
    'eyJ',
    'a/',
    'Ab1+',
  ];
  const more = ['-----BEGIN RSA PRIVATE KEY-----#', 'a://a:', 'Authorization: ', '--token ', "token='", '\\'];
  it.each([...units, ...more])('1 MB of %j terminates', (unit) => {
    const r = redact(fill(unit));
    expect(r.text.length).toBeGreaterThan(0);
    expect(redact(r.text).text).toBe(r.text);
  });
});

/** Every text forge could read from a Claude Code transcript: prompts, replies, tool inputs and results. */
function transcriptTexts(file: string): string[] {
  const out: string[] = [];
  const strings = (v: unknown): void => {
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) v.forEach(strings);
    else if (typeof v === 'object' && v !== null) Object.values(v).forEach(strings);
  };
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    const rec = JSON.parse(line) as { type?: string; message?: { content?: unknown } };
    if (rec.type !== 'user' && rec.type !== 'assistant') continue;
    const content = rec.message?.content;
    if (typeof content === 'string') out.push(content);
    else if (Array.isArray(content)) {
      for (const block of content as Record<string, unknown>[]) {
        if (block.type === 'text') strings(block.text);
        else if (block.type === 'thinking') strings(block.thinking);
        else if (block.type === 'tool_use') strings(block.input);
        else if (block.type === 'tool_result') strings(block.content);
      }
    }
  }
  return out;
}

/** The values a redaction removed: the original text between the pieces that were kept. */
function removedValues(original: string, redacted: string): string[] {
  const pieces = redacted.split(/\[REDACTED:[a-z-]+\]/);
  const removed: string[] = [];
  let at = pieces[0]!.length;
  for (const piece of pieces.slice(1)) {
    const next = piece === '' ? original.length : original.indexOf(piece, at);
    removed.push(original.slice(at, next));
    at = next + piece.length;
  }
  return removed;
}

describe('redact over real transcripts (spotter)', () => {
  it('leaves prose, code, paths and ids alone; what it takes looks generated', () => {
    const files = listJsonl(SPOTTER);
    expect(files.length).toBeGreaterThan(5);
    let chars = 0;
    let kept = 0;
    const removed: string[] = [];
    const kinds = new Set<string>();
    for (const file of files) {
      for (const text of transcriptTexts(file)) {
        const r = redact(text);
        chars += text.length;
        kept += r.text.length;
        Object.keys(r.found).forEach((k) => kinds.add(k));
        if (r.text !== text) {
          removed.push(...removedValues(text, r.text));
          expect(redact(r.text).text).toBe(r.text);
        }
      }
    }
    // 36 today: CSRF tokens and signed Phoenix session tokens in HTML, thinking signatures quoted
    // in a tool result, and two `secret_key_base` values of the app's config.
    expect(removed.length).toBeGreaterThan(0);
    expect(removed.length).toBeLessThan(60);
    expect([...kinds].sort()).toEqual(['generic-secret', 'high-entropy']);
    for (const value of removed) {
      expect(value.length).toBeGreaterThanOrEqual(20);
      expect(value).not.toMatch(/\s/);
      expect(looksRandom(value) || /secret|only|[0-9]/i.test(value)).toBe(true);
    }
    expect(kept / chars).toBeGreaterThan(0.99);
  });
});

describe('the planted-secrets sample', () => {
  const dir = join(TEST_FIXTURES, 'planted-secrets');
  const file = join(dir, readdirSync(dir).find((f) => f.endsWith('.jsonl'))!);
  const secrets = JSON.parse(readFileSync(join(dir, 'secrets.json'), 'utf8')) as string[];
  const raw = readFileSync(file, 'utf8');

  it('is valid JSONL whose session id matches its name, and holds every listed secret', () => {
    const records = raw
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { sessionId: string });
    expect(records.length).toBeGreaterThanOrEqual(20);
    for (const r of records) expect(file).toContain(r.sessionId);
    expect(secrets.length).toBeGreaterThan(15);
    for (const s of secrets) expect(raw).toContain(s);
  });

  it('no secret survives redaction, field by field, record by record or line by line', () => {
    const texts = transcriptTexts(file).map((t) => redact(t).text);
    const records = redactValue(
      raw
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as unknown),
    );
    const lines = raw.split('\n').map((l) => redact(l).text);
    for (const out of [texts.join('\n'), JSON.stringify(records), lines.join('\n')]) {
      for (const s of secrets) expect(out).not.toContain(s);
    }
    const all = texts.join('\n');
    expect(all).toContain('LEARNING: money in invoice-api is summed in integer cents');
    expect(all).toContain('Root cause: `total()` multiplies and sums floats');
    expect(all).toContain('DATABASE_URL=postgres://invoice_app:[REDACTED:url-password]@db.internal:5432/invoices');
  });
});
