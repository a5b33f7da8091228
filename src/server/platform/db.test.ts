import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../../../test/helpers/database';
import { openDatabase } from './db';

const { url } = await testDatabase();

// One connection each, so the second query runs where the first was prepared.
const prepared = openDatabase(url, 1);
const unprepared = openDatabase(url, 1, { prepare: false });
afterAll(async () => {
  await prepared.close();
  await unprepared.close();
});

const TEXT = 'select $1::bigint + 1 as the_answer';
const isPrepared = async (db: typeof prepared.db) =>
  (
    await sql<{
      n: number;
    }>`select count(*)::int as n from pg_prepared_statements where statement = ${TEXT}`.execute(db)
  ).rows[0]!.n === 1;

describe('prepared statements', () => {
  it('parse a parameterised query once per connection and give the same rows', async () => {
    for (const db of [prepared.db, unprepared.db]) {
      for (const n of [41, 42]) {
        const r = await sql<{ the_answer: bigint }>`select ${n}::bigint + 1 as the_answer`.execute(db);
        expect(r.rows).toEqual([{ the_answer: BigInt(n + 1) }]);
      }
    }
    expect(await isPrepared(prepared.db)).toBe(true);
    expect(await isPrepared(unprepared.db)).toBe(false);
  });

  it('leave a failed statement unprepared, so the corrected table is parsed afresh', async () => {
    const insert = () => sql`insert into later_table (the_answer) values (${42})`.execute(prepared.db);
    await expect(insert()).rejects.toThrow(/later_table/);
    await sql`create table later_table (the_answer integer)`.execute(prepared.db);
    await insert();
    expect(
      (await sql<{ n: number }>`select count(*)::int as n from later_table`.execute(prepared.db)).rows,
    ).toEqual([{ n: 1 }]);
  });
});
