/**
 * The token stream of SQLite FTS5's `tokenize = 'porter unicode61 remove_diacritics 2'` (the tokenizer of
 * `learning_fts`, see db.ts), recomputed in JavaScript so BM25 can be scored from our own postings: the same
 * terms, in the same order, as many of them as FTS5 counts.
 *
 * FTS5 is the authority, and it differs from what `\p{L}\p{N}\p{Co}`, `toLowerCase()` and NFD would give: its
 * unicode61 data is Unicode 6.1 (2012) and it counts code points that data does not know as token characters,
 * so emoji added since (🤖, 🤔, 🧪) are terms while older ones (🚀, 🔥, ✅) separate; it case-folds (µ → μ,
 * ς → σ) but leaves later case pairs (Cherokee, Georgian Mtavruli) alone; it strips diacritics from Latin
 * letters only (é → e, but й and ά stay); and its porter step works on UTF-8 bytes. So the character classes
 * and folds below are tables read off FTS5 itself (SQLite 3.53, code point by code point), independent of
 * Node's ICU version, and tokenize.test.ts checks every code point text uses against FTS5.
 */

/** Tokens of more than 64 or fewer than 3 UTF-8 bytes pass FTS5's porter step unchanged. */
const PORTER_MAX_BYTES = 64;
const PORTER_MIN_BYTES = 3;

/**
 * Code points above U+007F that unicode61 treats as separators (hex ranges). Everything else is a token
 * character, unassigned code points included. Lone surrogates (D800-DFFF) reach FTS5 as U+FFFD, a separator.
 */
const SEPARATORS = [
  '80-a9 ab-b1 b4 b6-b8 bb bf d7 f7 2c2-2c5 2d2-2df 2e5-2eb 2ed 2ef-36f 375 37e 384-385 387 3f6 482-489',
  '55a-55f 589-58a 58f 591-5c7 5f3-5f4 600-604 606-61b 61e-61f 64b-65f 66a-66d 670 6d4 6d6-6e4 6e7-6ed',
  '6fd-6fe 700-70d 70f 711 730-74a 7a6-7b0 7eb-7f3 7f6-7f9 816-819 81b-823 825-827 829-82d 830-83e',
  '859-85b 85e 8e4-8fe 900-903 93a-93c 93e-94f 951-957 962-965 970 981-983 9bc 9be-9c4 9c7-9c8 9cb-9cd',
  '9d7 9e2-9e3 9f2-9f3 9fa-9fb a01-a03 a3c a3e-a42 a47-a48 a4b-a4d a51 a70-a71 a75 a81-a83 abc abe-ac5',
  'ac7-ac9 acb-acd ae2-ae3 af0-af1 b01-b03 b3c b3e-b44 b47-b48 b4b-b4d b56-b57 b62-b63 b70 b82 bbe-bc2',
  'bc6-bc8 bca-bcd bd7 bf3-bfa c01-c03 c3e-c44 c46-c48 c4a-c4d c55-c56 c62-c63 c7f c82-c83 cbc cbe-cc4',
  'cc6-cc8 cca-ccd cd5-cd6 ce2-ce3 d02-d03 d3e-d44 d46-d48 d4a-d4d d57 d62-d63 d79 d82-d83 dca dcf-dd4',
  'dd6 dd8-ddf df2-df4 e31 e34-e3a e3f e47-e4f e5a-e5b eb1 eb4-eb9 ebb-ebc ec8-ecd f01-f1f f34-f3f',
  'f71-f87 f8d-f97 f99-fbc fbe-fcc fce-fda 102b-103e 104a-104f 1056-1059 105e-1060 1062-1064 1067-106d',
  '1071-1074 1082-108d 108f 109a-109f 10fb 135d-1368 1390-1399 1400 166d-166e 1680 169b-169c 16eb-16ed',
  '1712-1714 1732-1736 1752-1753 1772-1773 17b4-17d6 17d8-17db 17dd 1800-180e 18a9 1920-192b 1930-193b',
  '1940 1944-1945 19b0-19c0 19c8-19c9 19de-19ff 1a17-1a1b 1a1e-1a1f 1a55-1a5e 1a60-1a7c 1a7f 1aa0-1aa6',
  '1aa8-1aad 1b00-1b04 1b34-1b44 1b5a-1b7c 1b80-1b82 1ba1-1bad 1be6-1bf3 1bfc-1bff 1c24-1c37 1c3b-1c3f',
  '1c7e-1c7f 1cc0-1cc7 1cd0-1ce8 1ced 1cf2-1cf4 1dc0-1de6 1dfc-1dff 1fbd 1fbf-1fc1 1fcd-1fcf 1fdd-1fdf',
  '1fed-1fef 1ffd-1ffe 2000-2064 206a-206f 207a-207e 208a-208e 20a0-20b9 20d0-20f0 2100-2101 2103-2106',
  '2108-2109 2114 2116-2118 211e-2123 2125 2127 2129 212e 213a-213b 2140-2144 214a-214d 214f 2190-23f3',
  '2400-2426 2440-244a 249c-24e9 2500-26ff 2701-2775 2794-2b4c 2b50-2b59 2ce5-2cea 2cef-2cf1 2cf9-2cfc',
  '2cfe-2cff 2d70 2d7f 2de0-2e2e 2e30-2e3b 2e80-2e99 2e9b-2ef3 2f00-2fd5 2ff0-2ffb 3000-3004 3008-3020',
  '302a-3030 3036-3037 303d-303f 3099-309c 30a0 30fb 3190-3191 3196-319f 31c0-31e3 3200-321e 322a-3247',
  '3250 3260-327f 328a-32b0 32c0-32fe 3300-33ff 4dc0-4dff a490-a4c6 a4fe-a4ff a60d-a60f a66f-a67e a69f',
  'a6f0-a6f7 a700-a716 a720-a721 a789-a78a a802 a806 a80b a823-a82b a836-a839 a874-a877 a880-a881',
  'a8b4-a8c4 a8ce-a8cf a8e0-a8f1 a8f8-a8fa a926-a92f a947-a953 a95f a980-a983 a9b3-a9cd a9de-a9df',
  'aa29-aa36 aa43 aa4c-aa4d aa5c-aa5f aa77-aa79 aa7b aab0 aab2-aab4 aab7-aab8 aabe-aabf aac1 aade-aadf',
  'aaeb-aaf1 aaf5-aaf6 abe3-abed d800-dfff fb1e fb29 fbb2-fbc1 fd3e-fd3f fdfc-fdfd fe00-fe19 fe20-fe26',
  'fe30-fe52 fe54-fe66 fe68-fe6b feff ff01-ff0f ff1a-ff20 ff3b-ff40 ff5b-ff65 ffe0-ffe6 ffe8-ffee',
  'fff9-ffff 10100-10102 10137-1013f 10179-10189 10190-1019b 101d0-101fd 1039f 103d0 10857 1091f 1093f',
  '10a01-10a03 10a05-10a06 10a0c-10a0f 10a38-10a3a 10a3f 10a50-10a58 10a7f 10b39-10b3f 11000-11002',
  '11038-1104d 11080-11082 110b0-110c1 11100-11102 11127-11134 11140-11143 11180-11182 111b3-111c0',
  '111c5-111c8 116ab-116b7 12470-12473 16f51-16f7e 16f8f-16f92 1d000-1d0f5 1d100-1d126 1d129-1d1dd',
  '1d200-1d245 1d300-1d356 1d6c1 1d6db 1d6fb 1d715 1d735 1d74f 1d76f 1d789 1d7a9 1d7c3 1eef0-1eef1',
  '1f000-1f02b 1f030-1f093 1f0a0-1f0ae 1f0b1-1f0be 1f0c1-1f0cf 1f0d1-1f0df 1f110-1f12e 1f130-1f16b',
  '1f170-1f19a 1f1e6-1f202 1f210-1f23a 1f240-1f248 1f250-1f251 1f300-1f320 1f330-1f335 1f337-1f37c',
  '1f380-1f393 1f3a0-1f3c4 1f3c6-1f3ca 1f3e0-1f3f0 1f400-1f43e 1f440 1f442-1f4f7 1f4f9-1f4fc',
  '1f500-1f53d 1f540-1f543 1f550-1f567 1f5fb-1f640 1f645-1f64f 1f680-1f6c5 1f700-1f773 e0001',
  'e0020-e007f e0100-e01ef',
];

/**
 * unicode61's case folding (hex): `from[-to][/2]>target`, each code point of the run mapping to target plus its
 * offset; `/2` runs take every other code point (upper/lower pairs). Only the BMP and Deseret are folded.
 */
const CASE_FOLDS = [
  'b5>3bc c0-d6>e0 d8-de>f8 100-12e/2>101 132-136/2>133 139-147/2>13a 14a-176/2>14b 178>ff',
  '179-17d/2>17a 17f>73 181>253 182-184/2>183 186>254 187>188 189-18a>256 18b>18c 18e>1dd 18f>259',
  '190>25b 191>192 193>260 194>263 196>269 197>268 198>199 19c>26f 19d>272 19f>275 1a0-1a4/2>1a1',
  '1a6>280 1a7>1a8 1a9>283 1ac>1ad 1ae>288 1af>1b0 1b1-1b2>28a 1b3-1b5/2>1b4 1b7>292 1b8>1b9 1bc>1bd',
  '1c4>1c6 1c5>1c6 1c7>1c9 1c8>1c9 1ca>1cc 1cb-1db/2>1cc 1de-1ee/2>1df 1f1>1f3 1f2-1f4/2>1f3 1f6>195',
  '1f7>1bf 1f8-21e/2>1f9 220>19e 222-232/2>223 23a>2c65 23b>23c 23d>19a 23e>2c66 241>242 243>180',
  '244>289 245>28c 246-24e/2>247 370-372/2>371 376>377 386>3ac 388-38a>3ad 38c>3cc 38e-38f>3cd',
  '391-3a1>3b1 3a3-3ab>3c3 3c2>3c3 3cf>3d7 3d0>3b2 3d1>3b8 3d5>3c6 3d6>3c0 3d8-3ee/2>3d9 3f0>3ba',
  '3f1>3c1 3f4>3b8 3f5>3b5 3f7>3f8 3f9>3f2 3fa>3fb 3fd-3ff>37b 400-40f>450 410-42f>430 460-480/2>461',
  '48a-4be/2>48b 4c0>4cf 4c1-4cd/2>4c2 4d0-526/2>4d1 531-556>561 10a0-10c5>2d00 10c7>2d27 10cd>2d2d',
  '1e00-1e94/2>1e01 1e9b>1e61 1e9e>df 1ea0-1efe/2>1ea1 1f08-1f0f>1f00 1f18-1f1d>1f10 1f28-1f2f>1f20',
  '1f38-1f3f>1f30 1f48-1f4d>1f40 1f59-1f5f/2>1f51 1f68-1f6f>1f60 1f88-1f8f>1f80 1f98-1f9f>1f90',
  '1fa8-1faf>1fa0 1fb8-1fb9>1fb0 1fba-1fbb>1f70 1fbc>1fb3 1fbe>3b9 1fc8-1fcb>1f72 1fcc>1fc3',
  '1fd8-1fd9>1fd0 1fda-1fdb>1f76 1fe8-1fe9>1fe0 1fea-1feb>1f7a 1fec>1fe5 1ff8-1ff9>1f78 1ffa-1ffb>1f7c',
  '1ffc>1ff3 2126>3c9 212a>6b 212b>e5 2132>214e 2160-216f>2170 2183>2184 2c00-2c2e>2c30 2c60>2c61',
  '2c62>26b 2c63>1d7d 2c64>27d 2c67-2c6b/2>2c68 2c6d>251 2c6e>271 2c6f>250 2c70>252 2c72>2c73 2c75>2c76',
  '2c7e-2c7f>23f 2c80-2ce2/2>2c81 2ceb-2ced/2>2cec 2cf2>2cf3 a640-a66c/2>a641 a680-a696/2>a681',
  'a722-a72e/2>a723 a732-a76e/2>a733 a779-a77b/2>a77a a77d>1d79 a77e-a786/2>a77f a78b>a78c a78d>265',
  'a790-a792/2>a791 a7a0-a7a8/2>a7a1 a7aa>266 ff21-ff3a>ff41 10400-10427>10428',
];

/** Combining marks that continue a token and vanish from it (they never start one): a subset of U+0300-U+0331. */
const DROPPED_MARKS = new Set([
  0x300, 0x301, 0x302, 0x303, 0x304, 0x306, 0x307, 0x308, 0x309, 0x30a, 0x30b, 0x30c, 0x30f, 0x311, 0x31b, 0x323, 0x324,
  0x325, 0x326, 0x327, 0x328, 0x32d, 0x32e, 0x330, 0x331,
]);

/** ASCII token characters: letters and digits; `_` and every other ASCII character separates. */
const ASCII_TOKEN_CHAR = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  ASCII_TOKEN_CHAR[c] = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) ? 1 : 0;
}

/** Sorted `[lo0, hi0, lo1, hi1, …]` from the hex ranges of SEPARATORS. */
function parseRanges(lines: readonly string[]): Uint32Array {
  const items = lines.join(' ').split(' ');
  const out = new Uint32Array(items.length * 2);
  items.forEach((item, i) => {
    const [lo = '', hi = lo] = item.split('-');
    out[2 * i] = parseInt(lo, 16);
    out[2 * i + 1] = parseInt(hi, 16);
  });
  return out;
}

interface FoldRun {
  from: number;
  to: number;
  step: number;
  delta: number;
}

/** The runs of CASE_FOLDS, sorted by `from`. */
function parseFolds(lines: readonly string[]): FoldRun[] {
  return lines
    .join(' ')
    .split(' ')
    .map((item) => {
      const [range = '', target = ''] = item.split('>');
      const [span = '', step = '1'] = range.split('/');
      const [from = '', to = from] = span.split('-');
      const lo = parseInt(from, 16);
      return { from: lo, to: parseInt(to, 16), step: Number(step), delta: parseInt(target, 16) - lo };
    });
}

// Parsed on the first non-ASCII character: most text never needs them, and every hook loads this.
let separatorRanges: Uint32Array | undefined;
let foldRuns: FoldRun[] | undefined;

/** Whether a non-ASCII code point separates tokens (a binary search over the SEPARATORS ranges). */
function isSeparator(cp: number): boolean {
  let lo = 0;
  const ranges = (separatorRanges ??= parseRanges(SEPARATORS));
  let hi = ranges.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (cp < ranges[2 * mid]!) hi = mid - 1;
    else if (cp > ranges[2 * mid + 1]!) lo = mid + 1;
    else return true;
  }
  return false;
}

/** unicode61's case folding of one non-ASCII code point. */
function caseFold(cp: number): number {
  let lo = 0;
  const runs = (foldRuns ??= parseFolds(CASE_FOLDS));
  let hi = runs.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const run = runs[mid]!;
    if (cp < run.from) hi = mid - 1;
    else if (cp > run.to) lo = mid + 1;
    else return (cp - run.from) % run.step === 0 ? cp + run.delta : cp;
  }
  return cp;
}

const baseLetters = new Map<number, number>();

/**
 * remove_diacritics 2 on a folded code point: a Latin letter (U+00C0-U+024F, U+1E00-U+1EFF) whose canonical
 * decomposition is one ASCII letter and combining marks becomes that letter, in lower case (so İ becomes i).
 * FTS5's own table misses one such letter, ǡ (a with dot above and macron), which therefore stays.
 */
function removeDiacritic(cp: number): number {
  if (!((cp >= 0xc0 && cp <= 0x24f) || (cp >= 0x1e00 && cp <= 0x1eff)) || cp === 0x1e1) return cp;
  let base = baseLetters.get(cp);
  if (base === undefined) {
    const m = /^([A-Za-z])\p{Mn}+$/u.exec(String.fromCodePoint(cp).normalize('NFD'));
    base = m ? m[1]!.toLowerCase().charCodeAt(0) : cp;
    baseLetters.set(cp, base);
  }
  return base;
}

/** One token's worth of text as FTS5 writes it: ASCII lowered, the rest folded, dropped marks left out. */
function foldToken(text: string, start: number, end: number): string {
  let out = '';
  for (let i = start; i < end; ) {
    const cp = text.codePointAt(i)!;
    i += cp > 0xffff ? 2 : 1;
    if (cp < 0x80) out += String.fromCharCode(cp >= 0x41 && cp <= 0x5a ? cp + 32 : cp);
    else if (!DROPPED_MARKS.has(cp)) out += String.fromCodePoint(removeDiacritic(caseFold(cp)));
  }
  return out;
}

const STEM_CACHE_SIZE = 1 << 15;
const STEM_CACHE_MASK = STEM_CACHE_SIZE - 1;
const cachedTokens: (string | undefined)[] = new Array<string | undefined>(STEM_CACHE_SIZE);
const cachedStems: string[] = new Array<string>(STEM_CACHE_SIZE);
let cachedCount = 0;

/** One step of the FNV-1a hash that ftsTokens keeps over a token's characters as it scans them. */
function hashStep(h: number, c: number): number {
  return Math.imul(h ^ c, 0x01000193);
}
const HASH_SEED = 0x811c9dc5 | 0;

/**
 * The term of the ASCII token `text[start, end)`, whose hash is `hash`. Words repeat (Zipf), so terms are
 * memoised by the token as written, in an open-addressing table probed straight from the text: a repeated
 * word costs no slice, no lower-casing and no stemming.
 */
function asciiTerm(text: string, start: number, end: number, hash: number): string {
  const len = end - start;
  if (len > PORTER_MAX_BYTES) return text.slice(start, end).toLowerCase();
  let slot = (hash ^ (hash >>> 15)) & STEM_CACHE_MASK;
  for (let token = cachedTokens[slot]; token !== undefined; token = cachedTokens[slot]) {
    if (token.length === len && text.startsWith(token, start)) return cachedStems[slot]!;
    slot = (slot + 1) & STEM_CACHE_MASK;
  }
  const token = text.slice(start, end);
  const stem = stemBytes(token.toLowerCase());
  if (cachedCount >= STEM_CACHE_SIZE / 2) {
    cachedTokens.fill(undefined);
    cachedCount = 0;
    slot = (hash ^ (hash >>> 15)) & STEM_CACHE_MASK;
  }
  cachedTokens[slot] = token;
  cachedStems[slot] = stem;
  cachedCount++;
  return stem;
}

/** Where the token starting at `start` ends: it runs over token characters and the marks FTS5 drops. */
function tokenEnd(text: string, start: number): number {
  let i = start;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c < 0x80) {
      if (ASCII_TOKEN_CHAR[c] === 0) break;
      i++;
    } else {
      const cp = text.codePointAt(i)!;
      if (isSeparator(cp) && !DROPPED_MARKS.has(cp)) break;
      i += cp > 0xffff ? 2 : 1;
    }
  }
  return i;
}

const otherStems = new Map<string, string>();

/** porterStem of a token with non-ASCII characters, memoised like asciiTerm but in a plain Map. */
function otherStem(term: string): string {
  let stem = otherStems.get(term);
  if (stem === undefined) {
    stem = porterStem(term);
    if (otherStems.size >= STEM_CACHE_SIZE / 2) otherStems.clear();
    otherStems.set(term, stem);
  }
  return stem;
}

/** The terms FTS5 ('porter unicode61 remove_diacritics 2') indexes for `text`, in order, repeats kept. */
export function ftsTokens(text: string): string[] {
  const out: string[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const start = i;
    // The common case: a run of ASCII letters and digits, hashed on the way for asciiTerm.
    let hash = HASH_SEED;
    let c = text.charCodeAt(i);
    while (c < 0x80 && ASCII_TOKEN_CHAR[c] === 1) {
      hash = hashStep(hash, c);
      c = ++i < n ? text.charCodeAt(i) : 0;
    }
    if (c < 0x80) {
      // The run ended at an ASCII separator or at the end of the text.
      if (i > start) out.push(asciiTerm(text, start, i, hash));
      else i++;
      continue;
    }
    // A non-ASCII character: it starts a token if it is a token character, and carries one on if it is a
    // token character or a mark that FTS5 drops.
    const cp = text.codePointAt(i)!;
    if (isSeparator(cp) && (i === start || !DROPPED_MARKS.has(cp))) {
      if (i > start) out.push(asciiTerm(text, start, i, hash));
      else i += cp > 0xffff ? 2 : 1;
      continue;
    }
    i = tokenEnd(text, i);
    out.push(otherStem(foldToken(text, start, i)));
  }
  return out;
}

/** FTS5's Porter step on one token already folded by unicode61 (lower case, diacritics removed). */
export function porterStem(token: string): string {
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\x7f]*$/.test(token)) return stemBytes(token);
  // FTS5 stems UTF-8 bytes: one latin1 character per byte keeps every length and comparison byte-exact.
  const bytes = Buffer.from(token, 'utf8').toString('latin1');
  const stem = stemBytes(bytes);
  return stem === bytes ? token : Buffer.from(stem, 'latin1').toString('utf8');
}

// The Porter stemmer, on a string of bytes (one character per byte; any byte above 0x7F is a consonant).

const A = 0x61;
const E = 0x65;
const I = 0x69;
const O = 0x6f;
const U = 0x75;
const Y = 0x79;

/** a, e, i, o, u; y too when `yIsVowel` (the letter before it was a consonant). */
function isVowel(c: number, yIsVowel: boolean): boolean {
  return c === A || c === E || c === I || c === O || c === U || (yIsVowel && c === Y);
}

/**
 * Past the first vowel-then-consonant sequence of `w[start, end)`: the index after that consonant, or 0 when
 * there is none. `prevCons` says whether the letter before `start` was a consonant (for the y rule).
 */
function skipVowelConsonant(w: string, start: number, end: number, prevCons: boolean): number {
  let cons = prevCons;
  let i = start;
  for (; i < end; i++) {
    cons = !isVowel(w.charCodeAt(i), cons);
    if (!cons) break;
  }
  for (i++; i < end; i++) {
    cons = !isVowel(w.charCodeAt(i), cons);
    if (cons) return i + 1;
  }
  return 0;
}

/** m > 0 for the stem `w[0, len)`. */
function measureAbove0(w: string, len: number): boolean {
  return skipVowelConsonant(w, 0, len, false) !== 0;
}

/** m > 1 for the stem `w[0, len)`. */
function measureAbove1(w: string, len: number): boolean {
  const n = skipVowelConsonant(w, 0, len, false);
  return n !== 0 && skipVowelConsonant(w, n, len, true) !== 0;
}

/** m = 1 for the stem `w[0, len)`. */
function measureIs1(w: string, len: number): boolean {
  const n = skipVowelConsonant(w, 0, len, false);
  return n !== 0 && skipVowelConsonant(w, n, len, true) === 0;
}

/** *o: the stem `w[0, len)` ends consonant-vowel-consonant, the last not w, x or y. */
function endsCvc(w: string, len: number): boolean {
  const last = w.charCodeAt(len - 1);
  if (len < 3 || last === 0x77 || last === 0x78 || last === Y) return false;
  let cons = false;
  let mask = 0;
  for (let i = 0; i < len; i++) {
    cons = !isVowel(w.charCodeAt(i), cons);
    mask = ((mask << 1) | (cons ? 1 : 0)) & 7;
  }
  return mask === 0b101;
}

/** *v*: the stem `w[0, len)` has a vowel; FTS5 counts y as one anywhere but first. */
function hasVowel(w: string, len: number): boolean {
  for (let i = 0; i < len; i++) {
    if (isVowel(w.charCodeAt(i), i > 0)) return true;
  }
  return false;
}

/** (m > 1 and *S or *T) for step 4's `ion`. */
function measureAbove1EndsST(w: string, len: number): boolean {
  const last = w.charCodeAt(len - 1);
  return (last === 0x73 || last === 0x74) && measureAbove1(w, len);
}

type Condition = (w: string, len: number) => boolean;

interface Rule {
  suffix: string;
  replacement: string;
  condition: Condition;
}

/** A step's rules, indexed by the character code of the next-to-last letter of their suffix. */
type RuleTable = readonly (readonly Rule[] | undefined)[];

/**
 * Builds a step from `suffix>replacement` items (no `>`: the suffix is removed). FTS5 picks the group of rules
 * by the word's next-to-last letter and tries them in this order: the first suffix that the word ends with
 * (leaving a non-empty stem) decides, whether or not its condition holds.
 */
function ruleTable(spec: string, conditionOf: (suffix: string) => Condition): RuleTable {
  const table: Rule[][] = [];
  for (const item of spec.split(' ')) {
    const [suffix = '', replacement = ''] = item.split('>');
    const key = suffix.charCodeAt(suffix.length - 2);
    (table[key] ??= []).push({ suffix, replacement, condition: conditionOf(suffix) });
  }
  return table;
}

const STEP2 = ruleTable(
  'ational>ate tional>tion enci>ence anci>ance izer>ize logi>log bli>ble alli>al entli>ent eli>e ousli>ous ' +
    'ization>ize ation>ate ator>ate alism>al iveness>ive fulness>ful ousness>ous aliti>al iviti>ive biliti>ble',
  () => measureAbove0,
);
const STEP3 = ruleTable('ical>ic ness icate>ic iciti>ic ful ative alize>al', () => measureAbove0);
const STEP4 = ruleTable('al ance ence er ic able ible ant ement ment ent ion ou ism ate iti ous ive ize', (suffix) =>
  suffix === 'ion' ? measureAbove1EndsST : measureAbove1,
);

/** Applies the one rule of `table` that the word's ending selects, if its condition holds. */
function applyRules(w: string, table: RuleTable): string {
  const n = w.length;
  const group = table[w.charCodeAt(n - 2)];
  if (group === undefined) return w;
  for (let k = 0; k < group.length; k++) {
    const { suffix, replacement, condition } = group[k]!;
    if (n > suffix.length && w.endsWith(suffix)) {
      const stem = n - suffix.length;
      return condition(w, stem) ? w.slice(0, stem) + replacement : w;
    }
  }
  return w;
}

/** Step 1a: sses → ss, ies → i, s → "" (but ss stays). */
function step1a(w: string): string {
  const n = w.length;
  if (w.charCodeAt(n - 1) !== 0x73) return w;
  const before = w.charCodeAt(n - 2);
  if (before === E) {
    const sses = n > 4 && w.charCodeAt(n - 4) === 0x73 && w.charCodeAt(n - 3) === 0x73;
    const ies = n > 3 && w.charCodeAt(n - 3) === I;
    return w.slice(0, sses || ies ? n - 2 : n - 1);
  }
  return before === 0x73 ? w : w.slice(0, n - 1);
}

/** Step 1b: (m > 0) eed → ee; (*v*) ed, ing → "" and then the follow-up. */
function step1b(w: string): string {
  const n = w.length;
  if (n > 3 && w.endsWith('eed')) return measureAbove0(w, n - 3) ? w.slice(0, n - 1) : w;
  const stem = n > 2 && w.endsWith('ed') ? n - 2 : n > 3 && w.endsWith('ing') ? n - 3 : -1;
  return stem >= 0 && hasVowel(w, stem) ? step1bFollowUp(w.slice(0, stem)) : w;
}

/**
 * Step 1b's follow-up after ed/ing: at → ate, bl → ble, iz → ize; else a double consonant other than l, s, z
 * loses one letter (y counts as a consonant here); else (m = 1 and *o) adds e.
 */
function step1bFollowUp(w: string): string {
  const n = w.length;
  if (n > 2 && (w.endsWith('at') || w.endsWith('bl') || w.endsWith('iz'))) return w + 'e';
  const last = w.charCodeAt(n - 1);
  if (n >= 2 && !isVowel(last, false) && last !== 0x6c && last !== 0x73 && last !== 0x7a) {
    if (last === w.charCodeAt(n - 2)) return w.slice(0, n - 1);
  }
  return measureIs1(w, n) && endsCvc(w, n) ? w + 'e' : w;
}

/** Step 1c: (*v*) y → i. */
function step1c(w: string): string {
  const n = w.length;
  return w.charCodeAt(n - 1) === Y && hasVowel(w, n - 1) ? w.slice(0, n - 1) + 'i' : w;
}

/** Step 5a: (m > 1) e → ""; (m = 1 and not *o) e → "". */
function step5a(w: string): string {
  const n = w.length;
  if (w.charCodeAt(n - 1) !== E) return w;
  const drop = measureAbove1(w, n - 1) || (measureIs1(w, n - 1) && !endsCvc(w, n - 1));
  return drop ? w.slice(0, n - 1) : w;
}

/** Step 5b: (m > 1 and *d and *L) ll → l. */
function step5b(w: string): string {
  const n = w.length;
  const ll = n > 1 && w.charCodeAt(n - 1) === 0x6c && w.charCodeAt(n - 2) === 0x6c;
  return ll && measureAbove1(w, n - 1) ? w.slice(0, n - 1) : w;
}

/** The Porter steps on a byte string (ASCII tokens are their own bytes). */
function stemBytes(word: string): string {
  if (word.length < PORTER_MIN_BYTES || word.length > PORTER_MAX_BYTES) return word;
  let w = step1c(step1b(step1a(word)));
  w = applyRules(applyRules(applyRules(w, STEP2), STEP3), STEP4);
  return step5b(step5a(w));
}
