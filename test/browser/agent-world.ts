// The world of the console's browser tests: an enrolled seller's orders (shipped, delivered) for a
// buyer with a hostile name, an agent and a supervisor set up for IT in Italian and English, the API
// as any of them, and cases opened by contacts that wait in the queue.
import { sql } from 'kysely';
import { enrol } from '../../src/server/modules/programs';
import { buyer, marketplaces, order, twoSellers } from '../helpers/fixtures';
import { BROWSER_PASSWORD, type BrowserApp, startBrowserApp } from './harness';

const DAY = 86_400_000;
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

export const HOSTILE_NAME = '<script>window.__pwned=1</script>Zoë';
export const HOSTILE_MESSAGE = 'Il pacco è rotto <img src=x onerror="window.__pwned=2"> aiuto';

/** The API as a signed-in user (cookie + CSRF), through the running app. */
export async function apiAs(t: BrowserApp, email: string) {
  const login = await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email, password: BROWSER_PASSWORD },
  });
  if (login.statusCode !== 200) throw new Error(`login failed: ${login.body}`);
  const cookie = login.cookies.find((c) => c.name === 'onbehalf_session')!;
  const csrf = login.json().csrfToken as string;
  return async (
    method: 'GET' | 'POST' | 'PUT',
    url: string,
    payload?: unknown,
    headers: Record<string, string> = {},
  ) => {
    const res = await t.app.inject({
      method,
      url,
      headers: { cookie: `${cookie.name}=${cookie.value}`, 'x-csrf-token': csrf, ...headers },
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
    });
    if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
    return res.statusCode === 204 ? null : res.json();
  };
}

export async function consoleWorld() {
  const t = await startBrowserApp();
  await t.seed([
    ...twoSellers(),
    buyer('B-H', { name: HOSTILE_NAME, email: 'zoe@buyers.example' }),
    ...['O-H1', 'O-H2', 'O-H3', 'O-H4'].flatMap((o) => [
      order(o, 'S-A', 'B-H', 'P-A', {
        orderedAt: ago(8 * DAY),
        promisedDeliveryDate: ago(4 * DAY).slice(0, 10),
      }),
      {
        type: 'shipment',
        externalId: `SH-${o}`,
        orderExternalId: o,
        carrier: 'BRT',
        trackingNumber: `BRT-${o}`,
        shippedAt: ago(7 * DAY),
        events: [
          { code: 'picked_up', occurredAt: ago(7 * DAY), location: 'Milano' },
          {
            code: 'delivered',
            occurredAt: ago(5 * DAY),
            location: 'Roma <img src=x onerror="window.__pwned=3">',
          },
        ],
      },
    ]),
  ]);
  await t.seed([{ ...marketplaces().find((m) => m.id === 'IT')!, languages: ['it', 'en'] }]);
  const idOf = async (table: 'seller' | 'buyer', externalId: string) =>
    (
      await sql<{ id: string }>`select id from ${sql.table(table)} where external_id = ${externalId}`.execute(
        t.db,
      )
    ).rows[0]!.id;
  await t.db
    .transaction()
    .execute(async (tx) => enrol(tx, await idOf('seller', 'S-A'), 'IT', 'seller', new Date('2026-01-01')));
  const emails = {
    agent: await t.user('agent', { displayName: 'Giulia Rossi', languages: ['it', 'en'] }),
    supervisor: await t.user('supervisor', { displayName: 'Marco Bianchi' }),
    seller: await t.user('seller', { sellerId: await idOf('seller', 'S-A') }),
  };
  const userId = async (email: string) =>
    (await sql<{ id: string }>`select id from app_user where email = ${email}`.execute(t.db)).rows[0]!.id;
  const agentId = await userId(emails.agent);
  await sql`insert into agent_profile (user_id, marketplaces, languages, capacity, available)
    values (${agentId}::uuid, '{IT}', '{it,en}', 20, false)`.execute(t.db);
  await sql`insert into agent_profile (user_id, marketplaces, languages, capacity, available)
    values (${await userId(emails.supervisor)}::uuid, '{IT}', '{it,en}', 20, false)`.execute(t.db);
  const supervisorApi = await apiAs(t, emails.supervisor);
  /** A buyer's contact recorded by the supervisor: it waits in the queue (no agent available yet). */
  const openCase = async (orderId: string, message: string, language = 'it') =>
    (
      await supervisorApi('POST', '/api/v1/contacts', {
        marketplace: 'IT',
        channel: 'email',
        topic: 'damaged_or_wrong',
        orderId,
        message,
        language,
      })
    ).case.caseNumber as string;
  const setAvailable = (available: boolean) =>
    sql`update agent_profile set available = ${available} where user_id = ${agentId}::uuid`.execute(t.db);
  return { t, emails, supervisorApi, openCase, setAvailable, sellerApi: await apiAs(t, emails.seller) };
}
