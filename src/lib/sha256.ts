import type * as NodeCrypto from 'node:crypto';
import { createRequire } from 'node:module';

let crypto: typeof NodeCrypto | undefined;

/**
 * SHA-256 of UTF-8 text. node:crypto is loaded on the first call, not with the module: loading
 * it brings in Node's stream classes (~3 ms), and the hooks and `ao inject` load modules that
 * hash (ids, the index's location) on paths that seldom do.
 */
export function sha256(text: string): Buffer {
  crypto ??= createRequire(import.meta.url)('node:crypto') as typeof NodeCrypto;
  return crypto.createHash('sha256').update(text, 'utf8').digest();
}

export function sha256Hex(text: string): string {
  return sha256(text).toString('hex');
}
