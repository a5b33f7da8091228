import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { errorCode, type TestClient, testApp } from '../../../../test/helpers/app';
import { buyer, marketplaces, order, twoSellers } from '../../../../test/helpers/fixtures';
import { fireDueTimers } from '../../platform/timers';
import { enrol } from '../programs';
import { slaTimerHandlers } from './sla-timers';

const t = await testApp();
let buyer1: TestClient;
let buyer2: TestClient;
let agents: { client: TestClient; id: string }[];
let supervisor: TestClient;
let sellerA: TestClient;
let admin: TestClient;

const idOf = async (client: TestClient) =>
  (await client.get('/api/v1/auth/session')).json().user.id as string;
const contact = (client: TestClient, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  client.post(
    '/api/v1/contacts',
    { marketplace: 'IT', channel: 'chat', topic: 'order_status', message: 'Dov’è il mio pacco?', ...body },
    headers,
  );

beforeAll(async () => {
  await t.seed([
    ...twoSellers(),
    buyer('B-3'),
    order('O-A2', 'S-A', 'B-1', 'P-A'),
    order('O-A3', 'S-A', 'B-1', 'P-A'),
    order('O-M', 'S-A', 'B-1', 'P-A', { fulfilmentChannel: 'marketplace' }),
    order('O-P', 'S-B', 'B-2', 'P-B', { fulfilmentChannel: 'premium_seller' }),
    ...Array.from({ length: 8 }, (_, i) => order(`O-C${i}`, 'S-A', 'B-3', 'P-A')),
    order('O-K1', 'S-A', 'B-1', 'P-A'),
    order('O-K2', 'S-A', 'B-2', 'P-A'),
    order('O-K3', 'S-A', 'B-2', 'P-A'),
  ]);
  // IT speaks English here too, so that a case can wait in a language no agent speaks.
  await t.seed([{ ...marketplaces().find((m) => m.id === 'IT')!, languages: ['it', 'en'] }]);
  const sA = (await sql<{ id: string }>`select id from seller where external_id = 'S-A'`.execute(t.db))
    .rows[0]!.id;
  await t.db.transaction().execute((tx) => enrol(tx, sA, 'IT', 'seller', new Date('2026-01-01T00:00:00Z')));
  buyer1 = await t.buyerToken('B-1');
  buyer2 = await t.buyerToken('B-2');
  admin = await t.user('admin');
  agents = [];
  for (let i = 0; i < 2; i++) {
    const client = await t.user('agent');
    const id = await idOf(client);
    await admin.put(`/api/v1/admin/agents/${id}`, {
      marketplaces: ['IT'],
      languages: ['it'],
      capacity: 5,
      premium: true,
    });
    agents.push({ client, id });
  }
  supervisor = await t.user('supervisor');
  await admin.put(`/api/v1/admin/agents/${await idOf(supervisor)}`, {
    marketplaces: ['IT'],
    languages: ['it', 'en'],
  });
  sellerA = await t.user('seller', { sellerExternalId: 'S-A' });
});

describe('from contact to case', () => {
  it('opens a case for an enrolled seller’s order, says why, and assigns the least busy agent', async () => {
    const first = (await contact(buyer1, { orderId: 'O-A' })).json();
    expect(first).toMatchObject({ handler: 'marketplace_cs', reason: 'enrolled_seller_fulfilled' });
    expect(first.case.caseNumber).toMatch(/^IT-\d{7}$/);
    expect(first.case.owner.kind).toBe('agent');
    const second = (await contact(buyer1, { orderId: 'O-A2' })).json();
    expect(second.case.caseNumber).not.toBe(first.case.caseNumber);
    expect(second.case.owner.name).not.toBe(first.case.owner.name); // the other, less busy agent
    const staff = (await agents[0]!.client.get(`/api/v1/cases/${first.case.caseNumber}`)).json();
    expect(staff).toMatchObject({
      queue: 'IT:it',
      routingReason: 'enrolled_seller_fulfilled',
      channel: 'chat',
      language: 'it',
    });
    expect(staff.events[0]).toMatchObject({ kind: 'opened', data: { reason: 'enrolled_seller_fulfilled' } });
    expect(Date.parse(staff.firstResponseDueAt) - Date.parse(staff.openedAt)).toBe(2 * 60_000); // chat: 2 minutes
  });

  it('routes elsewhere what the managed service does not cover, and says why', async () => {
    const notEnrolled = (await contact(buyer2, { orderId: 'O-B' })).json();
    expect(notEnrolled).toMatchObject({ handler: 'seller', reason: 'seller_not_enrolled', case: null });
    const fba = (await contact(buyer1, { orderId: 'O-M' })).json();
    expect(fba).toMatchObject({
      handler: 'marketplace_fulfilment',
      reason: 'marketplace_fulfilled_order',
      case: null,
    });
    const invoice = (await contact(buyer1, { orderId: 'O-A', topic: 'invoice' })).json();
    expect(invoice).toMatchObject({ handler: 'seller', reason: 'excluded_topic' });
    const premium = (await contact(buyer2, { orderId: 'O-P', topic: 'damaged_or_wrong' })).json();
    expect(premium).toMatchObject({ handler: 'marketplace_cs', reason: 'premium_seller_fulfilled' });
    const premiumCase = (await agents[0]!.client.get(`/api/v1/cases/${premium.case.caseNumber}`)).json();
    expect(premiumCase.queue).toBe('IT:it:premium');
  });

  it('continues the same case when the buyer quotes its number; another buyer cannot', async () => {
    const opened = (await contact(buyer1, { orderId: 'O-A3' })).json();
    const again = (
      await contact(buyer1, { caseNumber: opened.case.caseNumber, message: 'Ancora niente' })
    ).json();
    expect(again).toMatchObject({ reason: 'continued_case', case: { caseNumber: opened.case.caseNumber } });
    const view = (await buyer1.get(`/api/v1/cases/${opened.case.caseNumber}`)).json();
    expect(view.messages.map((m: { body: string }) => m.body)).toEqual([
      'Dov’è il mio pacco?',
      'Ancora niente',
    ]);
    expect(view.events).toBeUndefined(); // buyers see the conversation, not the internal history
    const stranger = await contact(buyer2, { caseNumber: opened.case.caseNumber });
    expect(stranger.statusCode).toBe(404);
  });

  it('creates one contact for a retried request with the same idempotency key', async () => {
    const key = { 'idempotency-key': 'contact-retry-0001' };
    const a = (await contact(buyer1, { orderId: 'O-A' }, key)).json();
    const b = (await contact(buyer1, { orderId: 'O-A' }, key)).json();
    expect(b.contactId).toBe(a.contactId);
    expect(b.case.caseNumber).toBe(a.case.caseNumber);
    const n = await sql`select 1 from contact where idempotency_key = 'contact-retry-0001'`.execute(t.db);
    expect(n.rows).toHaveLength(1);
  });

  it('opens one case for the same request sent several times at once, booking its agent once', async () => {
    const key = { 'idempotency-key': 'contact-burst-0001' };
    const booked = async () =>
      (await sql<{ n: number }>`select sum(open_cases)::int as n from agent_profile`.execute(t.db)).rows[0]!
        .n;
    const before = await booked();
    const replies = await Promise.all(
      Array.from({ length: 5 }, () => contact(buyer1, { orderId: 'O-A2' }, key)),
    );
    expect(replies.map((r) => r.statusCode)).toEqual(Array(5).fill(replies[0]!.statusCode));
    const numbers = new Set(replies.map((r) => r.json().case.caseNumber));
    expect(numbers.size).toBe(1);
    expect(await booked()).toBe(before + 1);
    const view = (await supervisor.get(`/api/v1/cases/${[...numbers][0]}`)).json();
    expect(view.events.map((e: { kind: string }) => e.kind)).toEqual(['opened', 'assigned']);
    const timers = await sql<{ kind: string }>`select kind from timer t join cs_case c on c.id::text = t.ref
      where c.case_number = ${view.caseNumber} order by kind`.execute(t.db);
    expect(timers.rows.map((r) => r.kind)).toEqual(['sla_breach', 'sla_warning']);
  });

  it('takes a follow-up or a seller-bound contact sent several times at once once', async () => {
    // The case of the retried request above: no new case, so the agents' capacity is left as it was.
    const caseNumber = (
      await sql<{
        case_number: string;
      }>`select c.case_number from cs_case c join contact k on k.case_id = c.id
        where k.idempotency_key = 'contact-retry-0001'`.execute(t.db)
    ).rows[0]!.case_number;
    const followUps = await Promise.all(
      Array.from({ length: 4 }, () =>
        contact(buyer1, { caseNumber, message: 'Ancora io' }, { 'idempotency-key': 'follow-up-0001' }),
      ),
    );
    expect(new Set(followUps.map((r) => r.json().contactId)).size).toBe(1);
    const view = (await buyer1.get(`/api/v1/cases/${caseNumber}`)).json();
    expect(view.messages.filter((m: { body: string }) => m.body === 'Ancora io')).toHaveLength(1);

    const toSeller = await Promise.all(
      Array.from({ length: 4 }, () =>
        contact(buyer2, { orderId: 'O-B' }, { 'idempotency-key': 'to-seller-0001' }),
      ),
    );
    expect(toSeller.map((r) => r.statusCode)).toEqual(Array(4).fill(toSeller[0]!.statusCode));
    expect(new Set(toSeller.map((r) => r.json().contactId)).size).toBe(1);
    const timers =
      await sql`select 1 from timer where kind = 'open_seller_thread' and ref = ${toSeller[0]!.json().contactId}`.execute(
        t.db,
      );
    expect(timers.rows).toHaveLength(1);
  });

  it('leaves a case no agent can take unassigned, its clock running all the same', async () => {
    const english = (await contact(buyer1, { orderId: 'O-A3', language: 'en' })).json(); // no agent speaks it
    expect(english.case.owner).toBeNull();
    const view = (await supervisor.get(`/api/v1/cases/${english.case.caseNumber}`)).json();
    expect(view.events.map((e: { kind: string }) => e.kind)).toEqual(['opened']);
    const timers = await sql<{
      due_at: Date;
    }>`select t.due_at from timer t join cs_case c on c.id::text = t.ref
      where c.case_number = ${english.case.caseNumber} and t.kind = 'sla_breach'`.execute(t.db);
    expect(timers.rows[0]!.due_at.toISOString()).toBe(view.firstResponseDueAt);
  });

  it('refuses a language the marketplace does not speak, naming those it does, writing nothing', async () => {
    const count = async () =>
      (await sql<{ n: number }>`select count(*)::int as n from contact`.execute(t.db)).rows[0]!.n;
    const before = await count();
    const zz = await contact(buyer1, { orderId: 'O-A3', language: 'zz' });
    expect(zz.statusCode).toBe(422);
    expect(zz.json().error).toMatchObject({
      code: 'unsupported_language',
      details: [{ path: 'body.language', code: 'unsupported_language', message: 'one of it, en' }],
    });
    // Also where the contact would not open a case (the seller answers it).
    expect(errorCode(await contact(buyer2, { orderId: 'O-B', language: 'de' }))).toBe('unsupported_language');
    expect(await count()).toBe(before);
  });

  it('refuses someone else’s order, an unknown order and a marketplace mismatch, writing nothing', async () => {
    const before = (await sql<{ n: bigint }>`select count(*) as n from contact`.execute(t.db)).rows[0]!.n;
    expect((await contact(buyer2, { orderId: 'O-A' })).statusCode).toBe(404);
    expect((await contact(buyer1, { orderId: 'O-404' })).statusCode).toBe(404);
    const mismatch = await contact(buyer1, { orderId: 'O-A', marketplace: 'DE' });
    expect(mismatch.statusCode).toBe(400);
    expect(mismatch.json().error.details[0].code).toBe('marketplace_mismatch');
    expect(errorCode(await contact(buyer1, { orderId: 'O-A', message: '' }))).toBe('validation_failed');
    expect((await sql<{ n: bigint }>`select count(*) as n from contact`.execute(t.db)).rows[0]!.n).toBe(
      before,
    );
  });
});

describe('SLA clocks', () => {
  it('follow the marketplace’s own targets for a channel', async () => {
    await admin.put('/api/v1/admin/sla/IT/email', {
      effectiveFrom: '2026-01-01T00:00:00Z',
      firstResponseMinutes: 600,
      nextResponseMinutes: 720,
    });
    const opened = (await contact(buyer1, { orderId: 'O-A3', channel: 'email' })).json();
    const view = (await supervisor.get(`/api/v1/cases/${opened.case.caseNumber}`)).json();
    expect(Date.parse(view.firstResponseDueAt) - Date.parse(view.openedAt)).toBe(600 * 60_000);
    expect(
      (
        await admin.put('/api/v1/admin/sla/XX/email', {
          effectiveFrom: '2026-01-01T00:00:00Z',
          firstResponseMinutes: 1,
          nextResponseMinutes: 1,
        })
      ).statusCode,
    ).toBe(404);
    expect(
      (
        await admin.put('/api/v1/admin/sla/IT/email', {
          effectiveFrom: '2026-01-01T00:00:00Z',
          firstResponseMinutes: 0,
          nextResponseMinutes: 1,
        })
      ).statusCode,
    ).toBe(400);
  });

  it('warn before the first-response breach and record the breach; an answered case gets neither', async () => {
    const late = (await contact(buyer1, { orderId: 'O-A3', message: 'Aiuto' })).json();
    const answered = (await contact(buyer1, { orderId: 'O-A2', message: 'Aiuto 2' })).json();
    const ownerOf = async (n: string) =>
      (
        await sql<{
          owner_user_id: string;
        }>`select owner_user_id from cs_case where case_number = ${n}`.execute(t.db)
      ).rows[0]!.owner_user_id;
    const answeredOwner = await ownerOf(answered.case.caseNumber);
    await agents
      .find((a) => a.id === answeredOwner)!
      .client.post(`/api/v1/cases/${answered.case.caseNumber}/replies`, { message: 'Eccoci' });
    const in90s = new Date(Date.now() + 100_000); // chat: warning at 80 % of 2 minutes = 96 s
    await fireDueTimers(t.db, slaTimerHandlers, in90s);
    const kinds = async (n: string) =>
      (await supervisor.get(`/api/v1/cases/${n}`)).json().events.map((e: { kind: string }) => e.kind);
    expect(await kinds(late.case.caseNumber)).toContain('sla_warning');
    expect(await kinds(late.case.caseNumber)).not.toContain('sla_breached');
    await fireDueTimers(t.db, slaTimerHandlers, new Date(Date.now() + 3 * 60_000));
    expect(await kinds(late.case.caseNumber)).toContain('sla_breached');
    const answeredKinds = await kinds(answered.case.caseNumber);
    expect(answeredKinds).not.toContain('sla_warning');
    expect(answeredKinds).not.toContain('sla_breached');
  });
});

describe('case work', () => {
  it('lets the owner reply, refuses another agent, escalates to a supervisor, resolves and takes one rating', async () => {
    const opened = (await contact(buyer1, { orderId: 'O-A2', message: 'Il pacco è rotto' })).json();
    const number = opened.case.caseNumber;
    const ownerId = (
      await sql<{
        owner_user_id: string;
      }>`select owner_user_id from cs_case where case_number = ${number}`.execute(t.db)
    ).rows[0]!.owner_user_id;
    const ownerClient = agents.find((a) => a.id === ownerId)!.client;
    const other = agents.find((a) => a.id !== ownerId)!.client;

    expect((await other.post(`/api/v1/cases/${number}/replies`, { message: 'Ciao' })).statusCode).toBe(403);
    const replied = (
      await ownerClient.post(`/api/v1/cases/${number}/replies`, { message: 'Ci dispiace, verifichiamo.' })
    ).json();
    expect(replied.status).toBe('waiting_for_buyer');

    const escalated = (
      await buyer1.post(`/api/v1/cases/${number}/escalations`, {
        reason: 'Voglio parlare con un responsabile',
      })
    ).json();
    expect(escalated).toMatchObject({ status: 'escalated', owner: { kind: 'supervisor' } });
    const staff = (await supervisor.get(`/api/v1/cases/${number}`)).json();
    expect(staff).toMatchObject({
      queue: 'IT:supervisors',
      escalationReason: 'Voglio parlare con un responsabile',
    });

    expect((await buyer1.post(`/api/v1/cases/${number}/rating`, { stars: 5, solved: true })).statusCode).toBe(
      409,
    ); // not resolved yet
    const resolved = (
      await supervisor.post(`/api/v1/cases/${number}/resolution`, { note: 'Rimborso concordato' })
    ).json();
    expect(resolved.status).toBe('resolved');
    const rating = await buyer1.post(`/api/v1/cases/${number}/rating`, {
      stars: 4,
      solved: true,
      comment: 'Gentili',
    });
    expect(rating.json()).toEqual({ ratedOwnerKind: 'supervisor', ratedUserId: await idOf(supervisor) });
    expect(
      (await buyer1.post(`/api/v1/cases/${number}/rating`, { stars: 1, solved: false })).statusCode,
    ).toBe(409);
    expect(
      (await buyer2.post(`/api/v1/cases/${number}/rating`, { stars: 1, solved: false })).statusCode,
    ).toBe(404);

    const reopened = (
      await contact(buyer1, { caseNumber: number, message: 'In realtà non è arrivato nulla' })
    ).json();
    expect(reopened.case.status).toBe('reopened');
    const history = (await supervisor.get(`/api/v1/cases/${number}`))
      .json()
      .events.map((e: { kind: string }) => e.kind);
    expect(history).toEqual([
      'opened',
      'assigned',
      'agent_replied',
      'escalated',
      'assigned',
      'resolved',
      'rated',
      'reopened',
    ]);
  });

  it('never shows a case to a seller', async () => {
    const opened = (await contact(buyer1, { orderId: 'O-A' })).json();
    expect((await sellerA.get(`/api/v1/cases/${opened.case.caseNumber}`)).statusCode).toBe(403);
  });

  it('gives concurrent pulls different cases, never the same one', async () => {
    // No agent available: new cases wait unassigned in the queue.
    for (const a of agents)
      await admin.put(`/api/v1/admin/agents/${a.id}`, {
        marketplaces: ['IT'],
        languages: ['it'],
        capacity: 5,
        available: false,
      });
    const buyer3 = await t.buyerToken('B-3');
    for (let i = 0; i < 8; i++) await contact(buyer3, { orderId: `O-C${i}` });
    const pullers: TestClient[] = [];
    for (let i = 0; i < 6; i++) {
      const client = await t.user('agent');
      await admin.put(`/api/v1/admin/agents/${await idOf(client)}`, {
        marketplaces: ['IT'],
        languages: ['it'],
        capacity: 20,
      });
      pullers.push(client);
    }
    const results = await Promise.all([...pullers, ...pullers].map((c) => c.post('/api/v1/agent/next-case')));
    const numbers = results.map((r) => r.json().case?.caseNumber).filter(Boolean);
    expect(numbers.length).toBe(8); // eight cases waited, twelve pulls: four come back empty
    expect(new Set(numbers).size).toBe(8);
    const queue = (await pullers[0]!.get('/api/v1/agent/cases')).json();
    expect(
      queue.every(
        (
          c: { nextResponseDueAt: string | null; firstResponseDueAt: string },
          i: number,
          all: { firstResponseDueAt: string }[],
        ) => i === 0 || all[i - 1]!.firstResponseDueAt <= c.firstResponseDueAt,
      ),
    ).toBe(true);
  });
});

describe('cases no agent can take, and reassignment', () => {
  const caseRow = async (n: string) =>
    (
      await sql<{ queue: string; language: string; owner_user_id: string | null }>`
      select queue, language, owner_user_id from cs_case where case_number = ${n}`.execute(t.db)
    ).rows[0]!;
  const slaTimers = async (n: string) =>
    (
      await sql<{ kind: string; due_at: Date; fired_at: Date | null }>`select t.kind, t.due_at, t.fired_at
      from timer t join cs_case c on c.id::text = t.ref where c.case_number = ${n} order by t.kind`.execute(
        t.db,
      )
    ).rows;
  const unassignable = async () =>
    (await supervisor.get('/api/v1/supervisor/unassignable-cases')).json().cases as {
      caseNumber: string;
      reason: string;
      queue: string;
    }[];
  let english: string;

  it('lists open unassigned cases whose queue nobody serves, or nobody available serves, with the reason', async () => {
    // The English case above: nobody speaks English in IT. The one premium agent is away.
    await admin.put(`/api/v1/admin/agents/${agents[1]!.id}`, {
      marketplaces: ['IT'],
      languages: ['it'],
      premium: true,
      available: false,
    });
    english = (
      await sql<{
        case_number: string;
      }>`select case_number from cs_case where queue = 'IT:en' limit 1`.execute(t.db)
    ).rows[0]!.case_number;
    const premium = (await contact(buyer2, { orderId: 'O-P', topic: 'damaged_or_wrong' })).json();
    expect(premium.case.owner).toBeNull();
    const res = await supervisor.get('/api/v1/supervisor/unassignable-cases');
    expect(res.statusCode).toBe(200);
    expect(res.json().definition).toMatch(/no_agent_serves_queue.*no_agent_available/s);
    const listed = await unassignable();
    expect(listed).toContainEqual(
      expect.objectContaining({ caseNumber: english, reason: 'no_agent_serves_queue', queue: 'IT:en' }),
    );
    expect(listed).toContainEqual(
      expect.objectContaining({
        caseNumber: premium.case.caseNumber,
        reason: 'no_agent_available',
        queue: 'IT:it:premium',
      }),
    );
    // A case in a queue an available agent serves waits its turn: not listed.
    const waiting = await sql<{ case_number: string }>`select case_number from cs_case
      where queue = 'IT:it' and owner_kind = 'unassigned' and status not in ('resolved', 'closed')`.execute(
      t.db,
    );
    for (const w of waiting.rows) expect(listed.map((c) => c.caseNumber)).not.toContain(w.case_number);
    expect((await agents[0]!.client.get('/api/v1/supervisor/unassignable-cases')).statusCode).toBe(403);
    expect((await admin.get('/api/v1/supervisor/unassignable-cases')).statusCode).toBe(200);
  });

  it('moves a case to a queue of its marketplace, books an agent there and records who and why; the clock runs on', async () => {
    const timers = await slaTimers(english);
    const to = (body: Record<string, unknown>) =>
      supervisor.post(`/api/v1/cases/${english}/reassignment`, { note: 'Buyer writes Italian too', ...body });
    expect(errorCode(await to({ queue: 'IT:zz' }))).toBe('unsupported_language');
    expect(errorCode(await to({ queue: 'DE:de' }))).toBe('validation_failed');
    expect(errorCode(await to({ queue: 'IT:supervisors' }))).toBe('validation_failed');
    expect(errorCode(await to({ queue: 'IT:it', agentId: agents[0]!.id }))).toBe('validation_failed');
    expect(errorCode(await to({ agentId: agents[0]!.id }))).toBe('not_eligible'); // does not speak English
    expect(
      errorCode(
        await agents[0]!.client.post(`/api/v1/cases/${english}/reassignment`, {
          queue: 'IT:it',
          note: 'mine',
        }),
      ),
    ).toBe('forbidden');
    expect(await caseRow(english)).toMatchObject({ queue: 'IT:en', owner_user_id: null });

    const moved = await to({ queue: 'IT:it' });
    expect(moved.statusCode).toBe(200);
    expect(moved.json()).toMatchObject({ queue: 'IT:it', owner: { kind: 'agent' } }); // an available puller
    expect(await caseRow(english)).toMatchObject({ queue: 'IT:it', language: 'it' });
    expect(await slaTimers(english)).toEqual(timers);
    const view = (await supervisor.get(`/api/v1/cases/${english}`)).json();
    expect(view.events.filter((e: { kind: string }) => e.kind === 'reassigned')).toEqual([
      expect.objectContaining({
        actor: 'supervisor',
        actorUserId: await idOf(supervisor),
        data: expect.objectContaining({
          fromQueue: 'IT:en',
          queue: 'IT:it',
          note: 'Buyer writes Italian too',
        }),
      }),
    ]);
    expect(await unassignable()).not.toContainEqual(expect.objectContaining({ caseNumber: english }));
  });

  it('gives a case to an agent who serves its queue, even one marked unavailable; an admin may too', async () => {
    const before = await caseRow(english);
    const given = await admin.post(`/api/v1/cases/${english}/reassignment`, {
      agentId: agents[0]!.id,
      note: 'Knows this buyer',
    });
    expect(given.statusCode).toBe(200);
    expect((await caseRow(english)).owner_user_id).toBe(agents[0]!.id);
    expect(
      (await agents[0]!.client.post(`/api/v1/cases/${english}/replies`, { message: 'Eccomi' })).statusCode,
    ).toBe(200);
    const last = (await supervisor.get(`/api/v1/cases/${english}`))
      .json()
      .events.filter((e: { kind: string }) => e.kind === 'reassigned')
      .at(-1);
    expect(last).toMatchObject({
      kind: 'reassigned',
      actorUserId: await idOf(admin),
      data: { from: before.owner_user_id, to: agents[0]!.id, note: 'Knows this buyer', byRole: 'admin' },
    });
    const again = await admin.post(`/api/v1/cases/${english}/reassignment`, {
      agentId: agents[0]!.id,
      note: 'Again',
    });
    expect(again.statusCode).toBe(409);
    const unknown = await admin.post(`/api/v1/cases/${english}/reassignment`, {
      agentId: '00000000-0000-4000-8000-000000000000',
      note: 'Nobody',
    });
    expect(unknown.statusCode).toBe(404);
  });
});

describe('idempotency keys belong to their caller and their request', () => {
  const contactsWithKey = async (key: string) =>
    (
      await sql<{ n: number }>`select count(*)::int as n from contact where idempotency_key = ${key}`.execute(
        t.db,
      )
    ).rows[0]!.n;
  const messages = async (caseNumber: string) =>
    (await buyer1.get(`/api/v1/cases/${caseNumber}`)).json().messages.map((m: { body: string }) => m.body);

  it('gives another buyer sending the same key its own case, never the first buyer’s', async () => {
    const key = { 'idempotency-key': 'shared-key-0001' };
    const mine = (await contact(buyer1, { orderId: 'O-K1', message: 'Il mio pacco' }, key)).json();
    const theirs = await contact(buyer2, { orderId: 'O-K2', message: 'Il pacco di B-2' }, key);
    expect(theirs.statusCode).toBe(200);
    expect(theirs.json().contactId).not.toBe(mine.contactId);
    expect(theirs.json().case.caseNumber).not.toBe(mine.case.caseNumber);
    const view = (await buyer2.get(`/api/v1/cases/${theirs.json().case.caseNumber}`)).json();
    expect(view.messages.map((m: { body: string }) => m.body)).toEqual(['Il pacco di B-2']);
    expect(await messages(mine.case.caseNumber)).toEqual(['Il mio pacco']);
    // An agent recording a contact with the same key is a third caller.
    const recorded = await contact(agents[0]!.client, { orderId: 'O-K1', message: 'Al telefono' }, key);
    expect(recorded.json().contactId).not.toBe(mine.contactId);
    expect(await contactsWithKey('shared-key-0001')).toBe(3);
  });

  it('refuses the same key with another request, writing nothing, and replays the same one', async () => {
    const key = { 'idempotency-key': 'reused-key-0001' };
    const first = (await contact(buyer1, { orderId: 'O-K1', message: 'Prima domanda' }, key)).json();
    const replay = await contact(buyer1, { orderId: 'O-K1', message: 'Prima domanda' }, key);
    expect(replay.json()).toEqual(first);
    const otherMessage = await contact(buyer1, { orderId: 'O-K1', message: 'Altra domanda' }, key);
    expect(otherMessage.statusCode).toBe(422);
    expect(errorCode(otherMessage)).toBe('idempotency_key_reused');
    const otherOrder = await contact(buyer1, { orderId: 'O-A', message: 'Prima domanda' }, key);
    expect(errorCode(otherOrder)).toBe('idempotency_key_reused');
    const followUp = await contact(buyer1, { caseNumber: first.case.caseNumber, message: 'Seguito' }, key);
    expect(errorCode(followUp)).toBe('idempotency_key_reused');
    expect(await messages(first.case.caseNumber)).toEqual(['Prima domanda']);
    expect(await contactsWithKey('reused-key-0001')).toBe(1);

    // The same on the paths that continue a case and that go to the seller.
    const followKey = { 'idempotency-key': 'reused-follow-0001' };
    await contact(buyer1, { caseNumber: first.case.caseNumber, message: 'Seguito' }, followKey);
    const again = await contact(buyer1, { caseNumber: first.case.caseNumber, message: 'Altro' }, followKey);
    expect(errorCode(again)).toBe('idempotency_key_reused');
    expect(await messages(first.case.caseNumber)).toEqual(['Prima domanda', 'Seguito']);
    const sellerKey = { 'idempotency-key': 'reused-seller-0001' };
    await contact(buyer2, { orderId: 'O-B' }, sellerKey);
    expect(errorCode(await contact(buyer2, { orderId: 'O-B', topic: 'delivery' }, sellerKey))).toBe(
      'idempotency_key_reused',
    );
    expect(await contactsWithKey('reused-seller-0001')).toBe(1);
  });

  it('opens one case when two different requests with one key arrive at once, and refuses the other', async () => {
    const key = { 'idempotency-key': 'racing-key-0001' };
    const replies = await Promise.all([
      contact(buyer2, { orderId: 'O-K3', message: 'Uno' }, key),
      contact(buyer2, { orderId: 'O-K3', message: 'Due' }, key),
    ]);
    expect(replies.map((r) => r.statusCode).sort()).toEqual([200, 422]);
    expect(await contactsWithKey('racing-key-0001')).toBe(1);
  });
});

describe('open-case counts used for fair assignment', () => {
  it('match a recount after every assignment, escalation, resolution, reopening and reassignment above', async () => {
    const rows = await sql<{ kept: number; actual: bigint }>`
      select p.open_cases as kept, (select count(*) from cs_case c where c.owner_user_id = p.user_id
        and c.status not in ('resolved', 'closed')) as actual from agent_profile p`.execute(t.db);
    expect(rows.rows.length).toBeGreaterThan(5);
    for (const r of rows.rows) expect(BigInt(r.kept)).toBe(r.actual);
  });
});
