// The words of a case in one row (migration 0075), kept by triggers whatever code writes the
// messages: e-mails and notes, live chats joining a case before or after their messages, edits.
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { type TestClient, testApp } from '../../../../test/helpers/app';
import { buyer, order, twoSellers } from '../../../../test/helpers/fixtures';
import { enrol } from '../programs';

const t = await testApp();
let agent: TestClient;
const cases: Record<string, { id: string; number: string }> = {};

const found = async (text: string) => {
  const res = await agent.get(`/api/v1/cases?text=${encodeURIComponent(text)}`);
  expect(res.statusCode, res.body).toBe(200);
  return (res.json().cases as { caseNumber: string }[]).map((c) => c.caseNumber).sort();
};
const wordsOf = async (caseId: string) =>
  (
    await sql<{ words: string }>`select search_vector::text as words from case_search_text
      where case_id = ${caseId}::uuid`.execute(t.db)
  ).rows[0]?.words;

async function openCase(key: string, client: TestClient, orderId: string, message: string) {
  const res = await client.post('/api/v1/contacts', {
    marketplace: 'IT',
    channel: 'email',
    topic: 'order_status',
    orderId,
    message,
  });
  expect(res.statusCode, res.body).toBe(200);
  const number = res.json().case.caseNumber as string;
  const id = (await sql<{ id: string }>`select id from cs_case where case_number = ${number}`.execute(t.db))
    .rows[0]!.id;
  cases[key] = { id, number };
}

const addMessage = (caseId: string, body: string) =>
  sql`insert into case_message (case_id, author_kind, channel, body, sent_at)
    values (${caseId}::uuid, 'agent', 'email', ${body}, now())`.execute(t.db);

beforeAll(async () => {
  await t.seed([
    ...twoSellers(),
    buyer('B-9'),
    order('O-T1', 'S-A', 'B-1', 'P-A'),
    order('O-T2', 'S-A', 'B-9', 'P-A'),
  ]);
  // A case opens for an enrolled seller's order only.
  const sA = (await sql<{ id: string }>`select id from seller where external_id = 'S-A'`.execute(t.db))
    .rows[0]!.id;
  await t.db.transaction().execute((tx) => enrol(tx, sA, 'IT', 'seller', new Date('2026-01-01T00:00:00Z')));
  agent = await t.user('agent');
  await openCase('first', await t.buyerToken('B-1'), 'O-T1', 'Il pacco è arrivato rotto');
  await openCase('second', await t.buyerToken('B-9'), 'O-T2', 'Dove è il mio ordine?');
});

describe('the words of a case, in one row', () => {
  it('holds the words of all its messages: together they match, and -word excludes the case', async () => {
    await addMessage(cases.first!.id, 'Il corriere ha lasciato il pacco al vicino');
    expect(await found('rotto corriere')).toEqual([cases.first!.number]);
    expect(await found('"lasciato il pacco"')).toEqual([cases.first!.number]);
    expect(await found('pacco -vicino')).toEqual([]);
  });

  it('takes a live chat’s messages when the chat joins the case, and those written after', async () => {
    const { id: caseId, number } = cases.first!;
    const conversation = (
      await sql<{
        id: string;
      }>`insert into conversation (marketplace_id, buyer_id, language, created_at, updated_at)
        select marketplace_id, buyer_id, 'it', now(), now() from cs_case where id = ${caseId}::uuid
        returning id`.execute(t.db)
    ).rows[0]!.id;
    const say = (seq: number, body: string) =>
      sql`insert into chat_message (conversation_id, seq, author_kind, body, created_at)
        values (${conversation}::uuid, ${seq}, 'buyer', ${body}, now())`.execute(t.db);
    await say(1, 'Il codice è ZX4471');
    expect(await found('ZX4471')).toEqual([]); // the bot's chat is no case's yet
    await sql`update conversation set case_id = ${caseId}::uuid where id = ${conversation}::uuid`.execute(
      t.db,
    );
    expect(await found('ZX4471')).toEqual([number]);
    await say(2, 'E anche QW9012');
    expect(await found('QW9012')).toEqual([number]);
    // Moved to another case, the chat's words go with it.
    await sql`update conversation set case_id = ${cases.second!.id}::uuid where id = ${conversation}::uuid`.execute(
      t.db,
    );
    expect(await found('ZX4471 QW9012')).toEqual([cases.second!.number]);
    expect(await found('rotto')).toEqual([number]);
  });

  it('follows an edited message, and is what rebuilding it from the messages gives', async () => {
    await sql`update case_message set body = 'Il pacco è arrivato bagnato'
      where case_id = ${cases.first!.id}::uuid and body like '%rotto%'`.execute(t.db);
    expect(await found('rotto')).toEqual([]);
    expect(await found('bagnato')).toEqual([cases.first!.number]);
    for (const { id } of Object.values(cases)) {
      await addMessage(id, 'Grazie, a presto');
      const kept = await wordsOf(id);
      await sql`select case_search_rebuild(${id}::uuid)`.execute(t.db);
      expect(await wordsOf(id)).toEqual(kept);
    }
  });

  it('keeps the words it has rather than refuse a message past a tsvector’s size', async () => {
    const { id } = cases.second!;
    const before = await wordsOf(id);
    // 60 000 distinct 20-letter words: 1.2 MB of lexemes, more than one tsvector holds.
    const huge = sql`(select string_agg(md5(g::text)::varchar(20), ' ') from generate_series(1, 30000) g)`;
    await sql`insert into case_message (case_id, author_kind, channel, body, sent_at)
      values (${id}::uuid, 'agent', 'email', ${huge}, now())`.execute(t.db);
    await sql`insert into case_message (case_id, author_kind, channel, body, sent_at)
      select ${id}::uuid, 'agent', 'email', string_agg(md5(g::text || 'x')::varchar(20), ' '), now()
      from generate_series(1, 30000) g`.execute(t.db);
    const has = async (word: string) =>
      (
        await sql<{
          has: boolean;
        }>`select search_vector @@ plainto_tsquery('simple', md5(${word})::varchar(20)) as has
          from case_search_text where case_id = ${id}::uuid`.execute(t.db)
      ).rows[0]!.has;
    expect(await has('1')).toBe(true);
    expect(await has('1x')).toBe(false);
    expect((await wordsOf(id))!.length).toBeGreaterThan(before!.length);
    expect(await found('ordine')).toEqual([cases.second!.number]);
  });
});
