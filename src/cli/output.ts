import { writeSync } from 'node:fs';

/**
 * The only place that writes to the terminal. Data goes to stdout, diagnostics to stderr.
 */
export function out(text: string): void {
  writeOut(text.endsWith('\n') ? text : `${text}\n`);
}

export function err(text: string): void {
  process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
}

/** Writes text as it is, without adding a newline (an agent's hook answer). */
export function outRaw(text: string): void {
  writeOut(text);
}

export function outJson(value: unknown): void {
  writeOut(`${JSON.stringify(value, null, 2)}\n`);
}

let stdoutClosed = false;
let viaStream = false;

/**
 * Writes to stdout through its descriptor: process.stdout, for a pipe, loads Node's net and
 * stream modules (about 20, a few milliseconds at every start), which printing needs none of.
 * A non-blocking descriptor (EAGAIN) hands the rest to the stream, which waits for room.
 */
function writeOut(text: string): void {
  if (stdoutClosed) return;
  if (viaStream) {
    process.stdout.write(text);
    return;
  }
  const bytes = Buffer.from(text, 'utf8');
  let at = 0;
  try {
    while (at < bytes.length) at += writeSync(1, bytes, at);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // The reader went away (`ao … | head`): its choice, not an error; the rest is dropped.
    if (code === 'EPIPE') stdoutClosed = true;
    else if (code === 'EAGAIN') {
      viaStream = true;
      process.stdout.write(bytes.subarray(at));
    } else throw error;
  }
}

const useColor = (): boolean => Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;

export function dim(text: string): string {
  return useColor() ? `\u001b[2m${text}\u001b[22m` : text;
}

export function bold(text: string): string {
  return useColor() ? `\u001b[1m${text}\u001b[22m` : text;
}

export function red(text: string): string {
  return useColor() ? `\u001b[31m${text}\u001b[39m` : text;
}

export function yellow(text: string): string {
  return useColor() ? `\u001b[33m${text}\u001b[39m` : text;
}

export function formatInt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** Compact token counts for tables: 1,234 / 12.3k / 4.56M. */
export function formatTokens(n: number): string {
  if (n < 10_000) return formatInt(n);
  if (n < 1_000_000) return `${(n / 1000).toFixed(1)}k`;
  if (n < 1_000_000_000) return `${(n / 1_000_000).toFixed(2)}M`;
  return `${(n / 1_000_000_000).toFixed(2)}B`;
}

/** A cost, or why there is none: unpriced models are never shown as $0. */
export function formatCost(usd: number | null, priced?: number): string {
  if (usd === null) return priced && priced > 0 ? `≥$${priced.toFixed(2)}*` : 'unpriced';
  return `$${usd.toFixed(2)}`;
}

export function formatPercent(ratio: number | null): string {
  return ratio === null ? '-' : `${Math.round(ratio * 100)}%`;
}

export function formatTime(iso: string | null): string {
  if (!iso) return '-';
  const d = new Date(iso);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function formatDuration(fromIso: string | null, toIso: string | null): string {
  if (!fromIso || !toIso) return '-';
  const minutes = Math.round((Date.parse(toIso) - Date.parse(fromIso)) / 60_000);
  if (minutes < 60) return `${minutes}m`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}`;
}

/** Aligns rows into columns; `right` marks numeric columns. */
export function table(header: string[], rows: string[][], right: boolean[] = []): string {
  const widths = header.map((h, i) => Math.max(visible(h), ...rows.map((r) => visible(r[i] ?? ''))));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => {
        const pad = ' '.repeat(Math.max(0, (widths[i] ?? 0) - visible(c)));
        return right[i] ? pad + c : c + pad;
      })
      .join('  ')
      .trimEnd();
  return [bold(line(header)), ...rows.map(line)].join('\n');
}

function visible(text: string): number {
  return stripAnsi(text).length;
}

const ANSI = new RegExp(String.fromCharCode(27) + '\\[[0-9;]*m', 'g');

export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

export function truncateText(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
