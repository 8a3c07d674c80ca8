import { sha256 } from '../lib/sha256.js';

/**
 * A learning's id: `L-` and ten base36 digits of a SHA-256 over its normalised content. Two
 * branches that mint a learning from the same content get the same id; different content gets
 * different ids (50 bits: a collision among 100,000 learnings has odds below one in 10^5).
 */
export function mintId(title: string, body: string): string {
  const norm = (s: string): string => s.toLowerCase().replace(/\s+/g, ' ').trim();
  const digest = sha256(`${norm(title)}\n${norm(body)}`);
  let n = 0n;
  for (let i = 0; i < 7; i++) n = (n << 8n) | BigInt(digest[i] as number);
  n >>= 6n; // 56 bits down to 50
  return `L-${n.toString(36).padStart(10, '0')}`;
}

/** Whether text looks like one of our ids (used to find explicit citations). */
export const ID_PATTERN = /\bL-[0-9a-z]{10}\b/g;
