// Bulk import of NDJSON records (one record per line), in chunks applied by applyRecords.
// Memory stays bounded by the chunk size; accepted records are kept, rejected lines change nothing
// and are reported with their line number and reasons.
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { Db } from '../../platform/db';
import type { ErrorDetail } from '../../platform/errors';
import { applyRecords, parseRecords } from './apply-records';

export type RejectedLine = { line: number; errors: ErrorDetail[] };
export type ImportProgress = { lines: number; accepted: number; rejected: number; elapsedMs: number };
export type ImportSummary = ImportProgress & { created: number; updated: number; recordsPerSecond: number };

export type ImportOptions = {
  chunkSize?: number;
  onProgress?: (p: ImportProgress) => void;
  onRejected?: (r: RejectedLine) => void;
};

type Chunk = { firstLine: number; records: unknown[]; lineNos: number[] };

export async function importRecords(
  db: Db,
  input: Readable,
  options: ImportOptions = {},
): Promise<ImportSummary> {
  const chunkSize = options.chunkSize ?? 2000;
  const started = Date.now();
  const totals = { lines: 0, accepted: 0, rejected: 0, created: 0, updated: 0 };
  const reject = (r: RejectedLine) => {
    totals.rejected++;
    options.onRejected?.(r);
  };

  const applyChunk = async (chunk: Chunk) => {
    let result: Awaited<ReturnType<typeof applyRecords>>;
    try {
      const parsed = parseRecords(chunk.records);
      result = await db.transaction().execute((tx) => applyRecords(tx, parsed));
    } catch {
      // A database constraint the checks did not foresee: isolate the culprit by applying one at a time.
      result = { accepted: 0, created: 0, updated: 0, rejected: [] };
      for (const [i, record] of chunk.records.entries()) {
        try {
          const one = await db.transaction().execute((tx) => applyRecords(tx, [record]));
          result.accepted += one.accepted;
          result.created += one.created;
          result.updated += one.updated;
          for (const r of one.rejected) result.rejected.push({ index: i, errors: r.errors });
        } catch (error) {
          result.rejected.push({
            index: i,
            errors: [{ path: '', code: 'database_rejected', message: (error as Error).message }],
          });
        }
      }
    }
    totals.accepted += result.accepted;
    totals.created += result.created;
    totals.updated += result.updated;
    for (const r of result.rejected) reject({ line: chunk.lineNos[r.index]!, errors: r.errors });
    options.onProgress?.({ ...totals, elapsedMs: Date.now() - started });
  };

  // Chunks are applied one after another (a record may refer to one in an earlier chunk), while
  // the next chunk is read and parsed as PostgreSQL works on the current one.
  let applying: Promise<void> = Promise.resolve();
  const submit = async (chunk: Chunk) => {
    await applying;
    applying = applyChunk(chunk);
  };

  let chunk: Chunk = { firstLine: 1, records: [], lineNos: [] };
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  for await (const text of lines) {
    totals.lines++;
    if (text.trim() === '') continue;
    try {
      chunk.records.push(JSON.parse(text));
      chunk.lineNos.push(totals.lines);
    } catch (error) {
      reject({
        line: totals.lines,
        errors: [{ path: '', code: 'malformed_json', message: (error as Error).message }],
      });
      continue;
    }
    if (chunk.records.length >= chunkSize) {
      await submit(chunk);
      chunk = { firstLine: totals.lines + 1, records: [], lineNos: [] };
    }
  }
  if (chunk.records.length > 0) await submit(chunk);
  await applying;
  const elapsedMs = Date.now() - started;
  const records = totals.accepted + totals.rejected;
  return { ...totals, elapsedMs, recordsPerSecond: Math.round((records * 1000) / Math.max(elapsedMs, 1)) };
}
