// `npm start`: the database (embedded unless DATABASE_URL), migrations, the demo, then HTTP.

import { ensureWebBuild } from '../../web/build';
import { chatAssistant } from '../modules/assistant';
import { acceptedExamples, buildBotModel, loadCorpus } from '../modules/bot';
import { startInboundSmtp } from '../modules/email';
import { startWebhookDeliverer } from '../modules/notifications';
import { loadConfig } from '../platform/config';
import { openDatabase } from '../platform/db';
import { createLogger } from '../platform/log';
import { createMailer } from '../platform/mail';
import { migrate } from '../platform/migrate';
import { openRuntimeDatabase } from '../platform/runtime-database';
import { scheduleTimer, startTimerSweeper } from '../platform/timers';
import { buildApp } from './app';
import { DEMO_API_KEY, DEMO_PASSWORD, listDemoLogins, loadDemo } from './demo';
import { loadFeesDemo } from './demo-fees';
import { loadDemoContactChannels } from './demo-shop';
import { loadDemoWork } from './demo-work';
import { timerHandlers } from './timer-handlers';

// What happened and what to do, not a stack trace: this is the first thing a new user sees.
function stopWith(what: string) {
  return (error: Error): never => {
    process.stderr.write(`onbehalf: ${what}. ${error.message}\n`);
    process.exit(1);
  };
}

const config = await Promise.resolve()
  .then(() => loadConfig())
  .catch(stopWith('the configuration is not valid'));
const log = createLogger(config.logLevel);

const runtime = await openRuntimeDatabase(config, log).catch(stopWith('the database did not start'));
const migrations = await migrate(runtime.url).catch(
  stopWith(`the database did not answer (check DATABASE_URL, or unset it to use the embedded one)`),
);
log.info({ applied: migrations.applied }, 'migrations up to date');
const database = openDatabase(runtime.url, 10, { prepare: config.preparedStatements });
if (config.loadDemo) {
  const demo = await loadDemo(database.db);
  // Sellers in every fee band with last month charged and explained (its own marker).
  await loadFeesDemo(database.db);
  // Phone, hours and the demo shop's origin for the widget, where the operator has set none.
  await loadDemoContactChannels(database.db, config.publicUrl);
  log.info(
    { loaded: demo.loaded },
    demo.loaded ? 'demo marketplace loaded' : 'demo marketplace already present',
  );
}
// Training blocks the event loop for a few seconds: do it before listening, so that the first
// requests are not left waiting behind it.
// The corpus, and the messages reviewers accepted from cases people settled (`onbehalf bot review`).
const bot = buildBotModel([...loadCorpus(), ...(await acceptedExamples(database.db))]);
log.info({ ms: bot.trainedInMs, examples: bot.examples }, 'bot language model built');
// The web pages are built here when missing or older than their sources: no step for a user to know.
const web = await ensureWebBuild({ log: (message) => log.info(message) }).catch(
  stopWith('the web pages could not be built'),
);
if (web.built) log.info({ ms: web.ms }, 'web pages built');
const app = await buildApp(
  config,
  database.db,
  log,
  { databaseUrl: runtime.url, bot: chatAssistant(bot) },
  { dir: web.dir },
);
if (config.loadDemo) {
  // Open cases, a case-log question, an approval, an escalation and a claim, made once through the API.
  await loadDemoWork(app, database.db).then(
    (loaded) => loaded && log.info('demo work loaded: cases in every queue'),
    (error: Error) => log.warn({ error: error.message }, 'the demo work could not be loaded'),
  );
}
await app
  .listen({ host: config.host, port: config.port })
  .catch(stopWith(`could not listen on ${config.host}:${config.port} (set PORT or HOST)`));
const mailer = createMailer({ smtpUrl: config.smtpUrl, outboxDir: config.outboxDir });
// The periodic scan for returns received at sellers' warehouses re-arms itself; start it now.
await scheduleTimer(database.db, 'scan_received_returns', 'all', new Date());
// The monthly fee run catches up any month due, then re-arms itself for the next 1st.
await scheduleTimer(database.db, 'fee_runs', 'monthly', new Date());
const sweeper = startTimerSweeper(database.db, timerHandlers(config, mailer), log);
const deliverer = startWebhookDeliverer(database.db, log, {
  allowPrivate: config.webhookAllowPrivateTargets,
});
const smtp = await startInboundSmtp(
  database.db,
  {
    domain: config.mailDomain,
    replyTokenSecret: config.replyTokenSecret,
    bot,
    maxAttachmentBytes: 5 * 1024 * 1024,
    maxAttachments: 10,
  },
  { host: config.smtpInboundHost, port: config.smtpInboundPort, maxMessageBytes: config.smtpMaxMessageBytes },
  log,
);

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'shutting down');
  await app.close();
  await smtp.close();
  await sweeper.stop();
  await deliverer.stop();
  await database.close();
  await runtime.stop();
  process.exit(0);
}
process.once('SIGINT', () => void shutdown('SIGINT'));
process.once('SIGTERM', () => void shutdown('SIGTERM'));
// npm passes no signal on: a SIGTERM sent to `npm start` alone (a container's stop, a supervisor) ends
// npm and leaves this process and PostgreSQL running without a parent. Seeing the parent gone, stop
// cleanly rather than be killed later with the database mid-write.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) void shutdown('parent exited');
}, 1000).unref();

const logins = config.loadDemo ? await listDemoLogins(database.db) : [];
const lines = [
  '',
  `Onbehalf is running at ${config.publicUrl}`,
  `  Sign in            ${config.publicUrl}/signin`,
  `  Contact Us (buyer) ${config.publicUrl}/help/IT`,
  ...(config.loadDemo ? [`  Widget on a shop   ${config.publicUrl}/demo/shop/IT (also ES, FR, DE, US)`] : []),
  `  API documentation  ${config.publicUrl}/docs`,
  `  Health             ${config.publicUrl}/health`,
  `  Inbound e-mail     smtp://${config.smtpInboundHost}:${smtp.port} — buyers write to support-it@${config.mailDomain} (us, it, es, fr, de)`,
  `  Outbound e-mail    ${config.smtpUrl ? 'SMTP_URL' : `.eml files in ${config.outboxDir}`}`,
  `  Database           ${runtime.embedded ? `embedded PostgreSQL in ${runtime.clusterDir} (port ${config.embeddedPgPort})` : 'DATABASE_URL'}`,
  ...(logins.length
    ? [
        '',
        `Demo logins (password "${DEMO_PASSWORD}", at ${config.publicUrl}/signin or POST /api/v1/auth/login):`,
        ...logins.map((l) => `  ${l.role.padEnd(16)} ${l.email.padEnd(34)} ${l.note}`),
        '',
        `Demo integration API key: ${DEMO_API_KEY}`,
        // The demo buyer's own token (the one the demo shop signs): its orders are the chat's flows.
        `Buyer token for the operator site: npm run onbehalf -- buyer-token ${logins.find((l) => l.email === 'buyer@demo.onbehalf.test')?.buyer ?? 'B-IT-0000011'}`,
      ]
    : []),
  '',
];
process.stdout.write(`${lines.join('\n')}\n`);
