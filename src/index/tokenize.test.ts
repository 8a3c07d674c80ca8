import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { ftsTokens, porterStem } from './tokenize.js';

// The oracle: real FTS5, with the tokenizer of learning_fts (db.ts), read back term by term.
const db = new Database(':memory:');
db.exec(`
  CREATE VIRTUAL TABLE t USING fts5(x, tokenize = 'porter unicode61 remove_diacritics 2');
  CREATE VIRTUAL TABLE v USING fts5vocab(t, 'instance');
`);
afterAll(() => db.close());

/** FTS5's token stream for each text. */
function fts5(texts: readonly string[]): string[][] {
  db.exec('DELETE FROM t');
  const insert = db.prepare('INSERT INTO t(rowid, x) VALUES (?, ?)');
  db.transaction(() => texts.forEach((text, i) => insert.run(i + 1, text)))();
  const out = texts.map((): string[] => []);
  const rows = db.prepare('SELECT doc, term FROM v ORDER BY doc, offset').raw().all() as [number, string][];
  for (const [doc, term] of rows) out[doc - 1]!.push(term);
  return out;
}

const show = (s: string): string => JSON.stringify(s.length > 300 ? `${s.slice(0, 300)}…` : s);

/** Every text whose tokens differ from FTS5's, readably: the text, FTS5's tokens, ours. */
function mismatches(texts: readonly string[]): string {
  const want = fts5(texts);
  const report: string[] = [];
  texts.forEach((text, i) => {
    const ours = ftsTokens(text);
    if (JSON.stringify(ours) !== JSON.stringify(want[i])) {
      report.push(`text: ${show(text)}\n  fts5: ${JSON.stringify(want[i])}\n  ours: ${JSON.stringify(ours)}`);
    }
  });
  return report.length === 0
    ? ''
    : `${report.length} of ${texts.length} texts differ:\n${report.slice(0, 25).join('\n')}`;
}

// Words for every Porter rule and its conditions (and the usual Porter test words around them).
const PORTER_WORDS = `
  caresses ponies ties caress cats cat ss s is as us yes this his was gas bus plus kiss sses ies
  feed agreed plastered bled motoring sing conflated troubled sized hopping tanned falling hissing fizzed
  failing filing hoped hoping hopped hopper controlled controlling rolled rolling tried trying dying lying
  eed ed ing bed red need speed proceed exceed succeed breed bleed freed indeed reed seed weed embed
  happy sky by yes say day enjoy enjoyed toy boy cry crying cried ply rely relying yield
  relational conditional rational valenci hesitanci digitizer conformabli radicalli differentli vileli
  analogousli vietnamization predication operator feudalism decisiveness hopefulness callousness
  formaliti sensitiviti sensibiliti triplicate formative formalize electriciti electrical hopeful goodness
  revival allowance inference airliner gyroscopic adjustable defensible irritant replacement adjustment
  dependent adoption homologou communism activate angulariti homologous effective bowdlerize
  probate rate cease controll roll generalization generalizations oscillators oscillator
  generate generates generated generating generation generations generator general generally generic
  connect connected connecting connection connections connective connectively connector
  national nationalism nationalist nationality nationalize nationalization nationally
  relate related relates relating relation relations relationship relative relatively relativity
  sensational sensation sensationalism sensible sensibility sensibly sensitive sensitivity
  condition conditions conditioned conditioning conditionally conditional
  valency hesitancy conformably radically differently vilely analogously fully carefully hopelessly
  logic logical logically logician analogy analogical biology biological apology archaeology
  able ably ability capable capability probable probability responsibility visibility
  decisive decisively activeness effectiveness usefulness carelessness ferociousness graciousness
  electric electricity electrician eccentricity toxicity authenticity elasticity specificity
  agreement agreements movement government management statement element cement lament segment
  dependence independence reference preference confidence evidence silence absence science
  assistance importance resistance distance instance substance balance finance
  adoptable comfortable readable divisible terrible horrible edible flexible
  abundant brilliant elegant important relevant tenant servant
  apparent current different excellent intelligent parent percent present student urgent
  adoption adaption action election question fusion vision decision provision mission passion
  criticism organism mechanism realism tourism
  ate state estate create debate dilate private climate primate
  quality quantity equality reality activity community unity city pity
  famous nervous various serious obvious previous dangerous jealous
  active passive massive native festive relative sensitive
  realize organize recognize summarize emphasize optimize minimize maximize standardize size prize
  trouble troubles troubling bubble bubbling table tables cable enable enabled
  fall fell full pull skill skills spell will well tell tall install installed installing
  filing filed file files fil tile tiled mile
  ate ated ating bat bated bating lated plated elated hated
  hop hope hoped hoping hopping hopped bat batting batted fit fitting fitted
  fizz fizzing buzz buzzing miss missing missed pass passing passed
  maximum momentum premium stadium medium
  arguing argue argued argument arguments
  ionic onion union opinion region legion religion
  aeiou bcdfg yyy yyyy yoyo yay yoy boyy toyed toying obeyed obeying
  eeing eying dyeing seeing fleeing agreeing freeing
  allied ally allies rally rallies bully bullies apply applies applied reply replied
  skies flies tries cries dries spies
  news ness dress stress chess process processes processed processing
  izer izers iz izing izes
  ousli ousness fulness iveness alism aliti iviti biliti ation ator ization ational tional
  enci anci logi bli alli entli eli icate ative alize iciti ical ful ness
  al ance ence er ic able ible ant ement ment ent ion ou ism iti ous ive ize
  sion tion ation ations ional ionally ionalism
  programming programmer programmers programmed program programs
  database databases index indexes indexed indexing indices search searches searched searching
  tokenize tokenizer tokenizers tokenized tokenizing tokenization token tokens
  learning learnings learned learner learners learn learns
  configuration configurations configure configured configuring config configs
  dependency dependencies depend depends depended depending dependable
  sophisticate sophisticated authenticate domesticate communicate fabricate
  fashionabled comfortabled reasonabled disabled enabled tabled
  toyyed stayyed yying snowed bowed sewing plowing viewed boxed fixing taxed played staying
  polymer polymers analyzer polyp bicycle cycling
  `
  .split(/\s+/)
  .filter(Boolean);

// Stems crossed with suffixes: thousands more words through every step's conditions.
const STEMS = ['run', 'hop', 'gener', 'relat', 'condit', 'form', 'sens', 'electr', 'agree', 'fil', 'troubl', 'bl', 'y'];
const SUFFIXES = ['', 's', 'es', 'ed', 'ing', 'ly', 'ness', 'ation', 'ational', 'ize', 'izer', 'ization', 'al'];
const MORE_SUFFIXES = ['alli', 'ful', 'fulness', 'ive', 'iveness', 'iviti', 'able', 'ible', 'ement', 'ment', 'ent'];
const COMBINED = STEMS.flatMap((stem) =>
  [...SUFFIXES, ...MORE_SUFFIXES].flatMap((a) => SUFFIXES.map((b) => stem + a + b)),
);

/** All words of `letters` up to length 3. */
function shortWords(letters: string): string[] {
  const out: string[] = [];
  for (const a of letters) {
    out.push(a);
    for (const b of letters) {
      out.push(a + b);
      for (const c of letters) out.push(a + b + c);
    }
  }
  return out;
}

const SPECIAL_TEXTS = [
  '',
  '   ',
  'a',
  'The quick brown fox jumps over the lazy dog.',
  'v2 utf8 sha256 1.2.3 0x1F 3.14159 1e10 v1.2.3-beta.4 ipv6 h264 x86_64 arm64',
  'snake_case_name kebab-case-name camelCaseName PascalCaseName SCREAMING_CASE',
  'src/index/db.ts ../shared/fixtures C:\\Users\\me\\file.txt ~/.agents/.cache/index.db',
  'https://example.com/path/to/page?query=value&other=1#fragment mailto:someone@example.org',
  'foo(bar) => baz[0]; const x = { a: 1, b: [2, 3] }; if (a && b || !c) return a?.b ?? c;',
  '!!! ??? ... --- *** ### @@@ $$$ %%% ^^^ &&& ((( ))) [[[ ]]] {{{ }}} <<< >>> /// \\\\ ||| ~~~ ``` \'\'\' """',
  'emoji: 😀 🎉 🚀 🔥 ✅ ❌ ⚠️ 👍🏽 👨‍👩‍👧 🤖 🤔 🧪 🟢 🛠️ 🫠 🥳 ❤️ ✨ 🙏',
  '🤖 Generated with Claude Code',
  'CJK: 漢字 中文分词 日本語のテキスト 한국어 텍스트 かなカナ',
  'Cyrillic: Привет мир, Ёлка, ёжик, йогурт, Й; Greek: Γειά σου Κόσμε, ΟΔΟΣ οδός, άέήίόύώ ΐ ΰ',
  'accents precomposed: café naïve résumé façade jalapeño Ångström Øresund Łódź Ærø crème brûlée São Paulo',
  'accents decomposed: cafe\u0301 nai\u0308ve re\u0301sume\u0301 fac\u0327ade jalapen\u0303o A\u030Angstro\u0308m',
  'NFD: café naïve résumé Ångström Việt Nam Đà Nẵng Ǖ ǟ'.normalize('NFD'),
  'combining marks: e\u0301 \u0301e x\u0305y a\u20DDb o\u0332 n\u0303 i\u0307 q\u0331q q\u0332q',
  'German: Straße STRASSE groß Größe ẞ Fußgängerübergänge',
  'Turkish: İstanbul ISTANBUL ıiİI Iğdır DİYARBAKIR',
  'ligatures: ﬁnance ﬂow ﬀ ﬃ ﬄ Ĳ ĳ œuvre Œ æ',
  'full-width: ＡＢＣ ａｂｃ １２３ Ｈｅｌｌｏ，Ｗｏｒｌｄ！',
  'private use: \uE000\uE001 a\uF8FFb \u{F0000} \u{10FFFD}x',
  'math: 𝐀𝐁𝐂 𝑎𝑏𝑐 𝟘𝟙𝟚 ℌℍℎ ℃ ℉ ⅓ ½ ² ³ ⁴ ₁ Ⅻ ⅻ',
  'symbols: © ® ™ € £ ¥ ₹ ₿ § ¶ † ‡ • … ‰ ′ ″ « » „ “ ” ‘ ’ ‹ › – — ¡ ¿',
  'spaces:\u00A0\u2002\u2003\u2009\u200A\u200B\u200C\u200D\u2028\u2029\u3000\uFEFF|end',
  'Deseret 𐐀𐐁𐐂 𐐨, Osage 𐒰𐓘, Adlam 𞤀𞤢, Cherokee ᎠᎡᎢ ꭰ, Georgian Ⴀ ა Ა, Armenian Աբգ',
  'Vietnamese: Tiếng Việt có dấu, người, được, những, Ǡǡ Ǟǟ ǖ Ǿǿ ẛ ẞ',
  'Greek folds: µ μ ς σ ϐ ϑ ϕ ϖ ϰ ϱ ϵ ι ί',
  'lone surrogates: a\uD800b c\uDC00d e\uD83Df',
  'controls:\u0000a\u0001b\tc\nd\re\u007Ff\u0085g',
  'Arabic: مرحبا بالعالم، أهلاً Hebrew: שָׁלוֹם עולם Devanagari: नमस्ते दुनिया Thai: สวัสดีชาวโลก',
  'mixed: naïveté café-au-lait 2024年1月 №5 x²+y² αβγ-test über_cool',
  'FTS5 bytes: aꀀing bࠠed cक़ing ünited ÿes ḯing ẞing μsing',
  `${'a'.repeat(63)} ${'b'.repeat(64)} ${'c'.repeat(65)} ${'relational'.repeat(7)} ${'é'.repeat(32)}s ${'é'.repeat(31)}es`,
  `${'x'.repeat(62)}ing ${'x'.repeat(61)}ing ${'ä'.repeat(30)}ation ${'ä'.repeat(31)}ation nationalization`,
  // Tokens of 62 to 66 bytes around FTS5's 64-byte limit for stemming, ASCII and not.
  [60, 61, 62, 63].map((n) => `${'bana'.repeat(16).slice(0, n)}ings`).join(' '),
  [28, 29, 30, 31].map((n) => `${'é'.repeat(n)}${'ab'.repeat(2)}ings`).join(' '),
];

describe('ftsTokens against FTS5', () => {
  it('matches on the built-in Porter words, one per text', () => {
    expect(PORTER_WORDS.length).toBeGreaterThan(400);
    expect(mismatches(PORTER_WORDS)).toBe('');
  });

  it('matches on stems crossed with suffixes', () => {
    expect(mismatches(COMBINED)).toBe('');
  });

  it('matches on every word of one to three letters, and capitalised', () => {
    const words = shortWords('abcdeilnorstuyz');
    expect(mismatches([...words, ...words.map((w) => w.toUpperCase())])).toBe('');
  });

  it('matches on code, paths, numbers, punctuation and non-English text', () => {
    expect(mismatches(SPECIAL_TEXTS)).toBe('');
  });

  it('matches on every Unicode code point that text uses, at the start of a token and inside one', () => {
    // `${c}q${c}q` is one token when c is a token character, "q" "q" when it separates, and "qq" when it is a
    // mark FTS5 drops inside a token. Planes 0-3 and 14 are probed whole; planes 4-13 (unassigned) and 15-16
    // (private use) every 61st code point.
    const codePoints: number[] = [];
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      const plane = cp >> 16;
      const whole = plane <= 3 || plane === 14;
      if ((whole || cp % 61 === 0) && !(cp >= 0xd800 && cp <= 0xdfff)) codePoints.push(cp);
    }
    const texts: string[] = [];
    for (let k = 0; k < codePoints.length; k += 500) {
      const chars = codePoints.slice(k, k + 500).map((cp) => String.fromCodePoint(cp));
      texts.push(chars.map((ch) => `${ch}q${ch}q`).join(' '));
    }
    expect(codePoints.length).toBeGreaterThan(330_000);
    expect(mismatches(texts)).toBe('');
  });

  it('matches on seeded random strings of letters, suffixes, marks and multi-byte characters', () => {
    // Pieces chosen to collide with the byte-level Porter step: ꀀ and ࠠ end in two equal UTF-8 bytes (which
    // step 1b's double-consonant rule halves), y next to vowels, marks after letters, a lone surrogate.
    const pieces = [
      ...'aeiouyaeiouybcdfghjklmnpqrstvwxzsslleedd',
      ...['ing', 'ed', 'ation', 'al', 'ness', 'ment', 'es', 'ies', 'é', 'Ü', 'ß', 'ẞ', 'ꀀ', 'ࠠ', '\u0301', '\u0305'],
      ...['\u0331', ' ', '-', '_', 'İ', 'ı', 'ǡ', 'Σ', 'ς', '🤖', '😀', '漢', 'й', 'A', 'E', 'Y', 'S', '\uD800', 'µ'],
      ...['ǅ', 'K', '0', '9', 'ﬁ', 'Ａ'],
    ];
    let seed = 12345;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const texts = Array.from({ length: 20_000 }, () =>
      Array.from({ length: 1 + random(14) }, () => pieces[random(pieces.length)]).join(''),
    );
    expect(mismatches(texts)).toBe('');
  });

  it('matches on every word of /usr/share/dict/words (skipped when absent)', (ctx) => {
    const file = '/usr/share/dict/words';
    ctx.skip(!existsSync(file), `${file} is not present on this machine`);
    const words = readFileSync(file, 'utf8').split('\n').filter(Boolean);
    expect(mismatches(words)).toBe('');
  });

  it('matches on real transcript lines and learnings from ../shared/fixtures (skipped when absent)', (ctx) => {
    const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
    const dir = resolve(repo, '../shared/fixtures');
    ctx.skip(!existsSync(dir), `no fixtures at ${dir} (they live beside the repository, not in it)`);
    const files = filesUnder(dir);
    // Up to 300 lines of each transcript, as written and as the text its JSON strings carry.
    const lines = files
      .filter((file) => file.endsWith('.jsonl'))
      .flatMap((file) => readFileSync(file, 'utf8').split('\n').filter(Boolean).slice(0, 300));
    const strings = lines.map((line) => stringsOf(JSON.parse(line) as unknown).join('\n'));
    const markdown = files.filter((file) => file.endsWith('.md')).map((file) => readFileSync(file, 'utf8'));
    expect(lines.length).toBeGreaterThan(2000);
    expect(mismatches([...lines, ...strings, ...markdown])).toBe('');
  });
});

describe('porterStem', () => {
  it('stems the classic examples as FTS5 does', () => {
    const pairs: [string, string][] = [
      ['caresses', 'caress'],
      ['ponies', 'poni'],
      ['hopping', 'hop'],
      ['filing', 'file'],
      ['agreed', 'agre'],
      ['generalization', 'gener'],
      ['oscillators', 'oscil'],
      ['rational', 'ration'],
      ['happy', 'happi'],
      ['sky', 'sky'],
      ['by', 'by'],
    ];
    for (const [word, stem] of pairs) expect(porterStem(word)).toBe(stem);
  });

  it('leaves tokens under 3 or over 64 UTF-8 bytes alone', () => {
    expect(porterStem('is')).toBe('is');
    expect(porterStem('é')).toBe('é');
    expect(porterStem(`${'é'.repeat(32)}s`)).toBe(`${'é'.repeat(32)}s`);
    expect(porterStem(`${'é'.repeat(31)}ss`)).toBe(`${'é'.repeat(31)}ss`);
    expect(porterStem(`${'é'.repeat(31)}s`)).toBe('é'.repeat(31));
  });
});

/** The files under `dir`, hidden ones included, in a stable order. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? filesUnder(path) : [path];
    });
}

/** Every string inside a parsed JSON value: the prose, code and output a transcript line carries. */
function stringsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsOf);
  if (value && typeof value === 'object') return Object.values(value).flatMap(stringsOf);
  return [];
}
