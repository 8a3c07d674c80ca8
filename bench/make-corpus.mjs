#!/usr/bin/env node
// Builds a large Claude Code corpus by copying the spotter fixtures under new session ids.
// Message and request ids get a per-copy suffix so that every copy is a distinct, billable
// session (tools de-duplicate replies by message id + request id across files).
// Usage: node bench/make-corpus.mjs <out-dir> [min-megabytes=400]
import { mkdirSync, readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join, dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const source = process.env.AO_FIXTURES ?? join(here, '..', '..', 'shared', 'fixtures', 'claude-code', 'spotter');
const out = process.argv[2];
const minMB = Number(process.argv[3] ?? 400);
if (!out) {
  process.stderr.write('usage: make-corpus.mjs <out-dir> [min-megabytes]\n');
  process.exit(2);
}
if (!existsSync(source)) {
  process.stderr.write(`fixtures not found at ${source} (set AO_FIXTURES)\n`);
  process.exit(2);
}

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? walk(p) : e.name.endsWith('.jsonl') ? [p] : [];
  });
}

const files = walk(source).map((p) => ({ rel: relative(source, p), text: readFileSync(p, 'utf8') }));
const sessionIds = [...new Set(files.map((f) => f.rel.match(/^([0-9a-f-]{36})/)?.[1]).filter(Boolean))];
const perCopy = files.reduce((n, f) => n + Buffer.byteLength(f.text), 0);
const copies = Math.ceil((minMB * 1024 * 1024) / perCopy);

function newId(id, copy) {
  // Keep the uuid shape: replace the last 6 hex digits with the copy number.
  return id.slice(0, 30) + copy.toString(16).padStart(6, '0');
}

let bytes = 0;
for (let copy = 1; copy <= copies; copy++) {
  const project = join(out, 'projects', `-home-user-projects-spotter-copy-${copy}`);
  for (const f of files) {
    let text = f.text;
    let rel = f.rel;
    for (const id of sessionIds) {
      const replacement = newId(id, copy);
      text = text.split(id).join(replacement);
      rel = rel.split(id).join(replacement);
    }
    text = text
      .replaceAll('"id":"msg_', `"id":"msg_c${copy}_`)
      .replaceAll('"requestId":"req_', `"requestId":"req_c${copy}_`);
    const dest = join(project, rel);
    mkdirSync(dirname(dest), { recursive: true });
    writeFileSync(dest, text);
    bytes += Buffer.byteLength(text);
  }
}
const mb = (bytes / 1024 / 1024).toFixed(1);
process.stdout.write(`${copies} copies, ${files.length * copies} files, ${mb} MB in ${out}\n`);
