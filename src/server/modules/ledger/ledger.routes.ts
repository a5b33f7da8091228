import { z } from 'zod';
import { currencyCode } from '../../../contracts/common';
import type { Db } from '../../platform/db';
import { AppError } from '../../platform/errors';
import { type Principal, scopeOf } from '../../platform/http/access';
import { errorResponses } from '../../platform/http/schemas';
import type { App } from '../../platform/http/server';
import { isSupportedCurrency } from '../../platform/money';
import { sellerIdInScope } from '../marketplace';
import { monthlyStatement, sellerBalances } from './ledger';
import { statementCsv } from './statement-csv';

const ACCESS = { roles: ['seller', 'admin', 'supervisor'] as const };
const params = z.object({ ref: z.string().min(1).max(128) });
const month = z.string().regex(/^20\d\d-(0[1-9]|1[0-2])$/, 'YYYY-MM');

export function ledgerRoutes(app: App, db: Db) {
  // A seller reads only its own ledger: any other seller's reference is not found.
  const sellerIdFor = (principal: Principal, ref: string) => sellerIdInScope(db, ref, scopeOf(principal));

  app.get(
    '/api/v1/sellers/:ref/ledger/balances',
    {
      config: { access: ACCESS },
      schema: {
        tags: ['ledger'],
        summary:
          'The seller’s balance per marketplace and currency (minor units; negative: owed to the marketplace)',
        params,
        response: {
          200: z.array(z.object({ marketplace: z.string(), currency: z.string(), balance: z.number() })),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const rows = await sellerBalances(db, await sellerIdFor(request.principal!, request.params.ref));
      return rows.map((r) => ({
        marketplace: r.marketplace_id,
        currency: r.currency,
        balance: Number(r.balance),
      }));
    },
  );

  app.get(
    '/api/v1/sellers/:ref/ledger/statements/:month',
    {
      config: { access: ACCESS },
      schema: {
        tags: ['ledger'],
        summary:
          'A month of the seller’s ledger: opening balance, every charge and credit with the decision behind it, closing balance',
        params: params.extend({ month: z.string().regex(/^20\d\d-(0[1-9]|1[0-2])$/, 'YYYY-MM') }),
        querystring: z.object({ currency: currencyCode }),
        response: {
          200: z.object({
            currency: z.string(),
            month: z.string(),
            opening: z.number(),
            closing: z.number(),
            lines: z.array(
              z.object({
                postedAt: z.string(),
                marketplace: z.string(),
                amount: z.number(),
                description: z.string(),
                decision: z.object({ kind: z.string(), id: z.string() }),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const sellerId = await sellerIdFor(request.principal!, request.params.ref);
      const s = await monthlyStatement(db, sellerId, request.query.currency, request.params.month);
      return {
        currency: s.currency,
        month: s.month,
        opening: Number(s.opening),
        closing: Number(s.closing),
        lines: s.lines.map((l) => ({
          postedAt: l.posted_at.toISOString(),
          marketplace: l.marketplace_id,
          amount: Number(l.amount),
          description: l.description,
          decision: { kind: l.decision_kind, id: l.decision_id },
        })),
      };
    },
  );

  app.get(
    '/api/v1/sellers/:ref/ledger/statements/:month/csv',
    {
      config: { access: ACCESS },
      schema: {
        tags: ['ledger'],
        summary:
          'The same month as a CSV file to download: opening balance, each charge and credit, closing balance',
        params: params.extend({ month }),
        querystring: z.object({ currency: currencyCode }),
      },
    },
    async (request, reply) => {
      const sellerId = await sellerIdFor(request.principal!, request.params.ref);
      const { currency } = request.query;
      if (!isSupportedCurrency(currency))
        throw new AppError('validation_failed', `Unsupported currency ${currency}`, [
          { path: 'currency', code: 'unsupported', message: 'not a currency the ledger keeps' },
        ]);
      const s = await monthlyStatement(db, sellerId, currency, request.params.month);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header(
          'content-disposition',
          `attachment; filename="statement-${request.params.month}-${currency}.csv"`,
        )
        .header('x-content-type-options', 'nosniff')
        .send(statementCsv(s));
    },
  );
}
