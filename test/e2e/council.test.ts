import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * End-to-end: `ao council` through the built bin, in a temp git repository, with judges that are
 * small node scripts (`cmd:node <script>`) answering fixed verdicts: no model, no network.
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin', 'ao.js');

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist', 'cli', 'main.cjs'))) {
    throw new Error('dist/cli/main.cjs is missing: run `npm run build` first (npm test does)');
  }
});

interface Setup {
  dir: string;
  /** A judge runtime spec: a script that saves what it read and prints `answer`. */
  judge(name: string, answer: string): string;
  ao(args: string[]): { code: number; stdout: string; stderr: string };
}

function setup(): Setup {
  const base = mkdtempSync(join(os.tmpdir(), 'ao-council-e2e-'));
  dirs.push(base);
  const dir = join(base, 'repo');
  const home = join(base, 'home');
  mkdirSync(join(dir, 'src'), { recursive: true });
  mkdirSync(home);
  const git = (...args: string[]): void => {
    const r = spawnSync(
      'git',
      ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', '-c', 'commit.gpgsign=false', ...args],
      { cwd: dir, encoding: 'utf8' },
    );
    if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  };
  git('init', '-q');
  writeFileSync(join(dir, 'src', 'app.js'), 'export const limit = 10;\n');
  git('add', '-A');
  git('commit', '-q', '-m', 'first');
  writeFileSync(join(dir, 'src', 'app.js'), 'export const limit = 10;\nexport const retries = -1;\n');
  git('add', '-A');
  git('commit', '-q', '-m', 'retries');
  return {
    dir,
    judge(name, answer) {
      const script = join(base, `${name}.mjs`);
      writeFileSync(
        script,
        `import { writeFileSync } from 'node:fs';\n` +
          `let input = '';\n` +
          `process.stdin.setEncoding('utf8');\n` +
          `process.stdin.on('data', (chunk) => { input += chunk; });\n` +
          `process.stdin.on('end', () => {\n` +
          `  writeFileSync(${JSON.stringify(`${script}.stdin`)}, input);\n` +
          `  process.stdout.write(${JSON.stringify(answer)});\n` +
          `});\n`,
      );
      return `cmd:node "${script}"`;
    },
    ao(args) {
      const r = spawnSync(process.execPath, [BIN, ...args], {
        cwd: dir,
        env: { ...process.env, AO_HOME: home, NO_COLOR: '1' },
        encoding: 'utf8',
      });
      return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
    },
  };
}

interface CouncilJson {
  verdict: string;
  reason?: string;
  report: string;
  evidence: { file: string; sha256: string };
  judges: { name: string; status: string; verdict: string | null; error?: string }[];
  findings: { file: string | null; line: number | null; inEvidence: boolean; judge: string }[];
}

const evidenceIn = (text: string): string =>
  text.slice(text.indexOf('<evidence>\n') + 11, text.lastIndexOf('</evidence>'));

describe('ao council', () => {
  it('asks two judges about a commit range, writes the report and the ledger, exits 0 on WARN', () => {
    const s = setup();
    const pass = s.judge('pass', '{"verdict":"PASS","summary":"Fine.","findings":[]}');
    const warn = s.judge(
      'warn',
      'Review:\n```json\n{"verdict":"WARN","summary":"Negative retries.","findings":[{"severity":"high","file":"src/app.js","line":2,"message":"retries must not be negative"}]}\n```\n',
    );
    const r = s.ao([
      'council',
      '--preset',
      'vibe',
      '--target',
      'HEAD~1..HEAD',
      '--judges',
      `${pass},${warn}`,
      '--json',
    ]);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout) as CouncilJson;
    expect(result.verdict).toBe('WARN');
    expect(result.judges.map((j) => [j.status, j.verdict])).toEqual([
      ['answered', 'PASS'],
      ['answered', 'WARN'],
    ]);
    expect(result.findings).toMatchObject([{ file: 'src/app.js', line: 2, inEvidence: true }]);

    const evidence = readFileSync(join(s.dir, result.evidence.file), 'utf8');
    expect(evidence).toContain('   2 +export const retries = -1;');
    for (const name of ['pass', 'warn']) {
      expect(evidenceIn(readFileSync(join(s.dir, '..', `${name}.mjs.stdin`), 'utf8'))).toBe(evidence);
    }
    expect(readFileSync(join(s.dir, result.report), 'utf8')).toContain('`src/app.js:2` retries must not be negative');
    const ledger = readFileSync(join(s.dir, '.agents', 'ledger', 'council.jsonl'), 'utf8')
      .trim()
      .split('\n');
    expect(ledger).toHaveLength(1);
    expect(JSON.parse(ledger[0]!)).toMatchObject({ kind: 'council', verdict: 'WARN', report: result.report });

    const text = s.ao(['council', '--preset', 'vibe', '--target', 'src', '--judges', pass]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('council vibe: PASS');
    expect(text.stdout).toMatch(/report: \.agents\/council\/\S+-vibe-[0-9a-f]{10}\.md/);
  });

  it('exits 1 on FAIL, and a judge that answers garbage is a failed judge', () => {
    const s = setup();
    const fail = s.judge('fail', '{"verdict":"FAIL","summary":"No.","findings":[]}');
    const garbage = s.judge('garbage', 'I could not decide, sorry.');
    const r = s.ao(['council', '--preset', 'vibe', '--target', 'HEAD', '--judges', `${fail},${garbage}`, '--json']);
    expect(r.code, r.stderr).toBe(1);
    const result = JSON.parse(r.stdout) as CouncilJson;
    expect(result.verdict).toBe('FAIL');
    expect(result.judges[1]).toMatchObject({ status: 'failed', error: 'no JSON object in the answer' });

    const none = s.ao(['council', '--preset', 'vibe', '--target', 'HEAD', '--judges', garbage, '--json']);
    expect(none.code).toBe(1);
    expect(JSON.parse(none.stdout)).toMatchObject({ verdict: 'FAIL', reason: 'no judge answered' });
  });

  it('refuses a target that is neither a path nor a commit, without a stack', () => {
    const s = setup();
    const r = s.ao(['council', '--preset', 'vibe', '--target', 'no-such-thing', '--judges', 'cmd:true']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('ao: target "no-such-thing" is neither an existing file or folder');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
