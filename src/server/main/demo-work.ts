// Work in progress for the demo's people, made once through the public API as buyers, agents and the
// seller would make it: so that the agent's queue, the supervisor's approvals and escalations, the
// seller's case log and claims, and the claims reviewer's queue show something on a first start.
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../platform/db';
import type { App } from '../platform/http/server';
import { DEMO_PASSWORD } from './demo';
import { demoFlowMarkets, demoFlowOrderId } from './demo-flows';

const DEMO_WORK_MARKER = 'demo_work_loaded';

type Call = (method: 'GET' | 'POST', url: string, payload?: unknown) => Promise<Record<string, unknown>>;

async function signedIn(app: App, email: string): Promise<Call> {
  const login = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email, password: DEMO_PASSWORD },
  });
  if (login.statusCode !== 200) throw new Error(`demo login ${email}: ${login.statusCode}`);
  const cookie = login.cookies.find((c) => c.name === 'onbehalf_session')!;
  const csrf = login.json().csrfToken as string;
  return async (method, url, payload) => {
    const res = await app.inject({
      method,
      url,
      headers: {
        cookie: `${cookie.name}=${cookie.value}`,
        'x-csrf-token': csrf,
        // The same request, the same key: a start interrupted half-way repeats what it had done as no-ops.
        ...(method === 'POST'
          ? {
              'idempotency-key': `demo-${createHash('sha256')
                .update(`${email} ${url} ${JSON.stringify(payload)}`)
                .digest('hex')
                .slice(0, 32)}`,
            }
          : {}),
      },
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
    });
    if (res.statusCode >= 300) throw new Error(`demo ${method} ${url}: ${res.statusCode} ${res.body}`);
    return res.statusCode === 204 ? {} : res.json();
  };
}

/** What a buyer writes first, per marketplace language: a late parcel. */
const LATE_PARCEL: Record<string, string> = {
  it: 'Buongiorno, il mio ordine doveva arrivare cinque giorni fa e il tracciamento è fermo da una settimana. Dov’è il pacco?',
  es: 'Hola, mi pedido tenía que llegar hace cinco días y el seguimiento no se mueve desde hace una semana. ¿Dónde está?',
  fr: 'Bonjour, ma commande devait arriver il y a cinq jours et le suivi ne bouge plus depuis une semaine. Où est le colis ?',
  de: 'Guten Tag, meine Bestellung sollte vor fünf Tagen ankommen und die Sendungsverfolgung steht seit einer Woche still. Wo ist das Paket?',
  en: 'Hello, my order was due five days ago and the tracking has not moved for a week. Where is my parcel?',
};

/**
 * Loads the demo's work once (its own marker): a late parcel by e-mail in every marketplace's queue;
 * in Italy also a damaged backpack the agent asked the seller about (case log) and refunded in part,
 * which the seller claims back, a refund above the agent's limit waiting for a supervisor, and a
 * buyer's escalation.
 */
export async function loadDemoWork(app: App, db: Db): Promise<boolean> {
  const done = await sql`select 1 from platform_state where key = ${DEMO_WORK_MARKER}`.execute(db);
  if (done.rows.length > 0) return false;

  const caseOf = (r: Record<string, unknown>) => (r.case as { caseNumber: string }).caseNumber;
  const lateCases: Record<string, string> = {};
  for (const market of demoFlowMarkets) {
    const buyer = await signedIn(app, market.login);
    lateCases[market.marketplace] = caseOf(
      await buyer('POST', '/api/v1/contacts', {
        marketplace: market.marketplace,
        channel: 'email',
        topic: 'order_status',
        orderId: demoFlowOrderId(market.marketplace, 'late'),
        message: LATE_PARCEL[market.language],
        language: market.language,
      }),
    );
  }

  const buyer = await signedIn(app, 'buyer@demo.onbehalf.test');
  const agent = await signedIn(app, 'agent.it@demo.onbehalf.test');
  const seller = await signedIn(app, 'seller.aurora@demo.onbehalf.test');

  // The damaged backpack: the agent takes it and asks the seller whether a spare part exists.
  const damaged = caseOf(
    await buyer('POST', '/api/v1/contacts', {
      marketplace: 'IT',
      channel: 'email',
      topic: 'damaged_or_wrong',
      orderId: demoFlowOrderId('IT', 'delivered'),
      message: 'Lo zaino è arrivato con la cerniera principale rotta. Posso averne uno nuovo?',
      language: 'it',
    }),
  );
  await agent('POST', `/api/v1/cases/${damaged}/seller-requests`, {
    question:
      'La buyer segnala la cerniera principale rotta. Avete un ricambio da spedire, o preferite un reso?',
  });

  // A refund above what an agent may grant alone (the demo's Italian agents: €20) waits for approval:
  // the whole late order, refunded without a return.
  await sql`insert into approval_limit (marketplace_id, role, effective_from, max_amount)
    values ('IT', 'agent', '-infinity', 2000) on conflict do nothing`.execute(db);
  const line = await sql<{ amount: string }>`select (l.unit_price * l.units)::text as amount from order_line l
    join "order" o on o.id = l.order_id where o.external_id = ${demoFlowOrderId('IT', 'late')} and l.line_no = 1`.execute(
    db,
  );
  await agent('POST', `/api/v1/cases/${lateCases.IT}/concessions`, {
    action: 'returnless_refund',
    reason: 'late_beyond_promise',
    lines: [{ lineNo: 1, amount: Number(line.rows[0]!.amount) }],
    note: 'Cinque giorni oltre la data promessa e nessuna scansione da una settimana.',
  });

  // The parcel still on its way: the buyer asks for a manager, an escalation for the supervisors.
  const onItsWay = caseOf(
    await buyer('POST', '/api/v1/contacts', {
      marketplace: 'IT',
      channel: 'email',
      topic: 'order_status',
      orderId: demoFlowOrderId('IT', 'in_transit'),
      message: 'Ho già scritto due volte e nessuno mi risponde sulla consegna delle cuffie.',
      language: 'it',
    }),
  );
  await buyer('POST', `/api/v1/cases/${onItsWay}/escalations`, {
    reason: 'Voglio parlare con un responsabile: è la terza volta che scrivo.',
  });

  // Meanwhile the agent gives the backpack's buyer €15 back for the zip, within the limit: a refund the
  // seller is charged for, and claims back, saying the bag left its warehouse whole.
  await agent('POST', `/api/v1/cases/${damaged}/concessions`, {
    action: 'partial_refund',
    reason: 'defective_or_damaged',
    lines: [{ lineNo: 1, amount: 1500 }],
    note: 'Rimborso parziale per la cerniera, in attesa della risposta del venditore sul ricambio.',
  });
  await seller('POST', '/api/v1/seller/claims', {
    orderExternalId: demoFlowOrderId('IT', 'delivered'),
    reason: 'other',
    amount: 1500,
    description:
      'Lo zaino è partito integro: la foto dell’imballo al ritiro mostra la cerniera chiusa e intatta.',
  });

  await sql`insert into platform_state (key, value) values (${DEMO_WORK_MARKER}, ${JSON.stringify({ at: new Date() })}::jsonb)
    on conflict do nothing`.execute(db);
  return true;
}
