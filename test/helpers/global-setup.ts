import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { withDatabaseName } from '../../src/server/platform/db';
import { type EmbeddedServer, startEmbeddedPostgres } from '../../src/server/platform/embedded-postgres';
import { migrate } from '../../src/server/platform/migrate';
import { ensureWebBuild } from '../../src/web/build';
import { freePort } from './free-port';
import { unsupportedNodeReason } from './node-support';

// One PostgreSQL for the whole run (embedded by default, TEST_DATABASE_URL otherwise) holding a
// migrated template; every test file clones its own database from it.
let server: EmbeddedServer | undefined;
let dataDir: string | undefined;

export default async function setup(project: TestProject) {
  const unsupported = unsupportedNodeReason(process.version, process.features.require_module);
  if (unsupported) throw new Error(unsupported);
  let adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    dataDir = await mkdtemp(join(tmpdir(), 'onbehalf-test-pg-'));
    await chmod(dataDir, 0o755);
    server = await startEmbeddedPostgres(join(dataDir, 'data'), await freePort());
    adminUrl = server.url;
  }
  const template = `onbehalf_template_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${template}`);
  await admin.query(`create database ${template}`);
  await migrate(withDatabaseName(adminUrl, template));
  await admin.end();
  // The web pages, built once per change of their sources (browser tests and `npm start` serve them).
  const web = await ensureWebBuild();
  project.provide('webDir', web.dir);
  project.provide('adminDatabaseUrl', adminUrl);
  project.provide('templateDatabase', template);

  return async () => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    await client.query(`drop database if exists ${template}`);
    await client.end();
    await server?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    adminDatabaseUrl: string;
    templateDatabase: string;
    webDir: string;
  }
}
