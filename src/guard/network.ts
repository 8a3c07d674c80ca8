/**
 * Commands that talk to the network: the hosts of the URLs on a command line, and what curl and
 * wget read, write and download (a downloaded file is remembered: running it later is denied).
 */
import { runCode } from './interpreters.js';
import { type Arg, type CommandInput, type Effects, parseOpts, subArg, uses } from './model.js';

/** Commands that fetch from the network (their output is downloaded content). */
export const DOWNLOADERS = new Set([
  'curl',
  'wget',
  'fetch',
  'aria2c',
  'http',
  'https',
  'xh',
  'xhs',
  'lwp-request',
  'GET',
  'POST',
  'nc',
  'ncat',
  'netcat',
  'socat',
  'telnet',
  'ftp',
  'tftp',
  'httpie',
]);

/** `@file` and `<file` references of curl-like options, and `-T`/`--upload-file` values. */
export function attachedFiles(args: readonly Arg[]): Arg[] {
  const out: Arg[] = [];
  for (let i = 1; i < args.length; i++) {
    const t = args[i]?.text;
    if (!t) continue;
    const m = /^(?:[^=@<]*=)?[@<](.+)$/.exec(t);
    if (m && !t.startsWith('-')) out.push(subArg(args[i] as Arg, t.length - (m[1] as string).length));
  }
  return out;
}

/** Hosts of URLs on the command line (`https://host/…`, and `user@host:path` for git/ssh/scp). */
export function urlHosts(c: CommandInput): (string | null)[] {
  const out: (string | null)[] = [];
  const scpLike = c.name === 'git' || c.name === 'ssh' || c.name === 'scp' || c.name === 'rsync';
  for (const a of c.args.slice(1)) {
    const t = a.text;
    if (t === null) {
      // `curl "$URL"`, `curl "https://$HOST/x"`: a host the guard cannot see.
      if (DOWNLOADERS.has(c.name) && (a.head === '' || /^[a-z]+:\/\//i.test(a.head))) out.push(hostOf(a.head));
      continue;
    }
    const h = hostOf(t.replace(/^--?[\w-]+=/, ''));
    if (h) out.push(h);
    else if (scpLike) {
      const m = /^(?:[\w.-]+@)?([\w.-]+\.[a-z]{2,}):/i.exec(t);
      if (m) out.push((m[1] as string).toLowerCase());
    } else if (DOWNLOADERS.has(c.name) && /^[\w-]+(\.[\w-]+)+(:\d+)?(\/|$)/.test(t) && !t.startsWith('-')) {
      out.push((hostOf(`http://${t}`) ?? '').toLowerCase() || null);
    }
  }
  return out;
}

/** The host of a URL, lower case; null when the text is not a URL with a known host. */
export function hostOf(text: string): string | null {
  const m = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#]*)/i.exec(text);
  if (!m || !m[1]) return null;
  return m[1].toLowerCase();
}

/** curl: files it uploads, writes and downloads to; its output is downloaded content unless saved. */
export function describeCurl(c: CommandInput, fx: Effects): void {
  const p = parseOpts(c.args, 1, {
    short: 'oDdFTKHAeuXxbcwmrCEYyzUQt',
    long: [
      'output',
      'output-dir',
      'data',
      'data-binary',
      'data-raw',
      'data-urlencode',
      'data-ascii',
      'json',
      'form',
      'form-string',
      'upload-file',
      'config',
      'header',
      'user-agent',
      'referer',
      'user',
      'request',
      'proxy',
      'cookie',
      'cookie-jar',
      'write-out',
      'max-time',
      'connect-timeout',
      'range',
      'continue-at',
      'retry',
      'dump-header',
      'trace',
      'trace-ascii',
      'stderr',
      'cacert',
      'capath',
      'cert',
      'key',
      'url',
      'resolve',
      'interface',
      'netrc-file',
      'oauth2-bearer',
      'proxy-user',
      'unix-socket',
      'variable',
    ],
  });
  const v = (...keys: string[]): Arg[] => keys.flatMap((k) => p.values.get(k) ?? []);
  for (const a of v('d', 'data', 'data-binary', 'data-urlencode', 'data-ascii', 'json', 'F', 'form')) {
    const t = a.text ?? '';
    const at = /^(?:[^=@<]*=)?[@<]/.exec(t);
    if (at) fx.reads.push(...uses(c, [subArg(a, at[0].length)]));
  }
  fx.reads.push(...uses(c, v('T', 'upload-file', 'K', 'config', 'cacert', 'cert', 'E', 'key', 'netrc-file')));
  const cookie = v('b', 'cookie').filter((a) => !(a.text ?? '=').includes('='));
  fx.reads.push(...uses(c, cookie));
  fx.writes.push(...uses(c, v('c', 'cookie-jar', 'D', 'dump-header', 'trace', 'trace-ascii', 'stderr')));
  for (const u of v('url')) {
    const h = u.text === null ? null : hostOf(u.text);
    if (u.text === null || h) fx.hosts.push(h);
  }
  const outputs = v('o', 'output').filter((a) => a.text !== '-');
  const dir = v('output-dir')[0];
  const remoteName = p.flags.has('O') || p.flags.has('remote-name') || p.flags.has('remote-name-all');
  fx.downloads.push(...uses(c, outputs));
  if (remoteName) {
    for (const u of p.operands) {
      const base = urlBase(u.text);
      if (base) fx.downloads.push(...uses(c, [nameIn(dir, base)]));
    }
  }
  fx.writes.push(...fx.downloads);
  fx.output = outputs.length || remoteName ? null : { taint: 'download' };
}

/** wget: files it reads and writes, and where it saves downloads (the URL's name by default). */
export function describeWget(c: CommandInput, fx: Effects): void {
  const p = parseOpts(c.args, 1, {
    short: 'OPoaieUtTwQ',
    long: [
      'output-document',
      'directory-prefix',
      'output-file',
      'append-output',
      'input-file',
      'post-file',
      'body-file',
      'execute',
      'header',
      'user-agent',
      'user',
      'password',
      'load-cookies',
      'save-cookies',
      'tries',
      'timeout',
      'wait',
      'quota',
      'post-data',
      'method',
      'ca-certificate',
      'certificate',
      'private-key',
    ],
  });
  const v = (...keys: string[]): Arg[] => keys.flatMap((k) => p.values.get(k) ?? []);
  fx.reads.push(
    ...uses(
      c,
      v('i', 'input-file', 'post-file', 'body-file', 'load-cookies', 'ca-certificate', 'certificate', 'private-key'),
    ),
  );
  fx.writes.push(...uses(c, v('o', 'output-file', 'a', 'append-output', 'save-cookies')));
  const doc = v('O', 'output-document');
  if (doc.some((a) => a.text === '-')) {
    fx.output = { taint: 'download' };
    return;
  }
  fx.output = null;
  if (doc.length) fx.downloads.push(...uses(c, doc));
  else {
    const dir = v('P', 'directory-prefix')[0];
    for (const u of p.operands) {
      const base = urlBase(u.text) ?? 'index.html';
      fx.downloads.push(...uses(c, [nameIn(dir, base)]));
    }
  }
  fx.writes.push(...fx.downloads);
}

function urlBase(url: string | null): string | null {
  if (!url) return null;
  const path = url.replace(/^[a-z]+:\/\/[^/]*/i, '').replace(/[?#].*$/, '');
  const base = path.split('/').pop();
  return base ? base : null;
}

function nameIn(dir: Arg | undefined, base: string): Arg {
  const text = dir ? (dir.text === null ? null : `${dir.text}/${base}`) : base;
  return {
    text,
    raw: text ?? base,
    glob: false,
    head: text ?? '',
    tail: text === null ? `/${base}` : '',
    taint: null,
    proc: null,
    code: text,
  };
}

const SSH_COMMAND_OPTIONS = /^(proxycommand|localcommand|knownhostscommand|remotecommand)[\s=]+(.*)$/is;

/**
 * ssh, scp and sftp: the key and config files they read, and the `-o ProxyCommand=…` kind of
 * option that runs a command on this machine. A command for the remote host is not checked.
 */
export function describeSsh(c: CommandInput, fx: Effects): void {
  const p = parseOpts(c.args, 1, { short: 'bcDEeFIiJLlmOoPpQRSWw', stopAtOperand: c.name === 'ssh' });
  fx.reads.push(...uses(c, [...(p.values.get('i') ?? []), ...(p.values.get('F') ?? [])]));
  fx.writes.push(...uses(c, p.values.get('E') ?? []));
  for (const o of p.values.get('o') ?? []) {
    const m = SSH_COMMAND_OPTIONS.exec(o.text ?? o.head);
    if (m)
      runCode(
        c,
        fx,
        o.text === null ? { ...o, text: null } : { ...o, text: m[2] as string, code: m[2] as string },
        `${c.name} -o ${m[1] as string}`,
      );
  }
  const host = c.name === 'ssh' ? c.args[p.rest] : undefined;
  const name = host?.text?.replace(/^[^@]*@/, '').replace(/:.*$/, '');
  if (name && /^[\w.-]+$/.test(name)) fx.hosts.push(name.toLowerCase());
}
