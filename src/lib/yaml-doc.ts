import { createRequire } from 'node:module';
import type * as YamlTypes from 'yaml';

/**
 * A YAML file read for validation: its data, and where each key sits, so that every problem can
 * be reported as `file:line: message`. The YAML library loads on first use only (~10 ms; hook
 * hot paths never need it).
 */
export interface YamlDoc {
  /** The data, or undefined when the text is not valid YAML (see `problems`). */
  data: unknown;
  /** Syntax problems, already as `file:line: message`. */
  problems: string[];
  /** `file:line` of a dotted path (`checks.test.timeout`, `stages.ci[2]`), or of its nearest parent. */
  at(path: string): string;
}

type YamlModule = typeof YamlTypes;
let yamlModule: YamlModule | null = null;

export function loadYaml(): YamlModule {
  yamlModule ??= createRequire(import.meta.url)('yaml') as YamlModule;
  return yamlModule;
}

export function readYamlDoc(text: string, file: string): YamlDoc {
  const YAML = loadYaml();
  const lc = new YAML.LineCounter();
  const lines = new Map<string, number>();
  const at = (path: string): string => {
    let p = path;
    for (;;) {
      const line = lines.get(p);
      if (line !== undefined) return `${file}:${line}`;
      if (p === '') return `${file}:1`;
      p = p.replace(/(\.[^.[\]]*|\[\d+\])$/, '');
    }
  };
  let doc: ReturnType<YamlModule['parseDocument']>;
  try {
    doc = YAML.parseDocument(text, { lineCounter: lc, uniqueKeys: true, prettyErrors: false });
  } catch (error) {
    return { data: undefined, problems: [`${file}:1: ${firstLine(String(error))}`], at };
  }
  if (doc.errors.length > 0) {
    const problems = doc.errors.map((e) => `${file}:${lc.linePos(e.pos[0]).line}: ${firstLine(e.message)}`);
    return { data: undefined, problems, at };
  }
  recordLines(doc.contents, '', lines, lc, YAML);
  try {
    return { data: doc.toJS({ maxAliasCount: 100 }) as unknown, problems: [], at };
  } catch (error) {
    return { data: undefined, problems: [`${file}:1: ${firstLine(String(error))}`], at };
  }
}

function firstLine(s: string): string {
  return s.split('\n')[0] ?? s;
}

function recordLines(
  node: unknown,
  path: string,
  lines: Map<string, number>,
  lc: InstanceType<YamlModule['LineCounter']>,
  YAML: YamlModule,
): void {
  if (YAML.isMap(node)) {
    for (const pair of node.items) {
      const key = YAML.isScalar(pair.key) ? String(pair.key.value) : '?';
      const p = path ? `${path}.${key}` : key;
      const range = (YAML.isNode(pair.key) && pair.key.range) || (YAML.isNode(pair.value) && pair.value.range);
      if (range) lines.set(p, lc.linePos(range[0]).line);
      recordLines(pair.value, p, lines, lc, YAML);
    }
  } else if (YAML.isSeq(node)) {
    node.items.forEach((item, i) => {
      const p = `${path}[${i}]`;
      if (YAML.isNode(item) && item.range) lines.set(p, lc.linePos(item.range[0]).line);
      recordLines(item, p, lines, lc, YAML);
    });
  }
}
