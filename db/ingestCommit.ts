import type { Reading } from '../core/reading.js';
import type { Db } from './pool.js';
import { ReadingsRepository, type InsertResult } from './readingsRepository.js';
import { RejectsRepository, type Reject } from './rejectsRepository.js';

/**
 * Commits one ingest batch: its readings and its rejects in one transaction, so a batch is stored
 * whole or not at all and a retry never half-duplicates it. A batch without rejects (the usual
 * case) is a single auto-committed statement.
 */
export async function commitIngestBatch(db: Db, readings: Reading[], rejects: Reject[]): Promise<InsertResult> {
  if (rejects.length === 0) return new ReadingsRepository(db).insertBatch(readings);
  return db.transaction(async (client) => {
    const result = await new ReadingsRepository(client).insertBatch(readings);
    await new RejectsRepository(client).insertMany(rejects);
    return result;
  });
}
