// `onbehalf fees run --month YYYY-MM [--marketplace IT] [--dry-run]`: the monthly charge by hand — the
// same run as the timer on the 1st, each seller once per month however often it is run; with --dry-run
// it only says what it would charge. One JSON line per seller, then a summary line per marketplace.
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { isMonth, marketplaceFacts, type RunResult, reviseFeeMonth, runFeeMonth } from '../modules/billing';
import type { Db } from '../platform/db';

const line = (v: unknown) => `${JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? Number(x) : x))}\n`;

export async function feesCommand(args: string[], db: Db, now = new Date()): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'revise') return reviseCommand(rest, db, now);
  if (sub !== 'run')
    throw new Error(
      'usage: onbehalf fees run --month YYYY-MM [--marketplace ID] [--dry-run] | fees revise --month YYYY-MM [--marketplace ID]',
    );
  const { values } = parseArgs({
    args: rest,
    options: {
      month: { type: 'string' },
      marketplace: { type: 'string', multiple: true },
      'dry-run': { type: 'boolean', default: false },
    },
  });
  if (!values.month || !isMonth(values.month)) throw new Error('--month YYYY-MM is required');
  const ids = values.marketplace ?? (await marketplaceIds(db));
  for (const id of ids) if (!(await marketplaceFacts(db, id))) throw new Error(`no marketplace ${id}`);
  for (const id of ids) {
    const r: RunResult = await runFeeMonth(db, {
      marketplaceId: id,
      month: values.month,
      now,
      dryRun: values['dry-run'],
    });
    for (const s of r.sellers)
      process.stdout.write(
        line({
          marketplace: id,
          month: r.month,
          seller: s.sellerId,
          status: s.status,
          amount: s.amount,
          currency: s.currency,
          units: s.units,
          band: s.decision.band.band,
          contactsPerUnitBp: s.decision.band.cpuBp,
          validTrackingRateBp: s.decision.tracking.rateBp,
          discountPercent: s.percentOff,
          discountReason: s.decision.discount.reason,
          scheduleVersion: s.decision.schedule.version,
        }),
      );
    process.stdout.write(
      line({
        summary: true,
        marketplace: id,
        month: r.month,
        dryRun: values['dry-run'],
        sellers: r.sellers.length,
        charged: r.charged,
        alreadyCharged: r.alreadyCharged,
        total: values['dry-run']
          ? r.sellers.reduce((t, s) => t + (s.status === 'would_charge' ? s.amount : 0n), 0n)
          : r.total,
        currency: r.currency,
        scheduleVersion: r.scheduleVersion,
        discountVersion: r.discountVersion,
      }),
    );
  }
  return 0;
}

/** `fees revise`: a charged month judged again on today's figures (late data), the differences posted once. */
async function reviseCommand(args: string[], db: Db, now: Date): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { month: { type: 'string' }, marketplace: { type: 'string', multiple: true } },
  });
  if (!values.month || !isMonth(values.month)) throw new Error('--month YYYY-MM is required');
  const ids = values.marketplace ?? (await marketplaceIds(db));
  for (const id of ids) if (!(await marketplaceFacts(db, id))) throw new Error(`no marketplace ${id}`);
  for (const id of ids) {
    const r = await reviseFeeMonth(db, { marketplaceId: id, month: values.month, now });
    for (const s of r.revised)
      process.stdout.write(line({ marketplace: id, month: r.month, ...s, currency: r.currency }));
    process.stdout.write(
      line({
        summary: true,
        marketplace: id,
        month: r.month,
        revised: r.revised.length,
        total: r.total,
        currency: r.currency,
      }),
    );
  }
  return 0;
}

async function marketplaceIds(db: Db): Promise<string[]> {
  return (await sql<{ id: string }>`select id from marketplace order by id`.execute(db)).rows.map(
    (r) => r.id,
  );
}
