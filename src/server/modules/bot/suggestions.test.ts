import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { errorCode, type TestClient, testApp } from '../../../../test/helpers/app';
import { twoSellers } from '../../../../test/helpers/fixtures';
import { enrol } from '../programs';
import { loadCorpus } from './corpus';
import { acceptedExamples } from './suggestions';
import { buildBotModel, understand } from './understand';

const t = await testApp();
let buyer: TestClient;
let supervisor: TestClient;
let agent: TestClient;

beforeAll(async () => {
  await t.seed(twoSellers());
  const sA = (await sql<{ id: string }>`select id from seller where external_id = 'S-A'`.execute(t.db))
    .rows[0]!.id;
  await t.db.transaction().execute((tx) => enrol(tx, sA, 'IT', 'seller', new Date('2026-01-01T00:00:00Z')));
  buyer = await t.buyerToken('B-1');
  const admin = await t.user('admin');
  supervisor = await t.user('supervisor');
  const id = (await supervisor.get('/api/v1/auth/session')).json().user.id as string;
  await admin.put(`/api/v1/admin/agents/${id}`, { marketplaces: ['IT'], languages: ['it', 'en'] });
  agent = await t.user('agent');
  const agentId = (await agent.get('/api/v1/auth/session')).json().user.id as string;
  await admin.put(`/api/v1/admin/agents/${agentId}`, {
    marketplaces: ['IT'],
    languages: ['it'],
    capacity: 5,
  });
});

const it_ = { languages: ['it'], conversationLanguage: 'it', timeZone: 'Europe/Rome', currency: 'EUR' };
// An Italian idiom the corpus does not hold: "my gadget has been throwing tantrums since Monday".
const MESSAGE = 'il mio trabiccolo fa le bizze da lunedì';

describe('learning from people: the review list', () => {
  it('a case a person settles suggests its first message; once accepted, the bot learns it at the next build', async () => {
    const contact = await buyer.post('/api/v1/contacts', {
      marketplace: 'IT',
      channel: 'email',
      topic: 'damaged_or_wrong',
      orderId: 'O-A',
      message: MESSAGE,
    });
    expect(contact.statusCode).toBe(200);
    const number = contact.json().case.caseNumber as string;
    const corpus = loadCorpus().filter((e) => e.lang === 'it');
    const before = understand(buildBotModel(corpus), MESSAGE, { ...it_, now: new Date() });
    expect(before.intent).not.toBe('damaged_item');

    expect((await agent.post(`/api/v1/cases/${number}/resolution`, { note: 'sostituito' })).statusCode).toBe(
      200,
    );
    const listed = (await agent.get('/api/v1/bot/suggestions')).json().suggestions;
    expect(listed).toEqual([
      expect.objectContaining({
        message: MESSAGE,
        language: 'it',
        topic: 'damaged_or_wrong',
        status: 'pending',
      }),
    ]);
    expect((await buyer.get('/api/v1/bot/suggestions')).statusCode).toBe(403); // staff only

    const id = listed[0].id as string;
    const bad = await supervisor.post(`/api/v1/bot/suggestions/${id}/acceptance`, { intent: 'broken' });
    expect(bad.statusCode).toBe(400);
    expect(await acceptedExamples(t.db)).toEqual([]); // nothing changed
    const accepted = await supervisor.post(`/api/v1/bot/suggestions/${id}/acceptance`, {
      intent: 'damaged_item',
    });
    expect(accepted.json()).toMatchObject({ status: 'accepted', intent: 'damaged_item' });
    const again = await supervisor.post(`/api/v1/bot/suggestions/${id}/rejection`);
    expect(errorCode(again)).toBe('conflict'); // reviewed once
    expect((await agent.get('/api/v1/bot/suggestions')).json().suggestions).toEqual([]);

    const learnt = await acceptedExamples(t.db);
    expect(learnt).toEqual([{ lang: 'it', intent: 'damaged_item', text: MESSAGE }]);
    const after = understand(buildBotModel([...corpus, ...learnt]), MESSAGE, { ...it_, now: new Date() });
    expect(after.intent).toBe('damaged_item');
  }, 60_000);

  it('refuses to review a suggestion that does not exist', async () => {
    expect(errorCode(await supervisor.post('/api/v1/bot/suggestions/999999/rejection'))).toBe('not_found');
    expect((await supervisor.post('/api/v1/bot/suggestions/x1/rejection')).statusCode).toBe(400);
  });
});
