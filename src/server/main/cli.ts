// `onbehalf <command>`: the platform's command line.
import { createReadStream, createWriteStream } from 'node:fs';
import { parseArgs } from 'node:util';
import { importRecords, simulate } from '../modules/marketplace';
import { loadConfig } from '../platform/config';
import { openDatabase } from '../platform/db';
import { createLogger } from '../platform/log';
import { migrate } from '../platform/migrate';
import { openRuntimeDatabase } from '../platform/runtime-database';
import { botCommand } from './bot-cli';
import { chatCommand, signBuyerToken } from './chat-cli';
import { feesCommand } from './fees-cli';

const USAGE = `usage: onbehalf <command>

  simulate --orders N [--seed S] [--until ISO-DATE]   write simulated marketplace records as NDJSON to stdout
  import FILE.ndjson [--report REJECTS.ndjson]        import records (progress on stderr, summary at the end)
  migrate                                            apply database migrations
  buyer-token BUYER_EXTERNAL_ID [--ttl SECONDS]      sign a short-lived buyer token (as the operator's site would)
  chat --marketplace IT --buyer B… [--language it] [--url URL]   the buyer chat in a terminal: stdin lines (#ID presses a button) → one JSON line per message seen
  fees run --month YYYY-MM [--marketplace IT] [--dry-run]   charge each seller's managed-service fee for a month, once (dry: show it)
  fees revise --month YYYY-MM [--marketplace IT]           judge a charged month again after late data; credit or charge the difference once
  bot classify [--marketplace IT] [--now ISO]         one message per stdin line → one JSON line (lang, intent, confidence, confident, alternatives, entities)
  bot eval --data FILE.csv                           accuracy, macro-F1, per-intent precision/recall, confusions, by language and flag
  bot cv [--folds 5] [--repeats N] [--errors]        cross-validated accuracy on the project's own corpus
  bot cv --curve [--folds 5]                        the same with a quarter … all of the training folds, and the power law through them
  bot calibrate                                      refit the bot's temperature and threshold per language on the corpus's folds
  bot review [list | accept ID --intent I | reject ID]  the messages of cases people settled, to teach the bot
`;

const [command, ...rest] = process.argv.slice(2);
const config = loadConfig();

async function withDatabase<T>(fn: (url: string) => Promise<T>): Promise<T> {
  const runtime = await openRuntimeDatabase(config, createLogger('warn'));
  try {
    await migrate(runtime.url);
    return await fn(runtime.url);
  } finally {
    await runtime.stop();
  }
}

async function main(): Promise<number> {
  switch (command) {
    case 'simulate': {
      const { values } = parseArgs({
        args: rest,
        options: {
          orders: { type: 'string' },
          seed: { type: 'string', default: '1' },
          until: { type: 'string' },
        },
      });
      const orders = Number(values.orders);
      if (!Number.isInteger(orders) || orders < 0) throw new Error('--orders must be a whole number');
      const until = values.until ? new Date(values.until) : undefined;
      if (until && Number.isNaN(until.getTime())) throw new Error('--until must be an ISO date');
      let buffer = '';
      for (const record of simulate({ orders, seed: Number(values.seed), until })) {
        buffer += `${JSON.stringify(record)}\n`;
        if (buffer.length > 1 << 16) {
          if (!process.stdout.write(buffer)) await new Promise((r) => process.stdout.once('drain', r));
          buffer = '';
        }
      }
      process.stdout.write(buffer);
      return 0;
    }
    case 'import': {
      const { values, positionals } = parseArgs({
        args: rest,
        allowPositionals: true,
        options: { report: { type: 'string' } },
      });
      const file = positionals[0];
      if (!file) throw new Error('name the NDJSON file to import');
      const reportPath = values.report ?? `${file}.rejected.ndjson`;
      const report = createWriteStream(reportPath);
      const summary = await withDatabase(async (url) => {
        const database = openDatabase(url, 4);
        try {
          return await importRecords(database.db, createReadStream(file), {
            onProgress: (p) =>
              progress(
                `${p.lines} lines  ${Math.round((p.accepted + p.rejected) / (p.elapsedMs / 1000))} records/s  ${p.accepted} accepted  ${p.rejected} rejected`,
              ),
            onRejected: (r) => report.write(`${JSON.stringify(r)}\n`),
          });
        } finally {
          await database.close();
        }
      });
      await new Promise<void>((r) => report.end(() => r()));
      process.stderr.write('\n');
      process.stdout.write(
        `${JSON.stringify({ ...summary, report: summary.rejected > 0 ? reportPath : null }, null, 2)}\n`,
      );
      return summary.rejected > 0 ? 2 : 0;
    }
    case 'migrate': {
      const result = await withDatabase((url) => migrate(url));
      process.stdout.write(`applied: ${result.applied.join(', ') || 'nothing new'}\n`);
      return 0;
    }
    case 'buyer-token': {
      const { values, positionals } = parseArgs({
        args: rest,
        allowPositionals: true,
        options: { ttl: { type: 'string', default: '600' } },
      });
      const buyer = positionals[0];
      if (!buyer) throw new Error('name the buyer external id');
      process.stdout.write(`${await signBuyerToken(config, buyer, Number(values.ttl))}\n`);
      return 0;
    }
    case 'bot':
      return botCommand(rest);
    case 'chat':
      return chatCommand(rest, config);
    case 'fees':
      return withDatabase(async (url) => {
        const database = openDatabase(url, 2);
        try {
          return await feesCommand(rest, database.db);
        } finally {
          await database.close();
        }
      });
    default:
      process.stderr.write(USAGE);
      return command ? 1 : 0;
  }
}

let lastProgress = 0;
function progress(text: string) {
  const now = Date.now();
  if (process.stderr.isTTY) process.stderr.write(`\r\x1b[K${text}`);
  else if (now - lastProgress > 5000) process.stderr.write(`${text}\n`);
  else return;
  lastProgress = now;
}

main().then(
  // Exit once stdout is written out: a pipe takes it asynchronously, and exiting at once would cut it.
  (code) => process.stdout.write('', () => process.exit(code)),
  (error) => {
    process.stderr.write(`onbehalf ${command}: ${(error as Error).message}\n`);
    process.exit(1);
  },
);
