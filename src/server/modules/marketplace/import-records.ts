// Bulk import of NDJSON records (one record per line), in chunks applied by applyRecords.
// Memory stays bounded by the chunk size times the concurrency; accepted records are kept,
// rejected lines change nothing and are reported with their line number and reasons.
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { Db } from '../../platform/db';
import type { ErrorDetail } from '../../platform/errors';
import { findInvalidText } from '../../platform/validation';
import { type ApplyResult, applyRecords, parseRecords } from './apply-records';

export type RejectedLine = { line: number; errors: ErrorDetail[] };
export type ImportProgress = { lines: number; accepted: number; rejected: number; elapsedMs: number };
export type ImportSummary = ImportProgress & { created: number; updated: number; recordsPerSecond: number };

export type ImportOptions = {
  chunkSize?: number;
  /** Chunks applied at once, each in its own transaction on its own connection. */
  concurrency?: number;
  onProgress?: (p: ImportProgress) => void;
  onRejected?: (r: RejectedLine) => void;
};

type Chunk = { records: unknown[]; lineNos: number[] };

export async function importRecords(
  db: Db,
  input: Readable,
  options: ImportOptions = {},
): Promise<ImportSummary> {
  const chunkSize = options.chunkSize ?? 2000;
  const concurrency = options.concurrency ?? 2;
  const started = Date.now();
  const totals = { lines: 0, accepted: 0, rejected: 0, created: 0, updated: 0 };
  const reject = (r: RejectedLine) => {
    totals.rejected++;
    options.onRejected?.(r);
  };
  const settle = (chunk: Chunk, result: ApplyResult) => {
    totals.accepted += result.accepted;
    totals.created += result.created;
    totals.updated += result.updated;
    for (const r of result.rejected) reject({ line: chunk.lineNos[r.index]!, errors: r.errors });
    options.onProgress?.({ ...totals, elapsedMs: Date.now() - started });
  };

  // Chunks run concurrently, so a record may miss an entity that an earlier, still-open chunk
  // creates. Such records are applied again once every earlier chunk has committed; only then is
  // an unknown reference final.
  let earlierCommitted: Promise<void> = Promise.resolve();
  const running = new Set<Promise<void>>();
  const submit = (chunk: Chunk) => {
    const previous = earlierCommitted;
    const first = applyChunk(db, chunk);
    const finished = (async () => {
      const result = await first;
      await previous;
      const retry = result.rejected.filter((r) => r.errors.every((e) => e.code === 'unknown_reference'));
      if (retry.length > 0) {
        const again: Chunk = {
          records: retry.map((r) => chunk.records[r.index]),
          lineNos: retry.map((r) => chunk.lineNos[r.index]!),
        };
        const second = await applyChunk(db, again);
        const retried = new Set(retry.map((r) => r.index));
        settle(chunk, {
          ...result,
          accepted: result.accepted,
          rejected: result.rejected.filter((r) => !retried.has(r.index)),
        });
        settle(again, second);
      } else settle(chunk, result);
    })();
    earlierCommitted = finished;
    const tracked = finished.finally(() => running.delete(tracked));
    running.add(tracked);
  };

  let chunk: Chunk = { records: [], lineNos: [] };
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  for await (const text of lines) {
    totals.lines++;
    if (text.trim() === '') continue;
    try {
      const record: unknown = JSON.parse(text);
      const invalidText = findInvalidText(record);
      if (invalidText) {
        reject({ line: totals.lines, errors: [invalidText] });
        continue;
      }
      chunk.records.push(record);
      chunk.lineNos.push(totals.lines);
    } catch (error) {
      reject({
        line: totals.lines,
        errors: [{ path: '', code: 'malformed_json', message: (error as Error).message }],
      });
      continue;
    }
    if (chunk.records.length >= chunkSize) {
      if (running.size >= concurrency) await Promise.race(running);
      submit(chunk);
      chunk = { records: [], lineNos: [] };
    }
  }
  if (chunk.records.length > 0) submit(chunk);
  await earlierCommitted;
  await Promise.all(running);
  const elapsedMs = Date.now() - started;
  const records = totals.accepted + totals.rejected;
  return { ...totals, elapsedMs, recordsPerSecond: Math.round((records * 1000) / Math.max(elapsedMs, 1)) };
}

/** Applies a chunk in one transaction; if the database refuses it, one record at a time to isolate the culprit. */
async function applyChunk(db: Db, chunk: Chunk): Promise<ApplyResult> {
  try {
    const parsed = parseRecords(chunk.records);
    return await db.transaction().execute((tx) => applyRecords(tx, parsed));
  } catch {
    const result: ApplyResult = { accepted: 0, created: 0, updated: 0, rejected: [] };
    for (const [index, record] of chunk.records.entries()) {
      try {
        const one = await db.transaction().execute((tx) => applyRecords(tx, [record]));
        result.accepted += one.accepted;
        result.created += one.created;
        result.updated += one.updated;
        for (const r of one.rejected) result.rejected.push({ index, errors: r.errors });
      } catch (error) {
        result.rejected.push({
          index,
          errors: [{ path: '', code: 'database_rejected', message: (error as Error).message }],
        });
      }
    }
    return result;
  }
}
