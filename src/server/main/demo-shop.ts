// The demo's own stand-in for an operator's shop: each marketplace's ways to reach customer service
// (phone, hours, the shop's origin allowed to frame the chat) and a product page at /demo/shop/{mp}
// that carries the one-tag widget for the demo buyer, so `npm start` shows the widget working.
import { sql } from 'kysely';
import { simulatedIds } from '../modules/marketplace';
import { type Config, sameMachineOrigins } from '../platform/config';
import type { Db } from '../platform/db';
import type { App } from '../platform/http/server';
import { signBuyerToken } from './chat-cli';
import { demoFlowMarkets, demoProductAnswers } from './demo-flows';

const demoIds = simulatedIds('demo');

/** Fictitious numbers (the 555 and 0000 ranges), answered on weekdays in the marketplace's time zone. */
const DEMO_PHONES: Record<string, { phone: string; opens: string; closes: string }> = {
  IT: { phone: '+39 02 0000 0000', opens: '09:00', closes: '18:00' },
  ES: { phone: '+34 910 000 000', opens: '09:00', closes: '18:00' },
  FR: { phone: '+33 1 00 00 00 00', opens: '09:00', closes: '18:00' },
  DE: { phone: '+49 30 0000 0000', opens: '08:00', closes: '18:00' },
  US: { phone: '+1 206 555 0100', opens: '08:00', closes: '20:00' },
};

/**
 * Fills in what the operator has not set: a phone number with its hours, and the server's own origin
 * as the one site allowed to show the chat (the demo shop). Runs at every start; never overwrites.
 */
export async function loadDemoContactChannels(db: Db, publicUrl: string): Promise<void> {
  const origins = sameMachineOrigins(publicUrl);
  for (const [marketplace, p] of Object.entries(DEMO_PHONES)) {
    const hours = JSON.stringify({ days: [1, 2, 3, 4, 5], opens: p.opens, closes: p.closes });
    await sql`update marketplace set
        support_phone = coalesce(support_phone, ${p.phone}),
        support_phone_hours = coalesce(support_phone_hours, ${hours}::jsonb),
        widget_origins = case when cardinality(widget_origins) = 0 then ${origins}::text[] else widget_origins end
      where id = ${marketplace}`.execute(db);
  }
}

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

const SHOP_TEXTS: Record<string, { note: string; shop: string }> = {
  it: {
    note: 'Questa pagina fa le veci del tuo negozio: il pulsante in basso è il widget.',
    shop: 'Negozio demo',
  },
  es: {
    note: 'Esta página hace las veces de tu tienda: el botón de abajo es el widget.',
    shop: 'Tienda demo',
  },
  fr: {
    note: 'Cette page tient lieu de votre boutique : le bouton en bas est le widget.',
    shop: 'Boutique démo',
  },
  de: { note: 'Diese Seite steht für Ihren Shop: Die Schaltfläche unten ist das Widget.', shop: 'Demo-Shop' },
  en: { note: 'This page stands for your own shop: the button below is the widget.', shop: 'Demo shop' },
};

/**
 * `GET /demo/shop/{marketplace}`: a product's detail page with the widget, signed in as the demo buyer.
 * As on a real shop, the tag points at PUBLIC_URL, whichever spelling of this server the page was opened by.
 */
export function demoShopRoutes(app: App, db: Db, config: Config) {
  app.get<{ Params: { marketplace: string } }>(
    '/demo/shop/:marketplace',
    { config: { access: 'public' }, schema: { hide: true } },
    async (request, reply) => {
      const market = demoFlowMarkets.find((m) => m.marketplace === request.params.marketplace);
      const page = market
        ? (
            await sql<{ title: string; bullet_points: string[]; description: string }>`
              select pp.title, pp.bullet_points, pp.description from product_page pp
              join product p on p.id = pp.product_id
              where p.external_id = ${demoProductAnswers.answers} and pp.marketplace_id = ${market.marketplace}
                and pp.language = ${market.language}`.execute(db)
          ).rows[0]
        : undefined;
      if (!market || !page)
        return reply.status(404).send({ error: { code: 'not_found', message: 'No demo shop here' } });
      const publicOrigin = new URL(config.publicUrl).origin;
      const texts = SHOP_TEXTS[market.language] ?? SHOP_TEXTS.en!;
      const token = await signBuyerToken(config, demoIds.buyer(market.marketplace, 1), 3600);
      const html = `<!doctype html>
<html lang="${market.language}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(page.title)} · ${texts.shop}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#1b1f24}
.note{background:#fff4ce;border:1px solid #e0c36b;padding:.5rem .75rem;border-radius:6px}</style></head>
<body><p class="note">${escapeHtml(texts.note)}</p>
<main><h1>${escapeHtml(page.title)}</h1>
<ul>${page.bullet_points.map((b) => `<li>${escapeHtml(b)}</li>`).join('')}</ul>
<p>${escapeHtml(page.description)}</p></main>
<script src="${escapeHtml(config.publicUrl)}/widget.js" data-marketplace="${market.marketplace}"
  data-product="${demoProductAnswers.answers}" data-buyer-token="${token}" async></script>
</body></html>`;
      return reply
        .header('content-type', 'text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .header(
          'content-security-policy',
          `default-src 'self'; script-src 'self' ${publicOrigin}; style-src 'self' 'unsafe-inline'; frame-src 'self' ${publicOrigin}; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
        )
        .send(html);
    },
  );
}
