// For the monthly-run test only: runs a marketplace-month one seller per transaction and kills its own
// process (SIGKILL: no cleanup, no rollback handler) right after the first seller's chunk commits.
import { openDatabase } from '../../../platform/db';
import { runFeeMonth } from '../monthly-run';

const [url, marketplaceId, month, now] = process.argv.slice(2) as [string, string, string, string];
const database = openDatabase(url, 2);
await runFeeMonth(database.db, {
  marketplaceId,
  month,
  now: new Date(now),
  chunkSize: 1,
  afterChunk: () => {
    process.kill(process.pid, 'SIGKILL');
  },
});
