/** Kept equal to package.json's version by a test; read without loading any JSON at startup. */
export const VERSION = '0.1.0';
