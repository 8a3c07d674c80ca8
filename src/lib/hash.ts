/**
 * A fast 64-bit string hash (two FNV-1a lanes), as 16 hex digits: for names and fingerprints
 * that need no cryptographic strength, on paths where loading node:crypto (and the stream
 * modules it pulls in, a few milliseconds) would cost more than the work itself.
 */
export function fastHash(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}
