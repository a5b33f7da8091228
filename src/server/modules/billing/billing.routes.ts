// HTTP edges of billing: the seller's fees, contacts counted and contests; staff decisions; seller
// support; fee schedules and tracking discounts edited by admins; policy simulation. A seller reads only
// its own figures (any other seller's reference is not found); buyers are refused.
import { z } from 'zod';
import { policySimulationBody } from '../../../contracts/billing-simulation';
import { localDate } from '../../../contracts/common';
import { zonedInstant } from '../../platform/business-calendar';
import type { Db } from '../../platform/db';
import { AppError, notFound } from '../../platform/errors';
import { type Principal, STAFF, scopeOf, sellerIdOf, userIdOf } from '../../platform/http/access';
import { errorResponses } from '../../platform/http/schemas';
import type { App } from '../../platform/http/server';
import { minorUnits } from '../../platform/money';
import { sellerIdInScope, sellerNames } from '../marketplace';
import {
  chargesOf,
  discountVersions,
  insertDiscount,
  insertSchedule,
  marketplaceFacts,
  policiesOfMonth,
  scheduleVersions,
} from './billing.repository';
import { type contestById, contestReasons, contestsOf, decideContest, fileContest } from './contests';
import {
  addMonths,
  type FeeSchedule,
  isMonth,
  monthOf,
  monthStart,
  scheduleProblems,
  type TrackingDiscountPolicy,
} from './fee-rules';
import { dailyMetrics, metricsRegistry } from './operator-metrics';
import { simulatePolicies } from './policy-simulation';
import { productQuestions } from './product-questions';
import { countedContacts, feeMonths, feesNow } from './seller-fees';
import { answerSellerSupport, askSellerSupport, supportRequests, supportSubjects } from './seller-support';
import { simulateSchedule } from './simulation';

const SELLER_OR_STAFF = { roles: ['seller', 'admin', 'supervisor', 'agent'] as const };
const SELLER = { roles: ['seller'] as const };
const DECIDERS = { roles: ['admin', 'supervisor'] as const };
const ADMIN = { roles: ['admin'] as const };

const month = z.string().refine(isMonth, 'YYYY-MM');
const marketplace = z.string().regex(/^[A-Z]{2,8}$/);
const text = (max: number) => z.string().trim().min(1).max(max);
const sellerParams = z.object({ ref: z.string().min(1).max(128) });
const anything = z.record(z.string(), z.unknown());
const tags = ['fees'];

const rate = z.number().int().min(0).max(1_000_000);
const scheduleBody = z.object({
  effectiveFrom: localDate,
  currency: z.string().regex(/^[A-Z]{3}$/),
  bands: z
    .array(z.object({ upToBp: z.number().int().min(0).max(10_000), rate }))
    .min(1)
    .max(10),
  aboveRate: rate,
  defaultRate: rate,
  defaultUpToUnits: z.number().int().min(0).max(100_000).default(30),
  note: text(500),
});
const discountBody = z.object({
  effectiveFrom: localDate,
  trackingTargetBp: z.number().int().min(0).max(10_000),
  freeCpu: z.object({ bp: z.number().int().min(0).max(10_000), inclusive: z.boolean() }).nullable(),
  freeUnderOrders: z.number().int().min(1).max(100_000).nullable(),
  percentOffByBand: z.record(
    z.string().regex(/^(band_\d{1,2}|above|default)$/),
    z.number().int().min(0).max(100),
  ),
  note: text(500),
});

const scheduleOut = (
  s: FeeSchedule & { note?: string; createdByEmail?: string | null; createdAt?: Date | null },
) => ({
  version: s.version,
  effectiveFrom: s.effectiveFrom.toISOString(),
  currency: s.currency,
  bands: s.bands.map((b) => ({ upToBp: b.upToBp, rate: Number(b.rate) })),
  aboveRate: Number(s.aboveRate),
  defaultRate: Number(s.defaultRate),
  defaultUpToUnits: s.defaultUpToUnits,
  note: s.note ?? '',
  createdBy: s.createdByEmail ?? null,
  createdAt: s.createdAt?.toISOString() ?? null,
});
const discountOut = (
  d: TrackingDiscountPolicy & { note?: string; createdByEmail?: string | null; createdAt?: Date | null },
) => ({
  version: d.version,
  effectiveFrom: d.effectiveFrom.toISOString(),
  trackingTargetBp: d.trackingTargetBp,
  freeCpu: d.freeCpu,
  freeUnderOrders: d.freeUnderOrders,
  percentOffByBand: d.percentOffByBand,
  note: d.note ?? '',
  createdBy: d.createdByEmail ?? null,
  createdAt: d.createdAt?.toISOString() ?? null,
});

const contestOut = (c: NonNullable<Awaited<ReturnType<typeof contestById>>>) => ({
  id: c.id,
  contactId: c.contact_id,
  seller: c.seller_external_id,
  marketplace: c.marketplace_id,
  order: c.order_external_id,
  contactReceivedAt: c.contact_received_at.toISOString(),
  channel: c.contact_channel,
  reason: c.reason,
  comment: c.comment,
  status: c.status,
  filedAt: c.filed_at.toISOString(),
  decidedAt: c.decided_at?.toISOString() ?? null,
  decisionNote: c.decision_note,
});
const supportOut = (r: Awaited<ReturnType<typeof supportRequests>>[number]) => ({
  id: r.id,
  seller: r.seller_external_id,
  marketplace: r.marketplace_id,
  subject: r.subject,
  order: r.order_external_id,
  chargeMonth: r.charge_month,
  question: r.question,
  status: r.status,
  askedAt: r.asked_at.toISOString(),
  answer: r.answer,
  answeredAt: r.answered_at?.toISOString() ?? null,
});

export function billingRoutes(app: App, db: Db, clock: () => Date = () => new Date()) {
  const registry = metricsRegistry(db, clock);
  app.get(
    '/metrics',
    {
      // Prometheus scrapes with an API key (`bearer_token`) of scope integration:read, or an admin session.
      config: { access: { roles: ['admin'], scopes: ['integration:read'] } },
      schema: {
        tags: ['operations'],
        summary: 'Operator metrics in the Prometheus text format (the last 24 hours, backlog now)',
      },
    },
    async (_request, reply) => reply.type(registry.contentType).send(await registry.metrics()),
  );

  app.get(
    '/api/v1/admin/metrics/daily',
    {
      config: { access: STAFF },
      schema: {
        tags: ['operations'],
        summary:
          'Per local day, marketplace, language and channel: contacts per reason, bot containment and hand-off, satisfaction (bot and people apart), first response against the SLA, resolution time',
        querystring: z.object({ from: localDate, to: localDate, marketplace: marketplace.optional() }),
        response: { 200: z.array(anything), ...errorResponses },
      },
    },
    async (request) => {
      const { from, to } = request.query;
      if (from > to)
        throw new AppError('validation_failed', '`from` is after `to`', [
          { path: 'from', code: 'after_to', message: 'from ≤ to' },
        ]);
      // Whole local days: a day's bounds in UTC reach at most 14 hours either side.
      const start = new Date(new Date(`${from}T00:00:00Z`).getTime() - 14 * 3_600_000);
      const end = new Date(new Date(`${to}T00:00:00Z`).getTime() + 38 * 3_600_000);
      if (end.getTime() - start.getTime() > 400 * 86_400_000)
        throw new AppError('validation_failed', 'At most a year at a time', [
          { path: 'to', code: 'too_long', message: '≤ 366 days' },
        ]);
      const rows = await dailyMetrics(db, start, end, request.query.marketplace);
      return rows.filter((r) => r.day >= from && r.day <= to);
    },
  );

  const sellerIdFor = (principal: Principal, ref: string) => sellerIdInScope(db, ref, scopeOf(principal));
  const marketplaceOf = async (id: string) => {
    const m = await marketplaceFacts(db, id);
    if (!m) throw notFound('Marketplace');
    return m;
  };
  /** An effective date is a local day in the marketplace, not before today: the past stays as charged. */
  const effectiveInstant = (day: string, timeZone: string) => {
    const at = zonedInstant(day, '00:00:00', timeZone);
    const today = zonedInstant(
      new Intl.DateTimeFormat('en-CA', { timeZone }).format(clock()),
      '00:00:00',
      timeZone,
    );
    if (at < today)
      throw new AppError('validation_failed', 'A policy cannot take effect in the past', [
        {
          path: 'effectiveFrom',
          code: 'effective_in_past',
          message: 'today or later, in the marketplace’s time zone',
        },
      ]);
    return at;
  };

  app.get(
    '/api/v1/sellers/:ref/fees',
    {
      config: { access: SELLER_OR_STAFF },
      schema: {
        tags,
        summary:
          'The seller’s contacts per unit, valid tracking rate, band and fee this month, and where next month’s band is heading',
        params: sellerParams,
        querystring: z.object({ marketplace }),
        response: { 200: anything, ...errorResponses },
      },
    },
    async (request) => {
      const sellerId = await sellerIdFor(request.principal!, request.params.ref);
      return feesNow(db, sellerId, request.query.marketplace, clock());
    },
  );

  app.get(
    '/api/v1/sellers/:ref/fees/months',
    {
      config: { access: SELLER_OR_STAFF },
      schema: {
        tags,
        summary:
          'Each month charged: units, CPU, band, tracking rate, discount, schedule version, amount and credits',
        params: sellerParams,
        querystring: z.object({ marketplace }),
        response: { 200: z.array(anything), ...errorResponses },
      },
    },
    async (request) => {
      const sellerId = await sellerIdFor(request.principal!, request.params.ref);
      return feeMonths(db, sellerId, request.query.marketplace);
    },
  );

  app.get(
    '/api/v1/sellers/:ref/fees/contacts',
    {
      config: { access: SELLER_OR_STAFF },
      schema: {
        tags,
        summary:
          'The contacts counted in a band’s window (date, order, channel, reason), each with its contest if any',
        params: sellerParams,
        querystring: z.object({ marketplace, month: month.optional() }),
        response: { 200: anything, ...errorResponses },
      },
    },
    async (request) => {
      const sellerId = await sellerIdFor(request.principal!, request.params.ref);
      return countedContacts(db, sellerId, request.query.marketplace, clock(), request.query.month);
    },
  );

  app.get(
    '/api/v1/sellers/:ref/fees/contests',
    {
      config: { access: SELLER_OR_STAFF },
      schema: {
        tags,
        summary: 'The seller’s contests',
        params: sellerParams,
        response: { 200: z.array(anything), ...errorResponses },
      },
    },
    async (request) => {
      const sellerId = await sellerIdFor(request.principal!, request.params.ref);
      return (await contestsOf(db, { sellerId })).map(contestOut);
    },
  );

  app.post(
    '/api/v1/sellers/:ref/fees/contests',
    {
      config: { access: SELLER },
      schema: {
        tags,
        summary: 'Contest a counted contact (caused by the marketplace, a duplicate, not about your order…)',
        params: sellerParams,
        body: z.object({
          contactId: z.string().uuid(),
          reason: z.enum(contestReasons),
          comment: z.string().trim().max(2000).default(''),
        }),
        response: { 200: anything, ...errorResponses },
      },
    },
    async (request) => {
      const sellerId = await sellerIdFor(request.principal!, request.params.ref);
      if (sellerId !== sellerIdOf(request.principal!)) throw notFound('Seller');
      const c = await db
        .transaction()
        .execute((tx) =>
          fileContest(tx, { sellerId, ...request.body, userId: userIdOf(request.principal!), now: clock() }),
        );
      return contestOut(c!);
    },
  );

  app.get(
    '/api/v1/fees/contests',
    {
      config: { access: STAFF },
      schema: {
        tags,
        summary: 'Contests to decide (or all)',
        querystring: z.object({ status: z.enum(['open', 'accepted', 'rejected']).optional() }),
        response: { 200: z.array(anything), ...errorResponses },
      },
    },
    async (request) => (await contestsOf(db, { status: request.query.status })).map(contestOut),
  );

  app.post(
    '/api/v1/fees/contests/:id/decision',
    {
      config: { access: DECIDERS },
      schema: {
        tags,
        summary:
          'Accept or reject a contest; an accepted one takes the contact out of the count and credits any band difference once per Idempotency-Key',
        params: z.object({ id: z.string().uuid() }),
        headers: z.object({ 'idempotency-key': z.string().min(8).max(200) }),
        body: z.object({ accept: z.boolean(), note: z.string().trim().max(2000).default('') }),
        response: { 200: anything, ...errorResponses },
      },
    },
    async (request) => {
      const r = await db.transaction().execute((tx) =>
        decideContest(tx, {
          contestId: request.params.id,
          accept: request.body.accept,
          note: request.body.note,
          userId: userIdOf(request.principal!),
          key: request.headers['idempotency-key'],
          now: clock(),
        }),
      );
      return {
        contest: contestOut(r.contest),
        credits: r.credits.map((c) => ({ ...c, credit: minorUnits(c.credit) })),
      };
    },
  );

  app.get(
    '/api/v1/sellers/:ref/product-questions',
    {
      config: { access: SELLER_OR_STAFF },
      schema: {
        tags,
        summary:
          'Per product and language: the product questions buyers asked, answered from the detail page or needing the seller (S6)',
        params: sellerParams,
        querystring: z.object({ marketplace, from: localDate.optional(), to: localDate.optional() }),
        response: { 200: z.array(anything), ...errorResponses },
      },
    },
    async (request) => {
      const sellerId = await sellerIdFor(request.principal!, request.params.ref);
      const m = await marketplaceOf(request.query.marketplace);
      const now = clock();
      const to = request.query.to ? zonedInstant(request.query.to, '23:59:59', m.timeZone) : now;
      const from = request.query.from
        ? zonedInstant(request.query.from, '00:00:00', m.timeZone)
        : new Date(to.getTime() - 90 * 86_400_000);
      return productQuestions(db, sellerId, m.id, from, to);
    },
  );

  app.post(
    '/api/v1/sellers/:ref/support-requests',
    {
      config: { access: SELLER },
      schema: {
        tags: ['seller support'],
        summary: 'Ask seller support how an order was resolved, or about a charge (S5)',
        params: sellerParams,
        body: z.object({
          subject: z.enum(supportSubjects),
          marketplace: marketplace.optional(),
          orderRef: z.string().min(1).max(128).optional(),
          chargeMonth: month.optional(),
          question: text(4000),
        }),
        response: { 200: anything, ...errorResponses },
      },
    },
    async (request) => {
      const sellerId = await sellerIdFor(request.principal!, request.params.ref);
      const b = request.body;
      const r = await db.transaction().execute((tx) =>
        askSellerSupport(tx, {
          sellerId,
          userId: userIdOf(request.principal!),
          subject: b.subject,
          marketplaceId: b.marketplace ?? null,
          orderRef: b.orderRef ?? null,
          chargeMonth: b.chargeMonth ?? null,
          question: b.question,
          now: clock(),
        }),
      );
      return supportOut(r);
    },
  );

  app.get(
    '/api/v1/sellers/:ref/support-requests',
    {
      config: { access: SELLER_OR_STAFF },
      schema: {
        tags: ['seller support'],
        summary: 'The seller’s support requests and answers',
        params: sellerParams,
        response: { 200: z.array(anything), ...errorResponses },
      },
    },
    async (request) => {
      const sellerId = await sellerIdFor(request.principal!, request.params.ref);
      return (await supportRequests(db, { sellerId })).map(supportOut);
    },
  );

  app.get(
    '/api/v1/seller-support',
    {
      config: { access: STAFF },
      schema: {
        tags: ['seller support'],
        summary: 'Seller support requests (staff)',
        querystring: z.object({ status: z.enum(['open', 'answered']).optional() }),
        response: { 200: z.array(anything), ...errorResponses },
      },
    },
    async (request) => (await supportRequests(db, { status: request.query.status })).map(supportOut),
  );

  app.post(
    '/api/v1/seller-support/:id/answer',
    {
      config: { access: STAFF },
      schema: {
        tags: ['seller support'],
        summary: 'Answer a seller support request; the seller is notified',
        params: z.object({ id: z.string().uuid() }),
        body: z.object({ answer: text(4000) }),
        response: { 200: anything, ...errorResponses },
      },
    },
    async (request) => {
      const r = await db.transaction().execute((tx) =>
        answerSellerSupport(tx, {
          id: request.params.id,
          userId: userIdOf(request.principal!),
          answer: request.body.answer,
          now: clock(),
        }),
      );
      return supportOut(r);
    },
  );

  app.get(
    '/api/v1/marketplaces/:id/fee-policies',
    {
      config: { access: STAFF },
      schema: {
        tags,
        summary:
          'Every version of the marketplace’s fee schedule and tracking discount, with who saved it, and those in force now',
        params: z.object({ id: marketplace }),
        response: { 200: anything, ...errorResponses },
      },
    },
    async (request) => {
      const m = await marketplaceOf(request.params.id);
      const schedules = await scheduleVersions(db, m);
      const discounts = await discountVersions(db, m.id);
      const start = monthStart(monthOf(clock(), m.timeZone), m.timeZone);
      const inForce = <T extends { effectiveFrom: Date; version: string }>(vs: T[]) =>
        vs.filter((v) => v.effectiveFrom <= start).at(-1)?.version ?? null;
      return {
        marketplace: m.id,
        currency: m.currency,
        scheduleInForce: inForce(schedules),
        discountInForce: inForce(discounts),
        schedules: schedules.map(scheduleOut),
        discounts: discounts.map(discountOut),
      };
    },
  );

  // What a seller's fee page draws its band lines from: the schedule and tracking target of this month
  // (no version history, no authors — those are the admins' page).
  app.get(
    '/api/v1/marketplaces/:id/fee-schedule',
    {
      config: { access: SELLER_OR_STAFF },
      schema: {
        tags,
        summary: 'The fee bands, rates and valid tracking target in force this month in the marketplace',
        params: z.object({ id: marketplace }),
        response: { 200: anything, ...errorResponses },
      },
    },
    async (request) => {
      const m = await marketplaceOf(request.params.id);
      const current = monthOf(clock(), m.timeZone);
      const { schedule, discount } = await policiesOfMonth(db, m, current);
      return {
        marketplace: m.id,
        currency: m.currency,
        month: current,
        schedule: schedule && {
          version: schedule.version,
          bands: schedule.bands.map((b) => ({ upToBp: b.upToBp, rate: Number(b.rate) })),
          aboveRate: Number(schedule.aboveRate),
          defaultRate: Number(schedule.defaultRate),
          defaultUpToUnits: schedule.defaultUpToUnits,
        },
        trackingTargetBp: discount.trackingTargetBp,
      };
    },
  );

  app.post(
    '/api/v1/marketplaces/:id/fee-schedules',
    {
      config: { access: ADMIN },
      schema: {
        tags,
        summary: 'Save a fee schedule effective from a date (applies to months starting on or after it)',
        params: z.object({ id: marketplace }),
        body: scheduleBody,
        response: { 200: anything, ...errorResponses },
      },
    },
    async (request) => {
      const m = await marketplaceOf(request.params.id);
      const b = request.body;
      const schedule = {
        effectiveFrom: effectiveInstant(b.effectiveFrom, m.timeZone),
        currency: b.currency,
        bands: b.bands.map((x) => ({ upToBp: x.upToBp, rate: BigInt(x.rate) })),
        aboveRate: BigInt(b.aboveRate),
        defaultRate: BigInt(b.defaultRate),
        defaultUpToUnits: b.defaultUpToUnits,
      };
      const problems = scheduleProblems(schedule, m.currency);
      if (problems.length) throw new AppError('validation_failed', 'The schedule is not valid', problems);
      const version = await insertSchedule(db, m, schedule, b.note, userIdOf(request.principal!), clock());
      return scheduleOut({ ...schedule, version, note: b.note });
    },
  );

  app.post(
    '/api/v1/marketplaces/:id/tracking-discounts',
    {
      config: { access: ADMIN },
      schema: {
        tags,
        summary: 'Save a tracking discount policy effective from a date',
        params: z.object({ id: marketplace }),
        body: discountBody,
        response: { 200: anything, ...errorResponses },
      },
    },
    async (request) => {
      const m = await marketplaceOf(request.params.id);
      const { note, effectiveFrom, ...settings } = request.body;
      const policy = { ...settings, effectiveFrom: effectiveInstant(effectiveFrom, m.timeZone) };
      const version = await insertDiscount(db, m.id, policy, note, userIdOf(request.principal!), clock());
      return discountOut({ ...policy, version, note });
    },
  );

  app.get(
    '/api/v1/fees/charges',
    {
      config: { access: STAFF },
      schema: {
        tags,
        summary: 'Every seller’s charge of a marketplace-month, explained',
        querystring: z.object({ marketplace, month }),
        response: { 200: z.array(anything), ...errorResponses },
      },
    },
    async (request) =>
      (await chargesOf(db, { marketplaceId: request.query.marketplace, month: request.query.month })).map(
        (c) => ({
          sellerId: c.seller_id,
          month: c.month,
          currency: c.currency,
          amount: Number(c.amount),
          credited: Number(c.credited),
          explanation: c.explanation,
        }),
      ),
  );

  app.post(
    '/api/v1/fees/simulations',
    {
      config: { access: ADMIN },
      schema: {
        tags,
        summary:
          'What a draft schedule (and tracking discount) would have charged in a past month, per seller and in total; changes nothing',
        body: z.object({
          marketplace,
          month: month.optional(),
          schedule: scheduleBody.omit({ effectiveFrom: true, note: true }).optional(),
          discount: discountBody.omit({ effectiveFrom: true, note: true }).optional(),
        }),
        response: { 200: anything, ...errorResponses },
      },
    },
    async (request) => {
      const m = await marketplaceOf(request.body.marketplace);
      const now = clock();
      const target = request.body.month ?? addMonths(monthOf(now, m.timeZone), -1);
      const s = request.body.schedule;
      const schedule = s && {
        version: 'draft',
        effectiveFrom: monthStart(target, m.timeZone),
        currency: s.currency,
        bands: s.bands.map((x) => ({ upToBp: x.upToBp, rate: BigInt(x.rate) })),
        aboveRate: BigInt(s.aboveRate),
        defaultRate: BigInt(s.defaultRate),
        defaultUpToUnits: s.defaultUpToUnits,
      };
      if (schedule) {
        const problems = scheduleProblems(schedule, m.currency);
        if (problems.length) throw new AppError('validation_failed', 'The schedule is not valid', problems);
      }
      const d = request.body.discount;
      const discount = d && { ...d, version: 'draft', effectiveFrom: monthStart(target, m.timeZone) };
      const r = await simulateSchedule(db, { marketplaceId: m.id, month: target, now, schedule, discount });
      const names = await sellerNames(
        db,
        r.sellers.map((x) => x.sellerId),
      );
      return {
        ...r,
        sellers: r.sellers.map((x) => ({
          ...x,
          sellerRef: names.get(x.sellerId)?.externalId ?? null,
          sellerName: names.get(x.sellerId)?.name ?? null,
          charged: minorUnits(x.charged),
          simulated: minorUnits(x.simulated),
          difference: minorUnits(x.difference),
        })),
        total: {
          charged: minorUnits(r.total.charged),
          simulated: minorUnits(r.total.simulated),
          difference: minorUnits(r.total.difference),
        },
      };
    },
  );

  app.post(
    '/api/v1/fees/simulations/policies',
    {
      config: { access: ADMIN },
      schema: {
        tags,
        summary:
          'What a draft return window and/or agent concession limit would have changed in a past month, per seller and in total; changes nothing',
        body: policySimulationBody,
        response: { 200: anything, ...errorResponses },
      },
    },
    async (request) => {
      const m = await marketplaceOf(request.body.marketplace);
      const now = clock();
      const target = request.body.month ?? addMonths(monthOf(now, m.timeZone), -1);
      const limit = request.body.agentConcessionLimit;
      const r = await simulatePolicies(db, {
        marketplaceId: m.id,
        month: target,
        now,
        returnWindowDays: request.body.returnWindowDays,
        agentConcessionLimit: limit === undefined ? undefined : BigInt(limit),
      });
      // Amounts as JSON integers of minor units, as every billing answer.
      return JSON.parse(JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? minorUnits(v) : v)));
    },
  );
}
