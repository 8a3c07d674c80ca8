/**
 * What a secret looks like on its own: provider token formats, the shapes that carry a secret
 * inside readable text (URLs, auth headers, command flags), and what "random-looking" means.
 * Secrets known by the name of their key are `secret-assignments.ts`; `redact.ts` applies both.
 */

export const SECRET_KINDS = [
  'anthropic-key',
  'openai-key',
  'openrouter-key',
  'github-token',
  'gitlab-token',
  'aws-access-key',
  'aws-secret',
  'google-api-key',
  'google-oauth',
  'azure-key',
  'slack-token',
  'webhook-url',
  'stripe-key',
  'npm-token',
  'pypi-token',
  'huggingface-token',
  'sendgrid-key',
  'twilio-key',
  'digitalocean-token',
  'shopify-token',
  'vault-token',
  'docker-token',
  'private-key',
  'jwt',
  'url-password',
  'password',
  'basic-auth',
  'bearer-token',
  'env-value',
  'generic-secret',
  'high-entropy',
] as const;

/** The type of a redacted secret, as written in its placeholder `[REDACTED:<kind>]`. */
export type SecretKind = (typeof SECRET_KINDS)[number];

/**
 * A pattern with exactly two groups: 1 = text kept in front of the secret (often empty),
 * 2 = the secret. Patterns start with a literal where they can (V8 then skips ahead fast) and
 * never nest quantifiers, so every scan is linear.
 */
export interface TokenRule {
  kind: SecretKind | ((kept: string, secret: string) => SecretKind);
  re: RegExp;
  /** A literal the text must contain for the rule to be worth running (case-sensitive). */
  hint?: string;
  /** Last word on a match: false keeps it as it was. */
  accept?: (secret: string) => boolean;
  /** The match must not continue a word (`xghp_...` is not a token): checked on the match. */
  boundary?: boolean;
}

const hasDigit = (s: string): boolean => /\d/.test(s);

/** Provider token formats, in priority order (`sk-ant-` before `sk-`). */
const PROVIDER_TOKENS: ReadonlyArray<readonly [SecretKind, string]> = [
  ['anthropic-key', 'sk-ant-[A-Za-z0-9_-]{20,}'],
  ['openrouter-key', 'sk-or-[A-Za-z0-9_-]{20,}'],
  ['openai-key', 'sk-[A-Za-z0-9_-]{20,}'],
  ['github-token', 'gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,}'],
  ['gitlab-token', 'gl(?:pat|dt|rt|ptt|ft|imt|agent|oas|cbt|soat)-[A-Za-z0-9_-]{20,}'],
  ['aws-access-key', '(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16}(?![A-Za-z0-9])'],
  ['google-api-key', 'AIza[0-9A-Za-z_-]{35}'],
  ['google-oauth', 'ya29\\.[0-9A-Za-z_-]{20,}|GOCSPX-[0-9A-Za-z_-]{20,}'],
  ['slack-token', 'xox[abposre]-[A-Za-z0-9-]{10,}|xapp-\\d-[A-Za-z0-9-]{10,}'],
  ['stripe-key', '(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{10,}|whsec_[A-Za-z0-9]{20,}'],
  ['npm-token', 'npm_[A-Za-z0-9]{30,}'],
  ['pypi-token', 'pypi-AgE[A-Za-z0-9_-]{40,}'],
  ['huggingface-token', '(?:hf_|api_org_)[A-Za-z0-9]{30,}'],
  ['sendgrid-key', 'SG\\.[A-Za-z0-9_-]{16,}\\.[A-Za-z0-9_-]{16,}'],
  ['twilio-key', 'SK[0-9a-fA-F]{32}(?![A-Za-z0-9])'],
  ['digitalocean-token', 'do[opr]_v1_[a-f0-9]{64}'],
  ['shopify-token', 'shp(?:at|ss|ca|pa)_[a-fA-F0-9]{32}'],
  ['vault-token', 'hv[sbr]\\.[A-Za-z0-9_-]{24,}'],
  ['docker-token', 'dckr_pat_[A-Za-z0-9_-]{20,}'],
  ['private-key', 'AGE-SECRET-KEY-1[0-9A-Z]{58}'],
];
const PROVIDER_ANCHORED = PROVIDER_TOKENS.map(([kind, body]) => [kind, new RegExp(`^(?:${body})$`)] as const);
const providerOf = (s: string): SecretKind => PROVIDER_ANCHORED.find(([, re]) => re.test(s))?.[0] ?? 'generic-secret';

/** Rules that run before key/value assignments, most specific first. */
export const TOKEN_RULES: readonly TokenRule[] = [
  {
    // The lookbehind sits after the literal: V8 scans for `eyJ` fast, and a run of `eyJeyJ...`
    // is tried once, not at every offset.
    kind: 'jwt',
    re: /()(eyJ(?<![A-Za-z0-9_-]eyJ)[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]*)/g,
    hint: 'eyJ',
  },
  {
    // scheme://user:password@host; the password runs to the last `@` before the host, since
    // people paste unencoded passwords that contain `@`.
    kind: 'url-password',
    re: /(:\/\/[^\s:/?#@"'<>`]*:)([^\s/?#"'<>`]+)(?=@)/g,
    hint: '://',
    accept: (s) => !isPlaceholder(s),
  },
  {
    kind: 'webhook-url',
    re: /(https:\/\/(?:hooks\.slack\.com\/(?:services|workflows|triggers)|discord(?:app)?\.com\/api\/webhooks)\/)([A-Za-z0-9/_-]{20,})/g,
    hint: 'https://',
  },
  {
    // All provider formats in one alternation: one scan instead of twenty.
    kind: (_, secret) => providerOf(secret),
    re: new RegExp(`()(${PROVIDER_TOKENS.map(([, body]) => `(?:${body})`).join('|')})`, 'g'),
    boundary: true,
    // A digit is required of a bare `sk-` key so that a long kebab-case name stays readable.
    accept: (s) => providerOf(s) !== 'openai-key' || hasDigit(s),
  },
  {
    // Authorization: <scheme> <credentials>, as a header, a JSON field or a curl -H argument.
    kind: (kept) => (/basic\s*$/i.test(kept) ? 'basic-auth' : 'bearer-token'),
    re: /(\b(?:Proxy-)?Authorization\\?["']?[ \t]*[:=][ \t]*\\?["']?(?:(?:Bearer|Basic|Token|Bot|Digest|ApiKey|SSWS)[ \t]+)?)([^\s"'`\\$<{[][^\s"'`\\]*)/gi,
    accept: (s) => s.length >= 6 && !/^(?:Bearer|Basic|Token|Bot|Digest|header|undefined|null)$/i.test(s),
  },
  {
    // A bare `Bearer <token>` in prose or code: the token must look generated, not a word.
    kind: 'bearer-token',
    re: /(\bBearer[ \t]+)([A-Za-z0-9._~+/-]{8,}=*)/g,
    hint: 'Bearer',
    accept: (s) => hasDigit(s) || (s.length >= 20 && /[a-z]/.test(s) && /[A-Z]/.test(s)),
  },
  {
    kind: 'basic-auth',
    re: /(\bBasic[ \t]+)([A-Za-z0-9+/]{8,}={0,2})/g,
    hint: 'Basic',
    accept: (s) => /^[\x20-\x7e]+:[\x20-\x7e]*$/.test(Buffer.from(s, 'base64').toString('latin1')),
  },
  {
    // curl -u user:password, --user, --proxy-user
    kind: 'password',
    re: /(-(?<![\w-]-)(?:u|-user|-proxy-user)[ \t]+["']?[\w.@-]+:)([^\s"']+)/g,
    hint: '-',
    accept: (s) => !isPlaceholder(s),
  },
  // mysql -p'secret' (only the quoted form: -p alone means "port" or "parents" elsewhere).
  { kind: 'password', re: /(-p)('[^'\s]+'|"[^"\s]+")/g, hint: '-p', boundary: true },
  {
    // Signed URLs (S3, GCS, Azure SAS): the signature is a credential.
    kind: 'generic-secret',
    re: /([?&](?:sig|signature|X-Amz-Signature|X-Goog-Signature|X-Amz-Credential)=)([^&\s"'#<>`]{8,})/gi,
    hint: '=',
  },
];

/** Rules that run after assignments: prose quoting a secret, then anything random-looking. */
export const LATE_RULES: readonly TokenRule[] = [
  {
    kind: 'password',
    re: /(\b(?:password|passphrase|passwd)[ \t]+(?:is|was|to|of|=)[ \t]+["'`])([^"'`\n]{1,200})(?=["'`])/gi,
    // `process.env.DB_PASSWORD` and `DB_PASSWORD` name where the password is, not what it is.
    accept: (s) => !isPlaceholder(s) && !/^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$|^[A-Z][A-Z0-9_]+$/.test(s),
  },
  {
    kind: 'high-entropy',
    re: new RegExp('(?<![A-Za-z0-9+/_-])()([A-Za-z0-9+/_-]{32,}={0,2})', 'g'),
    accept: (s) => looksRandom(s),
  },
];

/** A value that stands for a secret instead of being one: a reference, a mask, a template. */
export function isPlaceholder(v: string): boolean {
  return (
    v.length === 0 ||
    v.includes('[REDACTED:') ||
    /^(?:\$|%\w+%$|<[^>]*>$|\{\{|#\{)/.test(v) ||
    /\$\{|\{\{/.test(v) ||
    /^[*xX•.#?_-]+$/.test(v) ||
    v === '…' ||
    /^(?:your|my)[-_ ]/i.test(v) ||
    /^(?:true|false|yes|no|on|off|null|nil|none|undefined|required|optional|n\/a|redacted|hidden|masked|include|omit|same-origin)$/i.test(
      v,
    )
  );
}

/** Shannon entropy in bits per character. */
function entropy(s: string): number {
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const c of counts.values()) {
    const p = c / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

// Public identifiers that look random: content hashes (npm integrity) and Anthropic API ids.
const PUBLIC_ID = /^(?:sha(?:1|256|384|512)-|(?:srv)?toolu_|(?:agent_)?msg_|req_)/;
// A path segment made of words (`home`, `node_modules`, `spotter-worktrees`, `USER`).
const WORD_SEGMENT = /^(?:[a-z][a-z_.-]*[a-z]|[A-Z]{3,})$/;

function charClass(c: number): number {
  if (c >= 97 && c <= 122) return 0;
  if (c >= 65 && c <= 90) return 1;
  return c >= 48 && c <= 57 ? 2 : 3;
}

/** How often neighbouring characters change class: ~0.6 for random base64, ~0.25 for names. */
function classChanges(s: string): number {
  let n = 0;
  for (let i = 1; i < s.length; i++) if (charClass(s.charCodeAt(i)) !== charClass(s.charCodeAt(i - 1))) n++;
  return n / (s.length - 1);
}

/**
 * Whether a long run of token characters is a generated secret rather than a name, a path or a
 * hash. Hex (commit SHAs, digests, UUIDs) and npm integrity hashes are left alone: they are
 * public identifiers, and redacting them would make learnings unreadable.
 */
export function looksRandom(s: string): boolean {
  const body = s.replace(/=+$/, '');
  if (body.length < 32 || PUBLIC_ID.test(body) || /^[0-9a-fA-F_-]+$/.test(body)) return false;
  const segments = body.split('/').filter((seg) => seg.length > 0);
  if (segments.length > 1 && segments.some((seg) => WORD_SEGMENT.test(seg))) {
    return segments.some((seg) => seg.length >= 32 && looksRandom(seg));
  }
  if (!/\d/.test(body) || !/[a-z]/.test(body) || !/[A-Z]/.test(body)) return false;
  return entropy(body) >= 4 && classChanges(body) >= 0.3;
}
