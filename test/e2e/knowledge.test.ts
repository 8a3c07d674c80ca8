import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * End-to-end tests of the knowledge flywheel through the built `ao`, in temp git repositories with
 * a temp AO_HOME: forge the real spotter fixtures, import the real Go AgentOps store, search and
 * inject, planted secrets, and sixteen processes writing at once.
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin', 'ao.js');
const SHARED = fileURLToPath(new URL('../../../shared/fixtures/', import.meta.url));
const SPOTTER = join(SHARED, 'claude-code', 'spotter');
const STORE = join(SHARED, 'agentops-store');
const PLANTED = join(ROOT, 'test', 'fixtures', 'planted-secrets');

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

interface Repo {
  dir: string;
  home: string;
  ao(args: string[], input?: string): { code: number; stdout: string; stderr: string };
  json<T>(args: string[]): T;
}

function repo(): Repo {
  const base = mkdtempSync(join(os.tmpdir(), 'ao-k-'));
  dirs.push(base);
  const dir = join(base, 'repo');
  const home = join(base, 'home');
  mkdirSync(dir);
  mkdirSync(home);
  spawnSync('git', ['init', '-q', dir]);
  const env = { ...process.env, AO_HOME: home, NO_COLOR: '1' };
  const ao = (args: string[], input?: string): { code: number; stdout: string; stderr: string } => {
    const r = spawnSync(process.execPath, [BIN, ...args], {
      cwd: dir,
      env,
      encoding: 'utf8',
      input,
      maxBuffer: 64 << 20,
    });
    return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
  };
  return {
    dir,
    home,
    ao,
    json<T>(args: string[]): T {
      const r = ao([...args, '--json']);
      if (r.code !== 0) throw new Error(`ao ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
      return JSON.parse(r.stdout) as T;
    },
  };
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...filesUnder(p));
    else out.push(p);
  }
  return out;
}

interface ForgeJson {
  counts: { sessions: number; candidates: number; accepted: number; held: number; merged: number };
  candidates: { title: string; verdict: string; id: string | null; source: { session?: string; line?: number } }[];
}

describe('learn, search, inject', () => {
  it('adds from text alone, lists, searches and injects with ids, and records the injection', () => {
    const r = repo();
    const added = r.json<{ id: string; learning: { title: string; type: string; tags: string[] } }>([
      'learn',
      'add',
      'Never run `mix ecto.reset` against the shared dev database; use MIX_ENV=test with a sandboxed repo instead.',
    ]);
    expect(added.id).toMatch(/^L-[0-9a-z]{10}$/);
    expect(added.learning.type).toBe('gotcha');
    expect(readFileSync(join(r.dir, '.agents', '.gitattributes'), 'utf8')).toContain('ledger/*.jsonl merge=union');
    expect(readFileSync(join(r.dir, '.agents', '.gitignore'), 'utf8')).toContain('.cache/');
    r.json([
      'learn',
      'add',
      'Prefer pnpm over npm in this repository',
      '--type',
      'preference',
      '--tags',
      'pnpm,tooling',
    ]);
    const list = r.json<{ id: string; maturity: string }[]>(['learn', 'list']);
    expect(list).toHaveLength(2);
    expect(list.every((l) => l.maturity === 'provisional')).toBe(true);
    const hits = r.json<{ id: string; score: number; why: { matched: string[] } }[]>([
      'search',
      'reset the database in tests',
    ]);
    expect(hits[0]?.id).toBe(added.id);
    expect(hits[0]?.why.matched).toContain('database');
    const packet = r.json<{
      learnings: { id: string; title: string; body: string; score: number }[];
      tokens: number;
      markdown: string;
    }>(['inject', '--prompt', 'write a test that resets the database']);
    expect(packet.learnings.map((l) => l.id)).toContain(added.id);
    expect(packet.markdown).toContain(`[${added.id}]`);
    expect(packet.tokens).toBeLessThanOrEqual(1500);
    const ledger = readFileSync(join(r.dir, '.agents', 'ledger', 'injections.jsonl'), 'utf8')
      .trim()
      .split('\n');
    expect(JSON.parse(ledger.at(-1) as string)).toMatchObject({ kind: 'inject', ids: [added.id] });
    const shown = r.json<{ id: string; counters: { injected: number } }>(['learn', 'show', added.id.slice(2, 7)]);
    expect(shown.counters.injected).toBe(1);
    expect(r.ao(['learn', 'retire', added.id, '--reason', 'obsolete']).code).toBe(0);
    expect(r.json<{ id: string }[]>(['search', 'reset the database in tests']).map((h) => h.id)).not.toContain(
      added.id,
    );
    expect(r.json<{ id: string }[]>(['learn', 'list', '--all'])).toHaveLength(2);
  });

  it('reports a hand-broken learning with file and line and keeps the others', () => {
    const r = repo();
    r.json(['learn', 'add', 'Run `npm ci` rather than `npm install` in CI so the lockfile is honoured']);
    writeFileSync(
      join(r.dir, '.agents', 'learnings', 'L-broken0000.md'),
      '---\nid: L-broken0000\ntitle: [unclosed\ntype: gotcha\n---\nbody\n',
    );
    const res = r.ao(['learn', 'list']);
    expect(res.code).toBe(0);
    expect(res.stderr).toMatch(/L-broken0000\.md:\d+: /);
    expect(res.stdout).toContain('npm ci');
  });

  it('gives a clear error for bad input and loses nothing', () => {
    const r = repo();
    expect(r.ao(['learn', 'add', '   ']).code).toBe(2);
    const bad = r.ao(['learn', 'add', 'x', '--type', 'nonsense']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--type must be one of');
    expect(r.ao(['learn', 'show', 'L-zzzzzzzzzz']).stderr).toContain('no learning');
  });
});

describe('import', () => {
  it('imports the real Go AgentOps store once, seeding maturity from its front matter', () => {
    const r = repo();
    const first = r.json<{ imported: unknown[]; problems: unknown[] }>(['import', 'agentops', STORE]);
    expect(first.imported).toHaveLength(20);
    expect(first.problems).toHaveLength(0);
    expect(r.json<{ imported: unknown[] }>(['import', 'agentops', STORE]).imported).toHaveLength(0);
    const list = r.json<{ title: string; maturity: string; type: string }[]>(['learn', 'list']);
    expect(list.find((l) => l.title === 'Pre-Mortem First')).toMatchObject({
      type: 'pattern',
      maturity: 'established',
    });
    const hits = r.json<{ title: string }[]>(['search', 'tag a release only after CI is green']);
    expect(hits[0]?.title).toBe('Pre-Tag CI Validation');
  });
});

describe('forge', () => {
  it('inject, which runs from a bundle of its own, keeps the usage errors and help of the whole CLI', () => {
    const r = repo();
    const missing = r.ao(['inject']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^ao: .*prompt/m);
    expect(missing.stderr).toContain('Run "ao inject --help" for usage.');
    const badBudget = r.ao(['inject', '--prompt', 'x', '--budget', 'lots']);
    expect(badBudget).toMatchObject({ code: 2, stdout: '' });
    expect(badBudget.stderr).toBe('ao: --budget must be a number from 50 to 200000, not "lots"\n');
    const help = r.ao(['inject', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/ao inject/);
    expect(help.stdout).toContain('--prompt');
    // Nothing was recorded by the failures.
    expect(existsSync(join(r.dir, '.agents', 'ledger', 'injections.jsonl'))).toBe(false);
  });

  it('forges the spotter fixtures into learnings with provenance, once, and inject surfaces them', () => {
    const r = repo();
    const report = r.json<ForgeJson>(['forge', '--source', SPOTTER]);
    expect(report.counts.sessions).toBeGreaterThanOrEqual(5);
    expect(report.counts.accepted).toBeGreaterThanOrEqual(8);
    for (const c of report.candidates.filter((x) => x.verdict === 'accept')) {
      expect(c.source.session).toBeTruthy();
      expect(c.source.line).toBeGreaterThan(0);
      expect(c.title.length).toBeLessThanOrEqual(90);
    }
    const files = readdirSync(join(r.dir, '.agents', 'learnings'));
    expect(files.length).toBe(report.counts.accepted);
    // Nothing from the machine's home folder in what is committed.
    for (const f of filesUnder(join(r.dir, '.agents')).filter((p) => !p.includes('.cache'))) {
      expect(readFileSync(f, 'utf8')).not.toContain(os.homedir() + '/');
    }
    const again = r.json<ForgeJson>(['forge', '--source', SPOTTER]);
    expect(again.counts.sessions).toBe(0);
    expect(again.counts.accepted).toBe(0);
    const packet = r.json<{ learnings: { title: string }[] }>([
      'inject',
      '--prompt',
      'Add a LiveView test for the session page that reads messages from the database',
    ]);
    expect(packet.learnings.some((l) => /sandbox/i.test(l.title))).toBe(true);
  });

  it('leaves none of the planted secrets under .agents/', () => {
    const r = repo();
    const secrets = JSON.parse(readFileSync(join(PLANTED, 'secrets.json'), 'utf8')) as string[] | { secrets: string[] };
    const list = Array.isArray(secrets) ? secrets : secrets.secrets;
    expect(list.length).toBeGreaterThan(5);
    const report = r.json<ForgeJson>(['forge', '--source', PLANTED]);
    expect(report.counts.candidates).toBeGreaterThan(0);
    r.json(['inject', '--prompt', `fix the failing test; the key is ${list[1]}`]);
    const texts = filesUnder(join(r.dir, '.agents'))
      .filter((f) => !f.includes(`${join('.agents', '.cache')}`))
      .map((f) => readFileSync(f, 'utf8'));
    expect(texts.length).toBeGreaterThan(2);
    for (const secret of list) for (const text of texts) expect(text).not.toContain(secret);
  });
});

describe('eval retrieval', () => {
  it('the shipped labeled set scores recall@5 of at least 0.8 on a store built from the fixtures', () => {
    const r = repo();
    const res = r.ao([
      'eval',
      'retrieval',
      '--set',
      join(ROOT, 'eval', 'retrieval.yaml'),
      '--min-recall',
      '0.8',
      '--json',
    ]);
    expect(res.code).toBe(0);
    const report = JSON.parse(res.stdout) as {
      k: number;
      queries: number;
      recallAtK: number;
      mrr: number;
      passed: boolean;
      results: { unresolved: string[] }[];
    };
    expect(report.k).toBe(5);
    expect(report.queries).toBeGreaterThanOrEqual(30);
    expect(report.recallAtK).toBeGreaterThanOrEqual(0.8);
    expect(report.passed).toBe(true);
    // Every label names a learning the pipeline stores: a stale label would hide a regression.
    expect(report.results.flatMap((q) => q.unresolved)).toEqual([]);
    // The store was built in a temp folder: nothing was written to this repository.
    expect(existsSync(join(r.dir, '.agents'))).toBe(false);
  }, 60_000);
});

describe('concurrency and crashes', () => {
  it('sixteen processes adding and forging at once lose nothing and leave a consistent index', async () => {
    const r = repo();
    const env = { ...process.env, AO_HOME: r.home, NO_COLOR: '1' };
    const run = (args: string[]): Promise<number> =>
      new Promise((resolve) => {
        const child = spawn(process.execPath, [BIN, ...args], { cwd: r.dir, env, stdio: 'ignore' });
        child.on('exit', (code) => resolve(code ?? -1));
      });
    const jobs: Promise<number>[] = [];
    for (let i = 0; i < 12; i++) {
      jobs.push(
        run(['learn', 'add', `Concurrent learning number ${i}: use \`flag_${i}\` when running job ${i} in CI`]),
      );
    }
    for (let i = 0; i < 4; i++) jobs.push(run(['forge', '--source', SPOTTER, '--no-cache']));
    const codes = await Promise.all(jobs);
    expect(codes.every((c) => c === 0)).toBe(true);
    const files = readdirSync(join(r.dir, '.agents', 'learnings'));
    expect(files.filter((f) => f.startsWith('.tmp-'))).toEqual([]);
    for (let i = 0; i < 12; i++) expect(r.json<unknown[]>(['search', `flag_${i}`]).length).toBeGreaterThan(0);
    const status = r.json<{ learnings: number; problems: unknown[] }>(['index', 'status']);
    expect(status.problems).toEqual([]);
    expect(status.learnings).toBe(files.length);
    const rebuilt = r.json<{ learnings: number }>(['index', 'rebuild']);
    expect(rebuilt.learnings).toBe(files.length);
    for (const f of readdirSync(join(r.dir, '.agents', 'ledger'))) {
      for (const line of readFileSync(join(r.dir, '.agents', 'ledger', f), 'utf8')
        .trim()
        .split('\n')) {
        expect(() => JSON.parse(line) as unknown).not.toThrow();
      }
    }
  }, 120_000);

  it('a forge killed mid-run leaves only whole learning files, and the store still reads', async () => {
    const r = repo();
    const env = { ...process.env, AO_HOME: r.home, NO_COLOR: '1' };
    const child = spawn(process.execPath, [BIN, 'forge', '--source', SPOTTER, '--no-cache'], {
      cwd: r.dir,
      env,
      stdio: 'ignore',
    });
    // Kill it as soon as its first learning is on disk: mid-run, while it is still writing.
    let done = false;
    const exited = new Promise((resolve) => child.on('exit', () => resolve((done = true))));
    const learnings = join(r.dir, '.agents', 'learnings');
    for (let i = 0; i < 1000 && !done; i++) {
      if (existsSync(learnings) && readdirSync(learnings).some((f) => f.endsWith('.md'))) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    child.kill('SIGKILL');
    await exited;
    const dir = join(r.dir, '.agents', 'learnings');
    const list = r.ao(['learn', 'list', '--json']);
    expect(list.code).toBe(0);
    const parsed = JSON.parse(list.stdout) as unknown[];
    const whole = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.md') && !f.startsWith('.tmp-')) : [];
    expect(parsed.length).toBe(whole.length);
    expect(r.ao(['learn', 'list']).stderr).not.toContain('warning');
  }, 60_000);
});

describe('embeddings', () => {
  it('fuses a vector score from an OpenAI-compatible endpoint, and falls back to BM25 when it is down', async () => {
    const r = repo();
    r.json([
      'learn',
      'add',
      'Use a connection pool for Postgres; opening one per request exhausts the server',
      '--title',
      'Pool Postgres connections',
    ]);
    r.json(['learn', 'add', 'Prefer pnpm over npm in this repository', '--type', 'preference']);
    // A toy embedder: words of one topic share a dimension, so "database sockets" is near "Postgres connections".
    const topics = [
      ['postgres', 'database', 'connection', 'connections', 'pool', 'sockets', 'exhausted', 'exhausts'],
      ['pnpm', 'npm', 'package', 'install'],
    ];
    const embed = (text: string): number[] => {
      const v = [0.01, 0.01, 0.01];
      for (const w of text.toLowerCase().match(/[a-z]+/g) ?? []) {
        const t = topics.findIndex((ws) => ws.includes(w));
        v[t === -1 ? 2 : t] = (v[t === -1 ? 2 : t] as number) + 1;
      }
      return v;
    };
    let calls = 0;
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        calls++;
        const input = (JSON.parse(body) as { input: string[] }).input;
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ data: input.map((t, index) => ({ index, embedding: embed(t) })) }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    writeFileSync(
      join(r.dir, '.agents', 'config.yaml'),
      `knowledge:\n  embeddings: { baseUrl: "http://127.0.0.1:${port}/v1", model: toy }\n`,
    );
    const env = { ...process.env, AO_HOME: r.home, NO_COLOR: '1' };
    const run = (args: string[]): Promise<{ code: number; stdout: string; stderr: string }> =>
      new Promise((resolve) => {
        const child = spawn(process.execPath, [BIN, ...args], { cwd: r.dir, env });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
        child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
        child.on('exit', (code) => resolve({ code: code ?? -1, stdout, stderr }));
      });
    try {
      const res = await run(['search', 'database sockets exhausted', '--json']);
      expect(res.code).toBe(0);
      const hits = JSON.parse(res.stdout) as { title: string; why: { vector: number | null; bm25: number } }[];
      expect(hits[0]?.title).toBe('Pool Postgres connections');
      expect(hits[0]?.why.vector).toBeGreaterThan(0.5);
      expect(hits.find((h) => h.title !== hits[0]?.title)?.why.vector ?? 0).toBeLessThan(hits[0]?.why.vector ?? 0);
      expect(calls).toBeGreaterThanOrEqual(2);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    const down = await run(['search', 'postgres pool']);
    expect(down.code).toBe(0);
    expect(down.stderr).toContain('embeddings unavailable');
    expect(down.stdout).toContain('Pool Postgres connections');
  });
});
