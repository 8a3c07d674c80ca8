/**
 * A progress bar on stderr for long reads: it appears only after a second, only when stdout is
 * a terminal (so pipes and --json stay clean), and erases itself when done.
 */
export interface Progress {
  update(done: number, total: number): void;
  done(): void;
}

const DELAY_MS = 1000;
const WIDTH = 30;

export function createProgress(
  label: string,
  enabled = Boolean(process.stdout.isTTY && process.stderr.isTTY),
): Progress {
  const started = Date.now();
  let shown = false;
  let lastDraw = 0;
  return {
    update(done, total) {
      if (!enabled || total <= 0) return;
      const now = Date.now();
      if (now - started < DELAY_MS || now - lastDraw < 100) return;
      lastDraw = now;
      shown = true;
      const ratio = Math.min(1, done / total);
      const filled = Math.round(ratio * WIDTH);
      const mb = (n: number): string => (n / 1048576).toFixed(0);
      process.stderr.write(
        `\r${label} [${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${Math.round(ratio * 100)}% ${mb(done)}/${mb(total)} MB`,
      );
    },
    done() {
      if (shown) process.stderr.write('\r\u001b[2K');
    },
  };
}
