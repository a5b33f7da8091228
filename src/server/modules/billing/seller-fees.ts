// What a seller sees of its fees (F4): the band of this month and the fee so far, where the band fixed
// on the next 1st is heading and how far the neighbouring bands are, each month's charge explained, and
// the contacts counted — the same rules as the monthly run (a test holds them equal).
import type { Db } from '../../platform/db';
import { notFound } from '../../platform/errors';
import {
  bandsOf,
  chargesOf,
  contactsOf,
  enrolmentPeriods,
  figuresOf,
  marketplaceFacts,
  policiesOfMonth,
} from './billing.repository';
import {
  addMonths,
  bandWindow,
  contactCount,
  decideFee,
  distanceToBands,
  type Month,
  monthOf,
  monthStart,
  unitCoverage,
} from './fee-rules';
import { explanationOf, feeOf } from './monthly-run';

async function facts(db: Db, marketplaceId: string) {
  const m = await marketplaceFacts(db, marketplaceId);
  if (!m) throw notFound('Marketplace');
  return m;
}

export async function feesNow(db: Db, sellerId: string, marketplaceId: string, now: Date) {
  const m = await facts(db, marketplaceId);
  const month = monthOf(now, m.timeZone);
  const next = addMonths(month, 1);
  const current = await policiesOfMonth(db, m, month);
  const coming = await policiesOfMonth(db, m, next);
  const soFar = (await figuresOf(db, m, month, { sellerId, until: now }))[0];
  const fixed = (await bandsOf(db, m.id, month, sellerId)).get(sellerId);
  const decision =
    fixed?.decision ??
    (soFar && current.schedule ? decideFee(month, current.schedule, current.discount, soFar.window) : null);
  const fee = decision && soFar ? feeOf(month, m.currency, decision, soFar.month) : null;
  // The window that fixes next month's band: the two months before this one and this one so far.
  const heading = (await figuresOf(db, m, next, { sellerId, until: monthStart(next, m.timeZone) }))[0];
  const headingDecision =
    heading && coming.schedule
      ? decideFee(next, coming.schedule, coming.discount, { ...heading.window })
      : null;
  return {
    marketplace: m.id,
    currency: m.currency,
    month,
    band: decision && fee && { fixed: fixed !== undefined, ...explanationOf(fee) },
    nextMonth: headingDecision && {
      month: next,
      window: bandWindow(next),
      windowSoFar: heading!.window,
      contactsPerUnitBp: headingDecision.band.cpuBp,
      band: headingDecision.band.band,
      rate: Number(headingDecision.band.rate),
      validTrackingRateBp: headingDecision.tracking.rateBp,
      trackingTargetMet: headingDecision.tracking.targetMet,
      discountPercent: headingDecision.discount.percentOff,
      discountReason: headingDecision.discount.reason,
      distance: distanceToBands(coming.schedule!, heading!.window),
      scheduleVersion: coming.schedule!.version,
    },
  };
}

export async function feeMonths(db: Db, sellerId: string, marketplaceId: string) {
  const m = await facts(db, marketplaceId);
  const charges = await chargesOf(db, { sellerId, marketplaceId: m.id });
  return charges.map((c) => ({
    month: c.month,
    currency: c.currency,
    chargedAt: c.charged_at.toISOString(),
    amount: Number(c.amount),
    credited: Number(c.credited),
    net: Number(c.amount - c.credited),
    explanation: c.explanation,
  }));
}

/** The contacts counted in a month's band window (default: the window heading for next month's band). */
export async function countedContacts(
  db: Db,
  sellerId: string,
  marketplaceId: string,
  now: Date,
  month?: Month,
) {
  const m = await facts(db, marketplaceId);
  const band = month ?? addMonths(monthOf(now, m.timeZone), 1);
  const w = bandWindow(band);
  const from = monthStart(w.from, m.timeZone);
  const to = monthStart(band, m.timeZone);
  const periods = await enrolmentPeriods(db, sellerId, m.id);
  const rows = await contactsOf(db, sellerId, m.id, from, to < now ? to : now);
  return {
    band: band,
    window: w,
    contacts: rows
      .map((c) => ({
        c,
        count: contactCount({
          handler: c.handler,
          routingReason: c.routing_reason,
          topic: c.topic,
          fulfilmentChannel: c.fulfilment_channel,
          coveredAt: unitCoverage(periods, c.received_at).covered,
          contestAccepted: c.contest_status === 'accepted',
        }),
      }))
      .filter((x) => x.count.counted || x.count.reason === 'contest_accepted')
      .map(({ c, count }) => ({
        contactId: c.id,
        receivedAt: c.received_at.toISOString(),
        order: c.order_external_id,
        caseNumber: c.case_number,
        channel: c.channel,
        topic: c.topic,
        reason: c.routing_reason,
        counted: count.counted,
        contest: c.contest_id ? { id: c.contest_id, status: c.contest_status } : null,
      })),
  };
}
