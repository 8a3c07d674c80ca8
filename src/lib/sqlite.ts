import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';

export type Database = BetterSqlite3.Database;
export type OpenDatabase = (file: string | Buffer, options?: BetterSqlite3.Options) => Database;

/**
 * better-sqlite3 with its JavaScript bundled into dist/ (scripts/build.mjs) and its compiled
 * addon loaded from the installed package. Loading the package's dozen CommonJS files took ~5 ms
 * of every hook that reads the knowledge index. The package finds its addon through `bindings`,
 * which works out the calling file from a stack trace and cannot from a bundle: the addon is
 * handed to it here. Where the addon is not at node-gyp's usual place, the package is loaded
 * as it stands, and finds it itself.
 */
export async function loadSqlite(): Promise<OpenDatabase> {
  const require = createRequire(import.meta.url);
  let addon: object | null = null;
  try {
    const root = dirname(require.resolve('better-sqlite3/package.json'));
    addon = require(join(root, 'build', 'Release', 'better_sqlite3.node')) as object;
  } catch {
    addon = null;
  }
  if (!addon) {
    const Package = require('better-sqlite3') as typeof BetterSqlite3;
    return (file, options) => new Package(file, options);
  }
  const { default: Bundled } = await import('better-sqlite3');
  // Typed as a path; lib/database.js takes the loaded addon as well.
  const nativeBinding = addon as unknown as string;
  return (file, options) => new Bundled(file, { ...options, nativeBinding });
}
