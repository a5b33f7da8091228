import type { Readable } from 'node:stream';
import { z } from 'zod';
import { externalId, instant, languageCode, localDate } from '../../../contracts/common';
import {
  buyerRecord,
  carrierEvent,
  marketplaceRecord,
  orderRecord,
  productRecord,
  type RecordType,
  returnRecord,
  sellerRecord,
  shipmentRecord,
} from '../../../contracts/marketplace-records';
import { addBusinessDays, businessDeadline } from '../../platform/business-calendar';
import type { Db } from '../../platform/db';
import { AppError, notFound } from '../../platform/errors';
import { type Access, scopeOf, staffRoles, userRoles } from '../../platform/http/access';
import { errorResponses } from '../../platform/http/schemas';
import type { App } from '../../platform/http/server';
import { applyRecords } from './apply-records';
import { importRecords, type RejectedLine } from './import-records';
import {
  findMarketplace,
  findOrder,
  findProductPage,
  findSeller,
  listHolidays,
  listMarketplaces,
  listOrders,
  loadCalendar,
} from './marketplace.repository';
import {
  marketplaceView,
  orderDetailView,
  orderSummaryView,
  productPageView,
  sellerView,
} from './marketplace.views';
import { rejectionCode } from './record-rules';

const INTEGRATION_WRITE: Access = { roles: ['admin'], scopes: ['integration:write'] };
const EVERYONE: Access = { roles: userRoles, scopes: ['integration:read'] };
const MAX_BATCH = 5000;
const REJECTS_IN_RESPONSE = 1000;

const upsertResult = z.object({
  externalId: z.string(),
  outcome: z.enum(['created', 'updated', 'unchanged']),
});

export type MarketplaceRouteSettings = { importBodyLimitBytes: number };

export function marketplaceRoutes(app: App, db: Db, settings: MarketplaceRouteSettings) {
  /** Applies records in one transaction; any rejected record rolls the whole request back. */
  const applyAll = (records: unknown[], asBatch = false) =>
    db.transaction().execute(async (tx) => {
      const result = await applyRecords(tx, records);
      if (result.rejected.length > 0) {
        const details = result.rejected.flatMap((r) =>
          r.errors.map((e) => ({ ...e, path: asBatch ? `records.${r.index}.${e.path}` : e.path })),
        );
        const code = asBatch ? 'batch_rejected' : rejectionCode(details);
        throw new AppError(
          code,
          `${result.rejected.length} record(s) rejected; nothing was written`,
          details,
        );
      }
      return result;
    });

  const outcomeOf = (r: { created: number; updated: number }) =>
    r.created > 0 ? ('created' as const) : r.updated > 0 ? ('updated' as const) : ('unchanged' as const);

  // One idempotent PUT per entity, keyed by the platform's own id.
  const entities: { path: string; type: RecordType; body: z.ZodObject; key: 'externalId' | 'id' }[] = [
    {
      path: 'marketplaces/:id',
      type: 'marketplace',
      body: marketplaceRecord.omit({ type: true, id: true }),
      key: 'id',
    },
    {
      path: 'sellers/:externalId',
      type: 'seller',
      body: sellerRecord.omit({ type: true, externalId: true }),
      key: 'externalId',
    },
    {
      path: 'buyers/:externalId',
      type: 'buyer',
      body: buyerRecord.omit({ type: true, externalId: true }),
      key: 'externalId',
    },
    {
      path: 'products/:externalId',
      type: 'product',
      body: productRecord.omit({ type: true, externalId: true }),
      key: 'externalId',
    },
    {
      path: 'orders/:externalId',
      type: 'order',
      body: orderRecord.omit({ type: true, externalId: true }),
      key: 'externalId',
    },
    {
      path: 'shipments/:externalId',
      type: 'shipment',
      body: shipmentRecord.omit({ type: true, externalId: true }),
      key: 'externalId',
    },
    {
      path: 'returns/:externalId',
      type: 'return',
      body: returnRecord.omit({ type: true, externalId: true }),
      key: 'externalId',
    },
  ];
  for (const e of entities) {
    app.put(
      `/api/v1/integration/${e.path}`,
      {
        config: { access: INTEGRATION_WRITE },
        schema: {
          tags: ['integration'],
          summary: `Create or update a ${e.type} by the platform's id (idempotent)`,
          params: z.object({ [e.key]: e.key === 'id' ? z.string().regex(/^[A-Z]{2,8}$/) : externalId }),
          body: e.body,
          response: { 200: upsertResult, ...errorResponses },
        },
      },
      async (request) => {
        const id = (request.params as Record<string, string>)[e.key]!;
        const result = await applyAll([{ ...(request.body as object), type: e.type, [e.key]: id }]);
        return { externalId: id, outcome: outcomeOf(result) };
      },
    );
  }

  const eventsBody = z.object({ events: z.array(carrierEvent).min(1).max(500) });
  for (const owner of ['shipment', 'return'] as const) {
    app.post(
      `/api/v1/integration/${owner}s/:externalId/events`,
      {
        config: { access: INTEGRATION_WRITE },
        schema: {
          tags: ['integration'],
          summary: `Append carrier events to a ${owner}; an event already stored is ignored`,
          params: z.object({ externalId }),
          body: eventsBody,
          response: { 200: z.object({ received: z.number() }), ...errorResponses },
        },
      },
      async (request) => {
        const ref = owner === 'shipment' ? 'shipmentExternalId' : 'returnExternalId';
        await applyAll([
          { type: `${owner}_events`, [ref]: request.params.externalId, events: request.body.events },
        ]);
        return { received: request.body.events.length };
      },
    );
  }

  app.post(
    '/api/v1/integration/batch',
    {
      config: { access: INTEGRATION_WRITE },
      schema: {
        tags: ['integration'],
        summary: `Apply up to ${MAX_BATCH} records of any type, all or nothing`,
        description:
          'Each record has a `type` (marketplace, seller, buyer, product, order, shipment, shipment_events, return, ' +
          'return_events). Records are applied in dependency order, so an order may refer to a seller in the same batch.',
        body: z.object({
          records: z
            .array(z.object({ type: z.string() }).passthrough())
            .min(1)
            .max(MAX_BATCH),
        }),
        response: {
          200: z.object({ accepted: z.number(), created: z.number(), updated: z.number() }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const r = await applyAll(request.body.records, true);
      return { accepted: r.accepted, created: r.created, updated: r.updated };
    },
  );

  // NDJSON bodies are streamed to the importer, never buffered whole.
  app.addContentTypeParser('application/x-ndjson', (_request, payload, done) => done(null, payload));
  app.post(
    '/api/v1/integration/import',
    {
      bodyLimit: settings.importBodyLimitBytes,
      config: { access: INTEGRATION_WRITE },
      schema: {
        tags: ['integration'],
        summary: 'Stream records as NDJSON (Content-Type: application/x-ndjson), one per line',
        description:
          'Accepted records are kept; rejected lines change nothing and are reported with their line numbers ' +
          `(the first ${REJECTS_IN_RESPONSE} in the response).`,
        response: {
          200: z.object({
            lines: z.number(),
            accepted: z.number(),
            rejected: z.number(),
            created: z.number(),
            updated: z.number(),
            elapsedMs: z.number(),
            recordsPerSecond: z.number(),
            rejectedLines: z.array(
              z.object({
                line: z.number(),
                errors: z.array(z.object({ path: z.string(), code: z.string(), message: z.string() })),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      if (request.headers['content-type']?.split(';')[0] !== 'application/x-ndjson') {
        throw new AppError('unsupported_media_type', 'Send the records as application/x-ndjson');
      }
      const rejectedLines: RejectedLine[] = [];
      const summary = await importRecords(db, request.body as Readable, {
        onRejected: (r) => rejectedLines.length < REJECTS_IN_RESPONSE && rejectedLines.push(r),
      });
      return { ...summary, rejectedLines };
    },
  );

  // ---- reads -------------------------------------------------------------------------------

  app.get(
    '/api/v1/marketplaces',
    {
      config: { access: EVERYONE },
      schema: {
        tags: ['marketplace'],
        summary: 'Marketplaces',
        response: { 200: z.array(marketplaceView.schema), ...errorResponses },
      },
    },
    async () => (await listMarketplaces(db)).map(marketplaceView.from),
  );

  app.get(
    '/api/v1/marketplaces/:id/calendar',
    {
      config: { access: EVERYONE },
      schema: {
        tags: ['marketplace'],
        summary: "A year of the marketplace's business calendar: weekend days and public holidays",
        params: z.object({ id: z.string().regex(/^[A-Z]{2,8}$/) }),
        querystring: z.object({ year: z.coerce.number().int().min(2000).max(2100) }),
        response: {
          200: z.object({
            marketplace: z.string(),
            timeZone: z.string(),
            weekendDays: z.array(z.number()),
            holidays: z.array(z.object({ day: z.string(), name: z.string() })),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const m = await findMarketplace(db, request.params.id);
      if (!m) throw notFound('Marketplace');
      return {
        marketplace: m.id,
        timeZone: m.time_zone,
        weekendDays: m.weekend_days,
        holidays: await listHolidays(db, m.id, request.query.year),
      };
    },
  );

  app.get(
    '/api/v1/marketplaces/:id/business-days',
    {
      config: { access: EVERYONE },
      schema: {
        tags: ['marketplace'],
        summary:
          'Business-day arithmetic: the date n business days after a date, and the deadline after an instant',
        params: z.object({ id: z.string().regex(/^[A-Z]{2,8}$/) }),
        querystring: z.object({
          from: z.union([localDate, instant]),
          add: z.coerce.number().int().min(0).max(365),
        }),
        response: { 200: z.object({ date: z.string(), deadline: z.string().nullable() }), ...errorResponses },
      },
    },
    async (request) => {
      const calendar = await loadCalendar(db, request.params.id);
      if (!calendar) throw notFound('Marketplace');
      const { from, add } = request.query;
      if (from.length === 10) return { date: addBusinessDays(calendar, from, add), deadline: null };
      const deadline = businessDeadline(calendar, new Date(from), add);
      return { date: addBusinessDays(calendar, from.slice(0, 10), add), deadline: deadline.toISOString() };
    },
  );

  app.get(
    '/api/v1/sellers/:ref',
    {
      config: { access: { roles: [...staffRoles, 'seller'], scopes: ['integration:read'] } },
      schema: {
        tags: ['marketplace'],
        summary: 'A seller (sellers see only themselves)',
        params: z.object({ ref: externalId }),
        response: { 200: sellerView.schema, ...errorResponses },
      },
    },
    async (request) => {
      const seller = await findSeller(db, request.params.ref, scopeOf(request.principal!));
      if (!seller) throw notFound('Seller');
      return sellerView.from(seller);
    },
  );

  app.get(
    '/api/v1/orders',
    {
      config: { access: EVERYONE },
      schema: {
        tags: ['marketplace'],
        summary: 'Orders the caller may see, newest first (staff: all; seller: its own; buyer: theirs)',
        querystring: z.object({
          marketplace: z
            .string()
            .regex(/^[A-Z]{2,8}$/)
            .optional(),
          sellerId: z.string().uuid().optional(),
          before: instant.optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
        }),
        response: { 200: z.array(orderSummaryView.schema), ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query;
      const rows = await listOrders(db, scopeOf(request.principal!), {
        marketplaceId: q.marketplace,
        sellerId: q.sellerId,
        before: q.before ? new Date(q.before) : undefined,
        limit: q.limit,
      });
      return rows.map(orderSummaryView.from);
    },
  );

  app.get(
    '/api/v1/orders/:ref',
    {
      config: { access: EVERYONE },
      schema: {
        tags: ['marketplace'],
        summary: 'An order with lines, shipments (carrier events, valid tracking) and returns',
        params: z.object({ ref: externalId }),
        querystring: z.object({
          locale: z
            .string()
            .regex(/^[a-z]{2}(-[A-Z]{2})?$/)
            .optional(),
        }),
        response: { 200: orderDetailView.schema, ...errorResponses },
      },
    },
    async (request) => {
      const order = await findOrder(db, request.params.ref, scopeOf(request.principal!));
      if (!order) throw notFound('Order');
      return orderDetailView.from(order, request.query.locale ?? order.locale);
    },
  );

  app.get(
    '/api/v1/products/:ref/page',
    {
      config: { access: EVERYONE },
      schema: {
        tags: ['marketplace'],
        summary:
          "A product's detail page in a marketplace and language (default: the marketplace's language)",
        params: z.object({ ref: externalId }),
        querystring: z.object({
          marketplace: z.string().regex(/^[A-Z]{2,8}$/),
          language: languageCode.optional(),
        }),
        response: { 200: productPageView.schema, ...errorResponses },
      },
    },
    async (request) => {
      const scope = scopeOf(request.principal!);
      // Detail pages are public on the marketplace, so buyers may read any of them.
      const page = await findProductPage(
        db,
        request.params.ref,
        request.query.marketplace,
        request.query.language,
        scope.kind === 'buyer' ? { kind: 'all' } : scope,
      );
      if (!page) throw notFound('Product page');
      return productPageView.from(page);
    },
  );
}
