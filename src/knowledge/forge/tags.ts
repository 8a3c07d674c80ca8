/**
 * Tag detection: languages, tools and libraries named in a learning's text, commands and files,
 * plus an error class when an error signature is given. Tags are lower-case and kebab-case.
 */

const TEXT_TAGS: [RegExp, string][] = [
  [/\bmix\s+[a-z]|\bexunit\b|\bdefmodule\b|\bgenserver\b|\belixir\b|\bhex\.pm\b|\.exs?\b/i, 'elixir'],
  [/\bphoenix\b|\bliveview\b|\bphx[._-]|\bheex\b|\bplug\.|Phoenix\./i, 'phoenix'],
  [/\becto\b/i, 'ecto'],
  [/\bash[_.][a-z]+|\bAsh(?:[A-Z.]\w*)?\b/, 'ash'],
  [/\boban\b/i, 'oban'],
  [/\bcredo\b/i, 'credo'],
  [/\bdialy(?:zer|xir)\b/i, 'dialyzer'],
  [/\bsqlite3?\b/i, 'sqlite'],
  [/\bpostgres(?:ql)?\b|\bpsql\b/i, 'postgres'],
  [/\bmysql\b/i, 'mysql'],
  [/\bredis\b/i, 'redis'],
  [/(?:^|[\s`(])git\s+[a-z]|\.gitignore\b|\bpre-commit\b/i, 'git'],
  [/\bdocker(?:file)?\b|\bdocker-compose\b/i, 'docker'],
  [/\bnpm\b|\bnpx\b|\bpackage\.json\b/i, 'npm'],
  [/\bpnpm\b/i, 'pnpm'],
  [/\byarn\b/i, 'yarn'],
  [/\bnode(?:\.js|js)?\s|\bnode_modules\b/i, 'node'],
  [/\btypescript\b|\btsc\b|\.tsx?\b/i, 'typescript'],
  [/\bjavascript\b|\.m?jsx?\b/i, 'javascript'],
  [/\breact\b|\.tsx\b|\.jsx\b|\buse[A-Z]\w+\(/, 'react'],
  [/\bvitest\b/i, 'vitest'],
  [/\bjest\b/i, 'jest'],
  [/\beslint\b/i, 'eslint'],
  [/\bprettier\b/i, 'prettier'],
  [/\besbuild\b/i, 'esbuild'],
  [/\bvite\b/i, 'vite'],
  [/\bwebpack\b/i, 'webpack'],
  [/\bpython3?\b|\bpip\b|\.py\b|\bpoetry\b|\buv\s+(?:run|pip|sync)/i, 'python'],
  [/\bpytest\b/i, 'pytest'],
  [/\bdjango\b/i, 'django'],
  [/\bcargo\b|\brustc\b|\.rs\b/i, 'rust'],
  [/\bgo\s+(?:test|build|run|mod|vet)\b|\.go\b/, 'go'],
  [/\bruby\b|\bbundle\s+exec\b|\brspec\b|\.rb\b/i, 'ruby'],
  [/\brails\b/i, 'rails'],
  [/\bjava\b|\bgradle\b|\bmaven\b|\bmvn\b/i, 'java'],
  [/\bkubectl\b|\bkubernetes\b|\bk8s\b/i, 'kubernetes'],
  [/\bterraform\b/i, 'terraform'],
  [/\btmux\b/i, 'tmux'],
  [/\bxterm(?:\.js)?\b/i, 'xterm'],
  [/\bopentelemetry\b|\botel\b|\btraceparent\b/i, 'opentelemetry'],
  [/\bgraphql\b/i, 'graphql'],
  [/\bcss\b|\.s?css\b|\btailwind\b/i, 'css'],
  [/\bbash\b|\.sh\b|\bshell script\b/i, 'shell'],
  [/\bgithub actions\b|\.github\/workflows\b/i, 'github-actions'],
  [/\bmake(?:file)?\b/, 'make'],
  [/\bclaude code\b|\bhooks?\.json\b|\bsessionstart\b/i, 'claude-code'],
];

const ERROR_CLASSES: [RegExp, string][] = [
  [/pre-commit/i, 'pre-commit'],
  [
    /\bcompil(?:e|ation)\b|\bundefined (?:function|variable|module)\b|\bsyntax ?error\b|could not resolve/i,
    'compile-error',
  ],
  [/\btype ?error\b|\bdialyzer\b|\bguard_fail\b|\bno_return\b/i, 'type-error'],
  [/\bassert(?:ion)?\b|\bfailures?\b|\bfailing\b|\bFAIL\b|\btests? failed\b/i, 'test-failure'],
  [/\bcredo\b|\blint\b|\beslint\b|not formatted|\bformat(?:ting)?\b/i, 'lint'],
  [/\bpermission denied\b|\bEACCES\b/i, 'permissions'],
  [/\bnot found\b|\bno such file\b|\bENOENT\b|\bdoes not exist\b/i, 'not-found'],
  [/\bmigrat/i, 'migration'],
  [/\bdependenc|\bdeps\b|\bmodule not found\b|\bcannot find module\b/i, 'dependency'],
  [/\btimeout\b|\btimed out\b/i, 'timeout'],
  [/\bupstream\b|\bremote\b|\bgitignore\b|\bpathspec\b/i, 'git'],
];

/** Tags named by the texts (prose, commands, signatures) and by the files' extensions. */
export function detectTags(texts: readonly string[], files: readonly string[] = [], signature?: string): string[] {
  const tags = new Set<string>();
  const joined = texts.join('\n');
  for (const [re, tag] of TEXT_TAGS) if (re.test(joined)) tags.add(tag);
  for (const file of files) {
    const tag = tagOfFile(file);
    if (tag) tags.add(tag);
  }
  if (signature) for (const [re, tag] of ERROR_CLASSES) if (re.test(signature)) tags.add(tag);
  return [...tags].sort().slice(0, 10);
}

const EXTENSIONS: Record<string, string> = {
  ex: 'elixir',
  exs: 'elixir',
  heex: 'phoenix',
  ts: 'typescript',
  tsx: 'react',
  js: 'javascript',
  jsx: 'react',
  mjs: 'javascript',
  py: 'python',
  rs: 'rust',
  go: 'go',
  rb: 'ruby',
  java: 'java',
  kt: 'kotlin',
  swift: 'swift',
  sql: 'sql',
  sh: 'shell',
  css: 'css',
  scss: 'css',
  md: 'markdown',
  yml: 'yaml',
  yaml: 'yaml',
};

function tagOfFile(file: string): string | null {
  const dot = file.lastIndexOf('.');
  if (dot === -1 || dot < file.lastIndexOf('/')) return null;
  return EXTENSIONS[file.slice(dot + 1).toLowerCase()] ?? null;
}
