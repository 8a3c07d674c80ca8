import type { Workspace } from '../lib/workspace.js';
import { indexLocation, openDb, removeDb, type Db, type IndexLocation } from './db.js';
import { refreshIndex, type RefreshResult } from './refresh.js';

export interface OpenIndex {
  db: Db;
  location: IndexLocation;
  refresh: RefreshResult;
}

/** Opens the workspace's index and brings it up to date (see refresh.ts for the two modes). */
export async function openIndex(ws: Workspace, mode: 'quick' | 'full' = 'full'): Promise<OpenIndex> {
  const location = indexLocation(ws);
  const db = await openDb(location.dbFile);
  try {
    const refresh = refreshIndex(db, location.stores, mode);
    return { db, location, refresh };
  } catch (error) {
    db.close();
    throw error;
  }
}

/** Deletes the index and builds it again from the learning files and the ledger. */
export async function rebuildIndex(ws: Workspace): Promise<OpenIndex> {
  removeDb(indexLocation(ws).dbFile);
  return openIndex(ws, 'full');
}
