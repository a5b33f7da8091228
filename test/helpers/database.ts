import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, inject } from 'vitest';
import { type Database, openDatabase, withDatabaseName } from '../../src/server/platform/db';

/** A fresh database for this test file, cloned from the migrated template; dropped afterwards. */
export async function testDatabase(): Promise<Database & { url: string }> {
  const adminUrl = inject('adminDatabaseUrl');
  const name = `onbehalf_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(adminUrl, `create database ${name} template ${inject('templateDatabase')}`);
  const url = withDatabaseName(adminUrl, name);
  const database = openDatabase(url);
  afterAll(async () => {
    await database.close();
    await adminQuery(adminUrl, `drop database if exists ${name} with (force)`);
  });
  return { ...database, url };
}

async function adminQuery(url: string, text: string): Promise<void> {
  // Cloning the template fails while another clone is being made; retry briefly.
  for (let attempt = 0; ; attempt++) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(text);
      return;
    } catch (error) {
      if (attempt >= 20 || !/being accessed by other users/.test((error as Error).message)) throw error;
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
    } finally {
      await client.end();
    }
  }
}
