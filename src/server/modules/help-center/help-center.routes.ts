import { z } from 'zod';
import { languageCode } from '../../../contracts/common';
import {
  helpCenterView,
  helpChannelsBody,
  widgetOriginsBody,
  widgetSettingsView,
} from '../../../contracts/help-center';
import type { Db } from '../../platform/db';
import { AppError, notFound } from '../../platform/errors';
import { errorResponses } from '../../platform/http/schemas';
import type { App } from '../../platform/http/server';
import {
  buyerRecentOrders,
  findHelpMarketplace,
  type HelpMarketplaceRow,
  updateHelpChannels,
  updateWidgetOrigins,
} from './help-center.repository';
import { dayIn, orderState } from './order-state';

const marketplaceParam = z.object({ marketplace: z.string().regex(/^[A-Z]{2,8}$/) });
const RECENT_ORDERS = 20;

/** The address buyers write to when the marketplace set none: the inbound mail always takes it. */
const supportEmailOf = (m: HelpMarketplaceRow, mailDomain: string) =>
  m.support_email ?? `support-${m.id.toLowerCase()}@${mailDomain}`;

export function helpCenterRoutes(app: App, db: Db, settings: { mailDomain: string }) {
  app.get(
    '/api/v1/help/:marketplace',
    {
      config: { access: { roles: ['buyer'] } },
      schema: {
        tags: ['help-center'],
        summary:
          'Contact Us for the signed-in buyer: their recent orders with their state, and the ways to reach CS',
        params: marketplaceParam,
        querystring: z.object({ language: languageCode.optional() }),
        response: { 200: helpCenterView, ...errorResponses },
      },
    },
    async (request) => {
      const p = request.principal!;
      const buyerId = p.kind === 'buyer_token' ? p.buyerId : p.kind === 'user' ? p.buyerId : null;
      if (!buyerId) throw new AppError('forbidden', 'Buyers only');
      const m = await findHelpMarketplace(db, request.params.marketplace);
      if (!m) throw notFound('Marketplace');
      const language =
        request.query.language && m.languages.includes(request.query.language)
          ? request.query.language
          : m.default_language;
      const today = dayIn(m.time_zone, new Date());
      const rows = await buyerRecentOrders(db, buyerId, m.id, language, RECENT_ORDERS);
      return {
        marketplace: {
          id: m.id,
          name: m.name,
          languages: m.languages,
          defaultLanguage: m.default_language,
          timeZone: m.time_zone,
        },
        channels: {
          chat: true,
          email: supportEmailOf(m, settings.mailDomain),
          phone: m.support_phone,
          phoneHours: m.support_phone ? m.support_phone_hours : null,
        },
        orders: rows.map((o) => {
          const { state } = orderState(
            {
              promisedDeliveryDate: o.promised_delivery_date,
              shippedAt: o.shipped_at,
              lastEvent: o.last_event_code ? { code: o.last_event_code, occurredAt: o.last_event_at! } : null,
              lastReturn: o.return_authorisation
                ? { authorisation: o.return_authorisation, receivedAt: o.return_received_at }
                : null,
            },
            today,
          );
          return {
            externalId: o.external_id,
            orderedAt: o.ordered_at.toISOString(),
            promisedDeliveryDate: o.promised_delivery_date,
            total: { amount: Number(o.order_total), currency: o.currency },
            itemCount: o.item_count,
            title: o.title,
            state,
            stateAt: (o.return_received_at ?? o.last_event_at ?? o.shipped_at)?.toISOString() ?? null,
          };
        }),
      };
    },
  );

  // Public: the framed chat page checks who hands it a token; the same list is in its CSP anyway.
  app.get(
    '/api/v1/help/:marketplace/widget',
    {
      config: { access: 'public' },
      schema: {
        tags: ['help-center'],
        summary: 'The site origins allowed to embed this marketplace’s chat widget',
        params: marketplaceParam,
        response: { 200: widgetSettingsView, ...errorResponses },
      },
    },
    async (request) => {
      const m = await findHelpMarketplace(db, request.params.marketplace);
      if (!m) throw notFound('Marketplace');
      return { marketplace: m.id, origins: m.widget_origins };
    },
  );

  app.put(
    '/api/v1/admin/marketplaces/:marketplace/widget-origins',
    {
      config: { access: { roles: ['admin'] } },
      schema: {
        tags: ['admin'],
        summary: 'Set the site origins allowed to embed the chat widget (replaces the list)',
        params: marketplaceParam,
        body: widgetOriginsBody,
        response: { 200: widgetSettingsView, ...errorResponses },
      },
    },
    async (request) => {
      const origins = [...new Set(request.body.origins)];
      if (!(await updateWidgetOrigins(db, request.params.marketplace, origins)))
        throw notFound('Marketplace');
      return { marketplace: request.params.marketplace, origins };
    },
  );

  app.put(
    '/api/v1/admin/marketplaces/:marketplace/help-channels',
    {
      config: { access: { roles: ['admin'] } },
      schema: {
        tags: ['admin'],
        summary: 'Set the support e-mail address, phone number and phone hours shown on Contact Us',
        params: marketplaceParam,
        body: helpChannelsBody,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      if (!(await updateHelpChannels(db, request.params.marketplace, request.body)))
        throw notFound('Marketplace');
      return reply.status(204).send(null);
    },
  );
}

/** The origins that may frame the marketplace's chat page (CSP frame-ancestors); none when unknown. */
export async function widgetOriginsOf(db: Db, marketplaceId: string | undefined): Promise<string[]> {
  if (!marketplaceId || !/^[A-Z]{2,8}$/.test(marketplaceId)) return [];
  return (await findHelpMarketplace(db, marketplaceId))?.widget_origins ?? [];
}
