// A synthetic knowledge store for bench/knowledge.mjs: learning files in ao's own format, ledger
// events and prompts, all from one seeded PRNG so that every run writes the same content (only
// timestamps follow the clock, so that ages and decay stay the same relative to the run).
//
// The words come from a vocabulary of a few hundred programming terms, tools, error messages,
// commands, paths and camelCase / snake_case identifiers (thousands of distinct ones), drawn with
// a skew so that some terms are common (`test`, `error`, `config`) and most are rare, as in a
// real store. Titles and bodies follow the shapes forge and `ao learn add` write.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** sfc32: small, fast and good enough for test data; `seed` is any integer. */
export function makeRng(seed) {
  let a = 0x9e3779b9;
  let b = 0x243f6a88;
  let c = 0xb7e15162;
  let d = seed >>> 0;
  const next = () => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 16; i++) next();
  const rng = {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    chance: (p) => next() < p,
    /** Uniform pick. */
    pick: (list) => list[Math.floor(next() * list.length)],
    /** Skewed pick: the head of the list is drawn far more often than its tail. */
    skew: (list, power = 2.2) => list[Math.floor(Math.pow(next(), power) * list.length)],
    some: (list, lo, hi, power = 1) => {
      const n = rng.int(lo, hi);
      const out = new Set();
      for (let i = 0; out.size < n && i < n * 10; i++) out.add(power === 1 ? rng.pick(list) : rng.skew(list, power));
      return [...out];
    },
    hex: (n) => Array.from({ length: n }, () => Math.floor(next() * 16).toString(16)).join(''),
  };
  return rng;
}

// ---- vocabulary -------------------------------------------------------------------------------

const AREAS = (
  'auth billing search index ledger cache api cli worker queue scheduler migrations payments notifications uploads ' +
  'sessions config logging metrics router parser renderer storage sync webhooks email reports export import admin ' +
  'i18n flags checkout inventory pricing accounts tenants permissions audit backup deploy gateway graphql grpc ' +
  'streaming thumbnails pdf invoices subscriptions onboarding analytics telemetry tracing ratelimit retries'
).split(' ');

const STACKS = [
  {
    lang: 'typescript',
    tags: ['typescript', 'node', 'npm', 'vitest', 'eslint', 'prettier', 'esbuild', 'react', 'vite', 'zod'],
    dirs: ['src', 'src/lib', 'src/server', 'packages/core/src', 'apps/web/src', 'test', 'scripts'],
    exts: ['ts', 'ts', 'ts', 'tsx', 'mjs', 'test.ts'],
    cmds: [
      'npm test',
      'npm ci',
      'npm run build',
      'npm run typecheck',
      'npx vitest run {path}',
      'npx eslint --fix {path}',
      'npx tsc --noEmit',
      'node --cpu-prof bin/cli.js',
      'npx prettier --write .',
      'pnpm install --frozen-lockfile',
    ],
    errors: [
      "TypeError: Cannot read properties of undefined (reading '{prop}')",
      'ERR_MODULE_NOT_FOUND',
      'ERESOLVE unable to resolve dependency tree',
      'Error: Timeout of 5000ms exceeded',
      "TS2345: Argument of type 'string | undefined' is not assignable",
      'ReferenceError: {ident} is not defined',
      'ERR_REQUIRE_ESM',
      'UnhandledPromiseRejection',
      'EADDRINUSE: address already in use :::3000',
      'Maximum call stack size exceeded',
    ],
  },
  {
    lang: 'python',
    tags: ['python', 'pytest', 'pip', 'mypy', 'ruff', 'django', 'fastapi', 'sqlalchemy', 'poetry', 'celery'],
    dirs: ['app', 'app/services', 'app/models', 'tests', 'scripts', 'src/pkg'],
    exts: ['py', 'py', 'py', 'pyi', 'toml'],
    cmds: [
      'pytest -x -k {snake}',
      'pytest tests/',
      'mypy --strict app',
      'ruff check --fix .',
      'pip install -e .[dev]',
      'poetry lock --no-update',
      'alembic upgrade head',
      'python -m {snake}',
      'celery -A app worker',
    ],
    errors: [
      "ModuleNotFoundError: No module named '{snake}'",
      "AttributeError: 'NoneType' object has no attribute '{snake}'",
      'sqlalchemy.exc.IntegrityError: duplicate key value violates unique constraint',
      'RecursionError: maximum recursion depth exceeded',
      "KeyError: '{snake}'",
      'ImportError: cannot import name {Ident}',
      'mypy: error: Incompatible return value type',
      'django.db.utils.OperationalError: no such table',
    ],
  },
  {
    lang: 'go',
    tags: ['go', 'golangci-lint', 'grpc', 'protobuf', 'postgres', 'docker', 'kubernetes', 'gomod'],
    dirs: ['internal', 'internal/server', 'pkg', 'cmd/api', 'cmd/worker', 'api/proto'],
    exts: ['go', 'go', 'go', '_test.go', 'proto'],
    cmds: [
      'go test ./...',
      'go test -race ./internal/...',
      'go vet ./...',
      'golangci-lint run',
      'go mod tidy',
      'buf generate',
      'go build -o bin/api ./cmd/api',
    ],
    errors: [
      'context deadline exceeded',
      'panic: runtime error: invalid memory address or nil pointer dereference',
      'fatal error: concurrent map writes',
      'DATA RACE',
      'missing go.sum entry for module',
      'rpc error: code = Unavailable',
      'undefined: {Ident}',
    ],
  },
  {
    lang: 'rust',
    tags: ['rust', 'cargo', 'clippy', 'tokio', 'serde', 'sqlx', 'wasm'],
    dirs: ['src', 'crates/core/src', 'crates/cli/src', 'tests', 'benches'],
    exts: ['rs', 'rs', 'rs', 'toml'],
    cmds: [
      'cargo test',
      'cargo clippy -- -D warnings',
      'cargo build --release',
      'cargo fmt --check',
      'cargo nextest run',
      'cargo update -p {snake}',
    ],
    errors: [
      'error[E0382]: borrow of moved value',
      'error[E0502]: cannot borrow as mutable because it is also borrowed as immutable',
      'thread main panicked at called `Option::unwrap()` on a `None` value',
      'error[E0277]: the trait bound is not satisfied',
      'linker `cc` not found',
    ],
  },
  {
    lang: 'elixir',
    tags: ['elixir', 'mix', 'ecto', 'phoenix', 'liveview', 'oban', 'postgres'],
    dirs: ['lib', 'lib/app', 'lib/app_web', 'test', 'priv/repo/migrations', 'config'],
    exts: ['ex', 'ex', 'exs', 'heex'],
    cmds: [
      'mix test',
      'mix test --failed',
      'mix format',
      'mix credo --strict',
      'mix ecto.migrate',
      'mix deps.get',
      'iex -S mix phx.server',
    ],
    errors: [
      '** (Ecto.ConstraintError) constraint error when attempting to insert struct',
      '** (DBConnection.ConnectionError) connection not available and request was dropped',
      '** (FunctionClauseError) no function clause matching',
      '** (KeyError) key :{snake} not found',
      'warning: variable "{snake}" is unused',
    ],
  },
];

const INFRA = {
  tags: ['docker', 'postgres', 'redis', 'sqlite', 'kubernetes', 'terraform', 'github-actions', 'git', 'nginx', 'ci'],
  cmds: [
    'docker compose up -d db',
    'docker build --no-cache -t api .',
    'git rebase -i origin/main',
    'git push --set-upstream origin {branch}',
    'git stash pop',
    'kubectl rollout restart deployment/{kebab}',
    'kubectl logs -f deploy/{kebab}',
    'terraform plan -out plan.tfplan',
    'psql "$DATABASE_URL" -c "select 1"',
    'redis-cli FLUSHDB',
    'sqlite3 data.db "pragma journal_mode"',
    'gh run rerun --failed',
  ],
  errors: [
    'ECONNREFUSED 127.0.0.1:5432',
    'SQLITE_BUSY: database is locked',
    'deadlock detected',
    'OOMKilled',
    '403 Forbidden',
    '502 Bad Gateway',
    'x509: certificate signed by unknown authority',
    'CrashLoopBackOff',
    'fatal: refusing to merge unrelated histories',
    'permission denied (publickey)',
    'no space left on device',
    'too many open files',
    'CONFLICT (content): Merge conflict in package-lock.json',
  ],
};

const VERBS = (
  'get set parse load save build create resolve validate fetch flush retry render encode decode normalize compute ' +
  'apply sync refresh open close read write find merge split format handle dispatch schedule enqueue drain ' +
  'serialize hydrate migrate index rank cache evict emit subscribe sign verify hash'
).split(' ');
const NOUNS = (
  'user session token config index ledger cache request response payload schema row batch queue job event invoice ' +
  'account price path file buffer stream worker pool connection transaction migration query result error retry ' +
  'timeout lock tenant plan webhook message cursor page offset snapshot manifest bundle chunk header cookie ' +
  'secret key role policy rule report metric span trace'
).split(' ');
const SUFFIXES =
  'handler service store client schema types utils middleware controller worker queue repo model view'.split(' ');
const PROPS = 'id name length map then data status user items headers'.split(' ');

const PROSE = [
  'The test fails only on CI because the fixture runs in parallel with another suite that shares the database.',
  'After the upgrade the default changed silently, so every caller must now pass the option explicitly.',
  'This happens when the cache is cold and two requests race to fill it at the same time.',
  'The retry loop hides the real error and makes the job look slow instead of broken.',
  'Keep the transaction short so that the lock is released before the network call.',
  'The order of middleware matters: authentication must run before rate limiting.',
  'We decided to keep the old format readable for one release so that rollbacks stay safe.',
  'Mocking the clock makes the expiry logic deterministic and the flaky assertion goes away.',
  'The environment variable is read once at start-up, so changing it requires a restart.',
  'Large payloads are streamed in chunks so memory stays flat even for big exports.',
  'The migration must be split into two deploys because old pods still read the column.',
  'Prefer explicit timeouts on every outbound call; the default waits forever.',
  'The snapshot test captures generated ids, so normalise them before comparing.',
  'Logs must not contain tokens or email addresses: redact them at the boundary.',
  'The build cache keys on the lockfile hash, so a stale lockfile reuses broken artifacts.',
  'Integration tests need the database container healthy before the first query, not just started.',
  'The handler swallowed the rejection and returned 200, which is why the client never retried.',
  'Sorting happens in the database now; doing it in memory broke pagination past the first page.',
  'The linter rule is on purpose: the unused import pulled a heavy module into the start-up path.',
  'Dates are stored in UTC and converted at the edge; local time in the worker shifted the reports by a day.',
  'The queue consumer must be idempotent because the broker redelivers after a visibility timeout.',
  'Feature flags are evaluated once per request and cached, so a toggle applies on the next request.',
  'Windows paths broke the glob match until the paths were normalised to forward slashes.',
  'The connection pool was exhausted because a code path forgot to release the client on error.',
  'A missing index on the foreign key made the nightly report scan the whole table.',
  'The generated client is checked in; regenerate it whenever the schema changes or the types drift.',
  'Hot reload keeps module state, so restart the dev server after changing the config loader.',
  'The benchmark numbers are only comparable when measured in the same run on the same machine.',
  'A shared temp directory between tests leaked files from one case into the next.',
  'Upgrading the driver changed how numeric columns are returned: strings instead of numbers.',
  'The webhook signature is computed over the raw body, so parse the JSON only after verifying it.',
  'Secrets come from the vault at runtime; never bake them into the container image.',
  'Rate limits apply per tenant, not per user, which surprised the support team.',
  'The cron schedule runs in the server time zone, which differs between staging and production.',
  'Memory grew without bound because every request added a listener that was never removed.',
  'Graceful shutdown must drain in-flight jobs before closing the database connection.',
  'The lockfile was regenerated with a different package manager version and reordered everything.',
  'Error messages shown to users come from one catalogue so that translations stay complete.',
  'A flaky test is a bug: quarantine it with an issue link instead of retrying it silently.',
  'The API returns cursors, not offsets, because rows are inserted while clients page through results.',
];

const CONDITIONS = [
  'the cache is cold',
  'two workers run at once',
  'the lockfile is stale',
  'CI runs without a TTY',
  'the database is empty',
  'the timezone is not UTC',
  'the payload is over 1 MB',
  'the user has no tenant',
  'tests run in parallel',
  'the network is slow',
  'the feature flag is off',
  'a migration is pending',
  'the file has CRLF line endings',
  'the container runs as root',
  'the session token expired',
];

const ACTIONS = [
  'pin the version in the lockfile',
  'wrap the call in a transaction',
  'pass an explicit timeout',
  'clear the cache before the test',
  'run the migration first',
  'await the promise before returning',
  'use a fresh temp dir per test',
  'set the busy timeout to 10 s',
  'sort the keys before hashing',
  'close the connection in a finally block',
  'validate the input at the boundary',
  'batch the writes into one statement',
  'read the config lazily',
  'retry with exponential backoff',
  'stream the file instead of buffering it',
  'normalise paths to forward slashes',
];

const TYPES = ['failure', 'fix', 'decision', 'convention', 'preference', 'gotcha', 'pattern'];
const AGENTS = ['claude', 'claude', 'claude', 'codex', 'codex', 'gemini', 'human', 'import', 'cursor'];

const cap = (s) => s[0].toUpperCase() + s.slice(1);

/** Words drawn from one vocabulary, with the helpers that make identifiers, paths and commands. */
function vocab(rng) {
  const camel = () => rng.skew(VERBS, 1.6) + cap(rng.skew(NOUNS, 1.6)) + (rng.chance(0.4) ? cap(rng.pick(NOUNS)) : '');
  const pascal = () =>
    cap(rng.skew(NOUNS, 1.6)) + cap(rng.pick(NOUNS)) + (rng.chance(0.5) ? cap(rng.pick(SUFFIXES)) : '');
  const snake = () => `${rng.skew(VERBS, 1.6)}_${rng.skew(NOUNS, 1.6)}${rng.chance(0.4) ? `_${rng.pick(NOUNS)}` : ''}`;
  const kebab = () => `${rng.skew(AREAS)}-${rng.pick(SUFFIXES)}`;
  const stack = () => rng.skew(STACKS, 1.5);
  const path = (s = stack()) => {
    const ext = rng.pick(s.exts);
    const name = rng.chance(0.5) ? `${rng.pick(NOUNS)}_${rng.pick(SUFFIXES)}` : rng.pick(SUFFIXES);
    const base = s.lang === 'typescript' ? name.replace(/_([a-z])/g, (_, c) => c.toUpperCase()) : name;
    return `${rng.pick(s.dirs)}/${rng.skew(AREAS)}/${base}${ext.startsWith('_') ? '' : '.'}${ext}`;
  };
  const fill = (template, s) =>
    template
      .replace('{path}', () => path(s))
      .replace('{snake}', snake)
      .replace('{Ident}', pascal)
      .replace('{ident}', camel)
      .replace('{prop}', () => rng.pick(PROPS))
      .replace('{kebab}', kebab)
      .replace('{branch}', () => `fix/${kebab()}`);
  const cmd = (s = stack()) => fill(rng.chance(0.75) ? rng.skew(s.cmds, 1.4) : rng.pick(INFRA.cmds), s);
  const err = (s = stack()) => fill(rng.chance(0.7) ? rng.skew(s.errors, 1.4) : rng.skew(INFRA.errors, 1.4), s);
  const prose = (lo, hi) => rng.some(PROSE, lo, hi).join(' ');
  const ident = (s) =>
    s.lang === 'python' || s.lang === 'elixir' || s.lang === 'rust' ? snake() : rng.chance(0.3) ? pascal() : camel();
  return { camel, pascal, snake, kebab, stack, path, cmd, err, prose, ident };
}

// ---- learnings --------------------------------------------------------------------------------

function makeTitle(rng, v, type, s, area) {
  const id = v.ident(s);
  switch (type) {
    case 'failure':
      return rng.chance(0.5)
        ? `\`${v.cmd(s)}\` fails with ${v.err(s)} when ${rng.pick(CONDITIONS)}`
        : `${cap(area)} ${rng.pick(SUFFIXES)} crashes in ${id} when ${rng.pick(CONDITIONS)}`;
    case 'fix':
      return `Fix ${v.err(s)} in ${area}: ${rng.pick(ACTIONS)}`;
    case 'decision':
      return `Use ${rng.pick(s.tags)} for ${area} ${rng.pick(NOUNS)}s instead of ${rng.pick(INFRA.tags)}`;
    case 'convention':
      return `${cap(rng.pick(ACTIONS))} in ${v.path(s)}`;
    case 'preference':
      return `Prefer ${id} over ${v.ident(s)} for ${area} ${rng.pick(NOUNS)}s`;
    case 'gotcha':
      return `${id} silently drops the ${rng.pick(NOUNS)} when ${rng.pick(CONDITIONS)}`;
    default:
      return `${cap(area)} ${rng.pick(NOUNS)}s go through ${id} in ${v.path(s)}`;
  }
}

function makeBody(rng, v, type, s, area) {
  const target = rng.int(300, 1500);
  const uses = rng.pick(['calls', 'wraps', 'replaces', 'depends on']);
  const parts = [
    `**What**\n${v.prose(1, 2)} In ${area}, \`${v.ident(s)}\` ${uses} \`${v.ident(s)}\` from \`${v.path(s)}\`.`,
  ];
  if (type === 'failure' || type === 'fix' || type === 'gotcha' || rng.chance(0.3)) {
    parts.push(`**Why**\n${v.prose(1, 2)} The error was \`${v.err(s)}\`.`);
  }
  parts.push(`**How to apply**\n${cap(rng.pick(ACTIONS))}, then run \`${v.cmd(s)}\`. ${v.prose(0, 1)}`.trimEnd());
  const evidence = [];
  let length = parts.join('\n\n').length + 16;
  while (length < target - 40) {
    const r = rng.next();
    let line;
    if (r < 0.3) line = `- failing command: \`${v.cmd(s)}\``;
    else if (r < 0.55) line = `- error: \`${v.err(s)}\``;
    else if (r < 0.75) line = `- touched \`${v.path(s)}\` (\`${v.ident(s)}\`, \`${v.ident(s)}\`)`;
    else line = `- ${v.prose(1, 1)}`;
    if (length + line.length > 1500) break;
    evidence.push(line);
    length += line.length + 1;
  }
  if (evidence.length) parts.push(`**Evidence**\n${evidence.join('\n')}`);
  const text = parts.join('\n\n');
  return text.length >= 300 ? text : `${text}\n\n${v.prose(2, 3)}`;
}

/**
 * `count` learnings, each with its file text. Ids and file text come from ao's own `mintId` and
 * `formatLearning` (passed in, bundled from src/), so the store is exactly what ao writes even as
 * the format evolves. Deterministic for a given seed except for the timestamps, which are set back
 * from `now`.
 */
export function makeLearnings(count, seed, { mintId, formatLearning }, now = Date.now()) {
  const rng = makeRng(seed);
  const v = vocab(rng);
  const out = [];
  const ids = new Set();
  const DAY = 86_400_000;
  while (out.length < count) {
    const s = v.stack();
    const type = rng.skew(TYPES, 1.3);
    const area = rng.skew(AREAS, 1.8);
    const title = makeTitle(rng, v, type, s, area);
    const body = makeBody(rng, v, type, s, area);
    const id = mintId(title, body);
    if (ids.has(id)) continue;
    ids.add(id);
    const agent = rng.pick(AGENTS);
    const created = new Date(now - Math.floor(rng.next() * rng.next() * 400 * DAY)).toISOString();
    const tags = [
      ...new Set([s.lang, ...rng.some(s.tags, 0, 2), ...(rng.chance(0.3) ? [rng.pick(INFRA.tags)] : []), area]),
    ]
      .filter((t) => /^[a-z0-9-]+$/.test(t))
      .slice(0, 5);
    // Scopes as forge writes them (src/knowledge/forge/context.ts scopeOf): one file, or `dir/**`
    // for a few files under one folder; and a few hand-written extension globs.
    const scopeKind = rng.chance(0.3) ? rng.next() : -1;
    const scope =
      scopeKind < 0
        ? []
        : scopeKind < 0.5
          ? [v.path(s)]
          : scopeKind < 0.85
            ? [`${rng.pick(s.dirs)}/${area}/**`]
            : [`*.${rng.pick(s.exts).replace(/^_|^test\./, '')}`];
    const source = { agent };
    if (agent !== 'human' && agent !== 'import') {
      source.session = `${rng.hex(8)}-${rng.hex(4)}-${rng.hex(4)}-${rng.hex(4)}-${rng.hex(12)}`;
      source.transcript = `~/.claude/projects/-home-dev-${area}/${source.session}.jsonl`;
      source.line = rng.int(1, 4000);
      source.time = created;
    }
    const earlier = out.length > 50 && rng.chance(0.02) ? [out[rng.int(0, out.length - 1)].id] : [];
    const expires = rng.chance(0.03) ? new Date(now + rng.int(-60, 300) * DAY).toISOString().slice(0, 10) : null;
    const learning = {
      id,
      title,
      type,
      tags,
      scope,
      source,
      created,
      confidence: Math.round((0.5 + rng.next() * 0.45) * 100) / 100,
      supersedes: earlier,
      expires,
      body,
      extra: agent === 'human' ? {} : { extractor: rng.pick(['error-fix', 'correction', 'statement', 'marker']) },
    };
    out.push({ ...learning, text: formatLearning(learning) });
  }
  return out;
}

// ---- ledger and prompts -----------------------------------------------------------------------

/** Injections, citations, feedback, additions and a few retirements over the last 90 days. */
export function makeLedger(learnings, count, seed, now = Date.now()) {
  const rng = makeRng(seed);
  const DAY = 86_400_000;
  // A popular tenth gets most of the traffic, as the useful learnings of a real store do.
  const popular = learnings.slice(0, Math.ceil(learnings.length / 10)).map((l) => l.id);
  const anyId = () => (rng.chance(0.7) ? rng.skew(popular, 1.5) : rng.pick(learnings).id);
  const ts = () => new Date(now - Math.floor(rng.next() * 90 * DAY)).toISOString();
  const events = { 'injections.jsonl': [], 'citations.jsonl': [], 'learnings.jsonl': [] };
  const injected = [];
  for (let i = 0; i < count; i++) {
    const r = rng.next();
    if (r < 0.55) {
      const ids = [...new Set(Array.from({ length: rng.int(0, 5) }, anyId))];
      injected.push(...ids);
      const session = `${rng.hex(8)}-${rng.hex(4)}-${rng.hex(4)}-${rng.hex(4)}-${rng.hex(12)}`;
      events['injections.jsonl'].push({
        kind: 'inject',
        ts: ts(),
        ids,
        session,
        query: rng.pick(learnings).title.slice(0, 200),
        tokens: ids.length ? rng.int(200, 1500) : 0,
        budget: 1500,
      });
    } else if (r < 0.85 && injected.length) {
      events['citations.jsonl'].push({
        kind: 'cite',
        ts: ts(),
        id: rng.pick(injected),
        session: `${rng.hex(8)}-${rng.hex(4)}-${rng.hex(4)}-${rng.hex(4)}-${rng.hex(12)}`,
        how: rng.chance(0.3) ? 'explicit' : 'implicit',
        evidence: `ran \`${rng.pick(learnings).title.slice(0, 60)}\``,
      });
    } else if (r < 0.93) {
      events['learnings.jsonl'].push({ kind: 'add', ts: ts(), id: anyId(), via: 'forge:error-fix' });
    } else if (r < 0.985) {
      events['learnings.jsonl'].push({ kind: 'feedback', ts: ts(), id: anyId(), helpful: rng.chance(0.75), by: 'dev' });
    } else {
      events['learnings.jsonl'].push({ kind: 'retire', ts: ts(), id: anyId(), reason: 'outdated', by: 'dev' });
    }
  }
  for (const list of Object.values(events)) list.sort((a, b) => a.ts.localeCompare(b.ts));
  return events;
}

/** Writes the learnings and ledger into `<repo>/.agents/` the way ao lays them out. */
export function writeStore(repo, learnings, ledger) {
  const agents = join(repo, '.agents');
  mkdirSync(join(agents, 'learnings'), { recursive: true });
  mkdirSync(join(agents, 'ledger'), { recursive: true });
  writeFileSync(join(agents, '.gitattributes'), 'ledger/*.jsonl merge=union\n');
  writeFileSync(join(agents, '.gitignore'), '.cache/\n.tmp-*\n');
  for (const l of learnings) writeFileSync(join(agents, 'learnings', `${l.id}.md`), l.text);
  for (const [file, events] of Object.entries(ledger))
    writeFileSync(join(agents, 'ledger', file), events.map((e) => JSON.stringify(e)).join('\n') + '\n');
  return agents;
}

const PROMPT_SHAPES = [
  (rng, v, s) => `${v.cmd(s)} fails with ${v.err(s)} since this morning, can you find out why and fix it?`,
  (rng, v, s) => `Add a ${rng.pick(NOUNS)} field to ${v.ident(s)} in ${v.path(s)} and update the tests`,
  (rng, v, s) =>
    `Refactor the ${rng.skew(AREAS)} ${rng.pick(SUFFIXES)} so that ${v.ident(s)} no longer blocks when ${rng.pick(CONDITIONS)}`,
  (rng, v, s) => `The ${rng.skew(AREAS)} tests are flaky on CI: ${v.err(s)}`,
  (rng, v, s) => `Why does ${v.ident(s)} return an empty ${rng.pick(NOUNS)} when ${rng.pick(CONDITIONS)}?`,
  (rng, v, s) =>
    `Migrate ${rng.skew(AREAS)} from ${rng.pick(INFRA.tags)} to ${rng.pick(s.tags)}, keep the old ${rng.pick(NOUNS)} format readable`,
  (rng, v, s) => `review my change to ${v.path(s)}`,
  (rng) => `${rng.pick(ACTIONS)} in the ${rng.skew(AREAS)} ${rng.pick(SUFFIXES)}`,
];

/**
 * Prompts as an agent's user would type them, from the store's vocabulary; a share of them
 * (default half) name the files in play (`paths`), as a hook that knows them would pass.
 */
export function makePrompts(count, seed, pathShare = 0.5) {
  const rng = makeRng(seed);
  const v = vocab(rng);
  return Array.from({ length: count }, () => {
    const s = v.stack();
    const prompt = rng.pick(PROMPT_SHAPES)(rng, v, s);
    const paths = rng.chance(pathShare) ? Array.from({ length: rng.int(1, 3) }, () => v.path(s)) : [];
    return { prompt, paths };
  });
}

/** Short keyword queries, as a person types into `ao search`. */
export function makeKeywordQueries(count, seed) {
  const rng = makeRng(seed);
  const v = vocab(rng);
  return Array.from({ length: count }, () => {
    const s = v.stack();
    const r = rng.next();
    if (r < 0.3) return `${rng.pick(s.tags)} ${rng.skew(AREAS)} ${rng.pick(NOUNS)}`;
    if (r < 0.55) return v.err(s);
    if (r < 0.8) return v.ident(s);
    return v.cmd(s);
  });
}
