import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { errorCode, type TestClient, testApp } from '../../../../test/helpers/app';
import { buyer, marketplaces, order, twoSellers } from '../../../../test/helpers/fixtures';
import { enrol } from '../programs';
import { renderSavedReply, unknownPlaceholders } from './saved-replies';

const t = await testApp();
let agent: TestClient;
let supervisor: TestClient;
let admin: TestClient;
let seller: TestClient;
let buyer1: TestClient;
let buyer2: TestClient;
const numbers: Record<string, string> = {};

const idOf = async (client: TestClient) =>
  (await client.get('/api/v1/auth/session')).json().user.id as string;
const contact = async (client: TestClient, body: Record<string, unknown>) => {
  const res = await client.post('/api/v1/contacts', {
    marketplace: 'IT',
    channel: 'email',
    topic: 'order_status',
    ...body,
  });
  expect(res.statusCode).toBe(200);
  return res.json().case.caseNumber as string;
};
const search = async (client: TestClient, query: string) => {
  const res = await client.get(`/api/v1/cases?${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { cases: { caseNumber: string; status: string }[]; nextCursor: string | null };
};
const found = async (query: string) => (await search(agent, query)).cases.map((c) => c.caseNumber).sort();

beforeAll(async () => {
  await t.seed([
    ...twoSellers(),
    buyer('B-3', { name: 'Zoë <script>alert(1)</script>', email: 'Zoe.Mixed@Buyers.Example' }),
    order('O-S1', 'S-A', 'B-3', 'P-A'),
    order('O-S2', 'S-A', 'B-1', 'P-A'),
    order('O-S3', 'S-A', 'B-2', 'P-A'),
  ]);
  await t.seed([{ ...marketplaces().find((m) => m.id === 'IT')!, languages: ['it', 'en'] }]);
  const sA = (await sql<{ id: string }>`select id from seller where external_id = 'S-A'`.execute(t.db))
    .rows[0]!.id;
  await t.db.transaction().execute((tx) => enrol(tx, sA, 'IT', 'seller', new Date('2026-01-01T00:00:00Z')));
  admin = await t.user('admin');
  agent = await t.user('agent');
  await admin.put(`/api/v1/admin/agents/${await idOf(agent)}`, {
    marketplaces: ['IT'],
    languages: ['it', 'en'],
    capacity: 50,
  });
  supervisor = await t.user('supervisor');
  seller = await t.user('seller', { sellerExternalId: 'S-A' });
  buyer1 = await t.buyerToken('B-1');
  buyer2 = await t.buyerToken('B-2');
  const buyer3 = await t.buyerToken('B-3');
  numbers.broken = await contact(buyer1, {
    orderId: 'O-A',
    message: 'Il pacco è arrivato rotto, lo voglio restituire',
  });
  numbers.late = await contact(buyer1, { orderId: 'O-S2', message: 'Dov’è il mio ordine? Nessuna notizia' });
  numbers.english = await contact(buyer2, {
    orderId: 'O-S3',
    language: 'en',
    message: 'Both parcels arrived damaged and the lids were missing',
  });
  numbers.zoe = await contact(buyer3, { orderId: 'O-S1', message: 'Fattura per favore' });
});

describe('case search', () => {
  it('finds a case by its number, its order and its buyer’s e-mail in any letter case', async () => {
    expect(await found(`caseNumber=${numbers.broken}`)).toEqual([numbers.broken]);
    expect(await found(`caseNumber=${numbers.broken!.toLowerCase()}`)).toEqual([numbers.broken]);
    expect(await found('order=O-S3')).toEqual([numbers.english]);
    expect(await found('buyerEmail=zoe.mixed%40buyers.example')).toEqual([numbers.zoe]);
    expect(await found('buyerEmail=b-1%40buyers.example')).toEqual([numbers.broken, numbers.late].sort());
    expect(await found('order=NO-SUCH-ORDER')).toEqual([]);
  });

  it('finds words in the messages stemmed in the case’s language', async () => {
    // Italian stemming: "rotta" finds "rotto"; English: "parcel" finds "parcels", "damage" finds "damaged".
    expect(await found('text=rotta')).toEqual([numbers.broken]);
    expect(await found('text=parcel%20damage')).toEqual([numbers.english]);
    expect(await found('text=parcel&textLanguage=en')).toEqual([numbers.english]);
    expect(await found('text=%22lids%20were%20missing%22')).toEqual([numbers.english]);
    expect(await found('text=parcel%20-damaged')).toEqual([]);
    expect(await found('text=rotta&order=O-S2')).toEqual([]);
  });

  it('filters by status, queue and marketplace and combines the filters', async () => {
    expect(await found('queue=IT:en')).toEqual([numbers.english]);
    const all = await found('marketplace=IT');
    expect(all).toHaveLength(4);
    expect(await found('marketplace=DE')).toEqual([]);
    const statuses = (await search(agent, 'marketplace=IT')).cases.map((c) => c.status);
    const one = statuses[0]!;
    expect((await found(`status=${one}`)).length).toBe(statuses.filter((s) => s === one).length);
    expect(await found('status=closed')).toEqual([]);
  });

  it('pages through the results newest first with a cursor, never repeating or skipping a case', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await search(agent, `marketplace=IT&limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.cases.map((c) => c.caseNumber));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(4);
    expect(new Set(seen).size).toBe(4);
    expect(seen).toEqual((await search(agent, 'marketplace=IT')).cases.map((c) => c.caseNumber));
  });

  it('pages through words found in several cases, a full page from the newest cases first, then from the index', async () => {
    // limit=1: the first page fills from the newest cases checked one by one, the last one does not
    // and is answered from the text index; together they are the one-page answer, in the same order.
    const all = (await search(agent, 'text=rotta%20or%20fattura%20or%20lids')).cases.map((c) => c.caseNumber);
    expect([...all].sort()).toEqual([numbers.broken, numbers.english, numbers.zoe].sort());
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await search(
        agent,
        `text=rotta%20or%20fattura%20or%20lids&limit=1${cursor ? `&cursor=${cursor}` : ''}`,
      );
      seen.push(...page.cases.map((c) => c.caseNumber));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(seen).toEqual(all);
    // Each case's words in its own language on the walk too: "rotta" is Italian, not found as English.
    expect(await found('text=rotta%20or%20fattura&textLanguage=en&limit=1')).toEqual([]);
  });

  it('returns names as stored (escaping is the page’s job) and refuses bad input with a stable code', async () => {
    const zoe = (await search(agent, `caseNumber=${numbers.zoe}`)).cases[0] as unknown as Record<
      string,
      unknown
    >;
    expect(zoe).toMatchObject({ buyerName: 'Zoë <script>alert(1)</script>', orderNumber: 'O-S1' });
    expect(errorCode(await agent.get('/api/v1/cases?cursor=garbage'))).toBe('validation_failed');
    expect(errorCode(await agent.get('/api/v1/cases?status=lost'))).toBe('validation_failed');
    expect(errorCode(await agent.get('/api/v1/cases?limit=1000'))).toBe('validation_failed');
    expect(errorCode(await agent.get('/api/v1/cases?text=a%00b'))).toBe('invalid_text');
  });

  it('is for agents and supervisors only: sellers and buyers get 403 (K5), strangers 401', async () => {
    expect((await supervisor.get('/api/v1/cases?text=rotta')).statusCode).toBe(200);
    expect((await seller.get('/api/v1/cases?text=rotta')).statusCode).toBe(403);
    expect((await buyer1.get('/api/v1/cases')).statusCode).toBe(403);
    expect((await t.anonymous().get('/api/v1/cases')).statusCode).toBe(401);
  });
});

describe('saved replies', () => {
  it('fills the placeholders and leaves a missing one visible for the agent', () => {
    const values = {
      buyerName: 'Anna',
      orderNumber: null,
      caseNumber: 'IT-0000001',
      agentName: 'Marco',
      marketplace: 'Italia',
    };
    expect(
      renderSavedReply('Ciao {{buyerName}}, caso {{ caseNumber }}. {{orderNumber}} {{other}}', values),
    ).toEqual({
      text: 'Ciao Anna, caso IT-0000001. {{orderNumber}} {{other}}',
      missing: ['orderNumber'],
    });
    expect(unknownPlaceholders('{{buyerName}} {{nope}} {{nope}}')).toEqual(['nope']);
  });

  it('are kept by supervisors and admins, read by agents, and rendered for a case', async () => {
    const created = await supervisor.post('/api/v1/admin/saved-replies', {
      language: 'it',
      title: 'Reso avviato',
      body: 'Gentile {{buyerName}}, per l’ordine {{orderNumber}} (caso {{caseNumber}}) abbiamo avviato il reso. {{agentName}}',
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as string;
    const forIt = await admin.post('/api/v1/admin/saved-replies', {
      marketplace: 'DE',
      language: 'de',
      title: 'Danke',
      body: 'Danke, {{buyerName}}!',
    });
    expect(forIt.statusCode).toBe(201);

    const list = (await agent.get('/api/v1/saved-replies?language=it&marketplace=IT')).json();
    expect(list.placeholders).toContain('buyerName');
    expect(list.replies.map((r: { title: string }) => r.title)).toEqual(['Reso avviato']);
    expect((await agent.get('/api/v1/saved-replies?marketplace=IT')).json().replies).toHaveLength(1);
    expect((await agent.get('/api/v1/saved-replies')).json().replies).toHaveLength(2);

    const rendered = (await agent.get(`/api/v1/cases/${numbers.broken}/saved-replies/${id}`)).json();
    expect(rendered.text).toMatch(
      /^Gentile Buyer B-1, per l’ordine O-A \(caso IT-\d{7}\) abbiamo avviato il reso\. /,
    );
    expect(rendered.missing).toEqual([]);

    const changed = await supervisor.put(`/api/v1/admin/saved-replies/${id}`, {
      language: 'it',
      title: 'Reso avviato',
      body: 'Ciao {{buyerName}}',
    });
    expect(changed.json().body).toBe('Ciao {{buyerName}}');
    expect((await agent.get(`/api/v1/cases/${numbers.zoe}/saved-replies/${id}`)).json().text).toBe(
      'Ciao Zoë <script>alert(1)</script>',
    );
    expect((await supervisor.delete(`/api/v1/admin/saved-replies/${id}`)).statusCode).toBe(204);
    expect((await agent.get('/api/v1/saved-replies?language=it')).json().replies).toEqual([]);
    expect(errorCode(await agent.get(`/api/v1/cases/${numbers.broken}/saved-replies/${id}`))).toBe(
      'not_found',
    );
    expect(errorCode(await supervisor.delete(`/api/v1/admin/saved-replies/${id}`))).toBe('not_found');
  });

  it('refuses unknown placeholders, duplicate titles, unknown marketplaces and callers who may not edit', async () => {
    const bad = await supervisor.post('/api/v1/admin/saved-replies', {
      language: 'en',
      title: 'Oops',
      body: 'Hello {{firstName}}',
    });
    expect(errorCode(bad)).toBe('validation_failed');
    expect(bad.json().error.details[0].code).toBe('unknown_placeholder');
    const body = { language: 'en', title: 'Thanks', body: 'Thanks {{buyerName}}' };
    expect((await supervisor.post('/api/v1/admin/saved-replies', body)).statusCode).toBe(201);
    expect(
      errorCode(await supervisor.post('/api/v1/admin/saved-replies', { ...body, title: 'THANKS' })),
    ).toBe('conflict');
    expect(
      errorCode(await supervisor.post('/api/v1/admin/saved-replies', { ...body, marketplace: 'ZZ' })),
    ).toBe('unknown_reference');
    expect(errorCode(await supervisor.post('/api/v1/admin/saved-replies', { ...body, language: 'pt' }))).toBe(
      'validation_failed',
    );
    expect((await agent.post('/api/v1/admin/saved-replies', { ...body, title: 'Mine' })).statusCode).toBe(
      403,
    );
    expect((await seller.get('/api/v1/saved-replies')).statusCode).toBe(403);
    expect((await buyer1.get('/api/v1/saved-replies')).statusCode).toBe(403);
    const count = await sql<{
      n: number;
    }>`select count(*)::int as n from saved_reply where deleted_at is null`.execute(t.db);
    expect(count.rows[0]!.n).toBe(2); // the English "Thanks" and the German "Danke": nothing else was saved
  });
});

describe('queue board', () => {
  it('shows per queue the waiting cases, the oldest wait, breaches and available agents', async () => {
    // A case waits with nobody to take it: the only agent is unavailable and its due time has passed.
    await admin.put(`/api/v1/admin/agents/${await idOf(agent)}`, {
      marketplaces: ['IT'],
      languages: ['it', 'en'],
      available: false,
    });
    await sql`update cs_case set owner_kind = 'unassigned', owner_user_id = null, status = 'waiting_for_agent',
        first_response_due_at = now() - interval '1 hour', opened_at = now() - interval '2 hours'
      where case_number = ${numbers.late}`.execute(t.db);
    const res = await supervisor.get('/api/v1/supervisor/queue-board');
    expect(res.statusCode).toBe(200);
    const it = res.json().queues.find((q: { queue: string }) => q.queue === 'IT:it');
    expect(it).toMatchObject({ marketplace: 'IT', language: 'it', premium: false, agentsAvailable: 0 });
    expect(it.waiting).toBeGreaterThanOrEqual(1);
    expect(it.breached).toBeGreaterThanOrEqual(1);
    expect(Date.now() - Date.parse(it.oldestWaitingSince)).toBeGreaterThan(2 * 3600_000 - 60_000);
    expect(res.json().queues.find((q: { queue: string }) => q.queue === 'IT:en')).toMatchObject({
      language: 'en',
    });
  });

  it('is for supervisors and admins: agents and sellers get 403', async () => {
    expect((await admin.get('/api/v1/supervisor/queue-board')).statusCode).toBe(200);
    expect((await agent.get('/api/v1/supervisor/queue-board')).statusCode).toBe(403);
    expect((await seller.get('/api/v1/supervisor/queue-board')).statusCode).toBe(403);
    expect((await buyer1.get('/api/v1/supervisor/queue-board')).statusCode).toBe(403);
  });
});

describe('waiting on supervisors', () => {
  it('lists escalated cases and concessions waiting for approval, for supervisors only', async () => {
    const escalated = await agent.post(`/api/v1/cases/${numbers.english}/escalations`, {
      reason: 'Buyer asks for a manager',
    });
    expect(escalated.statusCode, escalated.body).toBe(200);
    await sql`insert into approval_limit (marketplace_id, role, effective_from, max_amount)
      values ('IT', 'agent', '-infinity', 1000)`.execute(t.db);
    const options = (
      await agent.get(`/api/v1/cases/${numbers.broken}/concession-options?reason=goodwill`)
    ).json();
    const refund = options.options.find(
      (o: { allowed: boolean; maxAmount: number; action: string }) =>
        o.allowed && o.maxAmount > 1000 && o.action.includes('refund'),
    );
    expect(refund, JSON.stringify(options)).toBeDefined();
    const pending = await agent.post(
      `/api/v1/cases/${numbers.broken}/concessions`,
      { action: refund.action, reason: 'goodwill', lines: [{ lineNo: 1, amount: 1500 }] },
      { 'idempotency-key': 'console-waiting-1' },
    );
    expect(pending.json().status, pending.body).toBe('pending_approval');
    const res = await supervisor.get('/api/v1/supervisor/waiting');
    expect(res.statusCode).toBe(200);
    expect(res.json().escalations.map((e: { caseNumber: string }) => e.caseNumber)).toContain(
      numbers.english,
    );
    expect(res.json().approvals).toEqual([
      expect.objectContaining({
        caseNumber: numbers.broken,
        action: refund.action,
        amount: 1500,
        currency: 'EUR',
      }),
    ]);
    expect((await agent.get('/api/v1/supervisor/waiting')).statusCode).toBe(403);
    expect((await seller.get('/api/v1/supervisor/waiting')).statusCode).toBe(403);
  });
});
