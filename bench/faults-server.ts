// The server the fault script kills: the real app, timer sweeper and webhook deliverer of `npm start`
// on DATABASE_URL, without the web build, the bot's training and inbound e-mail (not under test).
// One extra timer kind, `fault_probe`, records each firing in fault_probe_fired (a table of the script).
import { sql } from 'kysely';
import { buildApp } from '../src/server/main/app';
import { timerHandlers } from '../src/server/main/timer-handlers';
import { startWebhookDeliverer } from '../src/server/modules/notifications';
import { loadConfig } from '../src/server/platform/config';
import { openDatabase } from '../src/server/platform/db';
import { createLogger } from '../src/server/platform/log';
import { createMailer } from '../src/server/platform/mail';
import { startTimerSweeper } from '../src/server/platform/timers';

const config = loadConfig();
const url = config.databaseUrl!;
const log = createLogger(config.logLevel);
const database = openDatabase(url, 10);
const app = await buildApp(config, database.db, log, { databaseUrl: url });
await app.listen({ host: '127.0.0.1', port: config.port });
const handlers = {
  ...timerHandlers(config, createMailer({ smtpUrl: undefined, outboxDir: config.outboxDir })),
  fault_probe: async (tx: typeof database.db, payload: Record<string, unknown>) => {
    await sql`insert into fault_probe_fired (ref, fired_at) values (${String(payload.ref)}, now())`.execute(
      tx,
    );
  },
};
startTimerSweeper(database.db, handlers, log, 200);
startWebhookDeliverer(database.db, log, { allowPrivate: true }, 200);
process.stdout.write('ready\n');
