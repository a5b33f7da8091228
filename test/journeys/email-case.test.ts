// The journey of issue 3, over real SMTP and HTTP: a buyer's e-mail about an enrolled seller's order
// becomes a case in the right queue with its reason; an agent is assigned and asks the seller in the
// case log; the seller answers by e-mail; the agent replies to the buyer by e-mail in the same
// thread; the buyer writes back in that thread, and rates the help.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { timerHandlers } from '../../src/server/main/timer-handlers';
import { buildBotModel } from '../../src/server/modules/bot';
import { startInboundSmtp } from '../../src/server/modules/email';
import { enrol } from '../../src/server/modules/programs';
import { createLogger } from '../../src/server/platform/log';
import { createMailer } from '../../src/server/platform/mail';
import { fireDueTimers } from '../../src/server/platform/timers';
import { type TestClient, testApp } from '../helpers/app';
import { buyer, marketplaces, order, product, seller } from '../helpers/fixtures';
import { addressText, captureSmtp, smtpClient } from '../helpers/smtp';

const t = await testApp();
const world = await captureSmtp();
const mailer = createMailer({ smtpUrl: world.url, outboxDir: '/nonexistent' });
const handlers = timerHandlers(t.config, mailer);
const inbound = await startInboundSmtp(
  t.db,
  {
    domain: t.config.mailDomain,
    replyTokenSecret: t.config.replyTokenSecret,
    bot: buildBotModel(),
    maxAttachmentBytes: 100_000,
    maxAttachments: 3,
  },
  { host: '127.0.0.1', port: 0, maxMessageBytes: 200_000 },
  createLogger('silent'),
);
const send = smtpClient(inbound.port);
const fire = () => fireDueTimers(t.db, handlers, new Date());
afterAll(async () => {
  await inbound.close();
  await world.close();
});

const ORDER = '402-8817263-1192045';
let agent: TestClient;
let agentName: string;

beforeAll(async () => {
  await t.seed([
    ...marketplaces(),
    seller('S-J', { defaultEmail: 'shop@kettles.example' }),
    buyer('B-J', { email: 'giulia@buyers.example', name: 'Giulia Rossi' }),
    product('P-J', 'S-J'),
    order(ORDER, 'S-J', 'B-J', 'P-J'),
  ]);
  const sellerId = (await sql<{ id: string }>`select id from seller where external_id = 'S-J'`.execute(t.db))
    .rows[0]!.id;
  await t.db
    .transaction()
    .execute((tx) => enrol(tx, sellerId, 'IT', 'seller', new Date('2026-01-01T00:00:00Z')));
  const admin = await t.user('admin');
  agent = await t.user('agent');
  const me = (await agent.get('/api/v1/auth/session')).json().user;
  agentName = me.displayName;
  await admin.put(`/api/v1/admin/agents/${me.id}`, { marketplaces: ['IT'], languages: ['it', 'en'] });
});

describe('journey: e-mail → case → seller case log by e-mail → reply in thread → rating', () => {
  let caseNumber: string;
  let buyerMessageId: string;

  it('turns the buyer’s e-mail into a case in the right queue, with its reason, assigned to an agent', async () => {
    const sent = await send({
      from: 'Giulia Rossi <giulia@buyers.example>',
      to: 'support-it@onbehalf.test',
      subject: 'Bollitore che perde',
      text: `Buongiorno, il bollitore dell'ordine ${ORDER} perde acqua dal fondo. Cosa posso fare?`,
      attachments: [{ filename: 'foto.txt', content: 'una foto' }],
    });
    buyerMessageId = sent.messageId;
    const c = (
      await sql<{
        case_number: string;
        queue: string;
        routing_reason: string;
        channel: string;
        topic: string;
        owner_kind: string;
      }>`
      select case_number, queue, routing_reason, channel, topic, owner_kind from cs_case`.execute(t.db)
    ).rows;
    expect(c).toHaveLength(1);
    expect(c[0]).toMatchObject({
      queue: 'IT:it',
      routing_reason: 'enrolled_seller_fulfilled',
      channel: 'email',
      owner_kind: 'agent',
    });
    caseNumber = c[0]!.case_number;
    const attachments = await sql`select filename from email_attachment`.execute(t.db);
    expect(attachments.rows).toEqual([{ filename: 'foto.txt' }]);
  });

  it('the agent asks the seller, who is e-mailed and answers by replying', async () => {
    await agent.post(`/api/v1/cases/${caseNumber}/seller-requests`, {
      question: 'Il modello ha una guarnizione di ricambio?',
    });
    await fire();
    const question = world.to('shop@kettles.example').find((m) => m.subject?.includes(caseNumber));
    expect(question).toBeDefined();
    const replyTo = addressText(question!.replyTo);
    expect(replyTo).toMatch(/^reply\+caselog\./);
    await send({
      from: 'shop@kettles.example',
      to: replyTo,
      subject: `Re: ${question!.subject}`,
      inReplyTo: question!.messageId,
      text: `Sì, la guarnizione G-17 è nella confezione.\n\nIl giorno lun 12 ha scritto:\n> Il modello ha una guarnizione di ricambio?`,
    });
    const view = (await agent.get(`/api/v1/cases/${caseNumber}`)).json();
    expect(view.status).toBe('waiting_for_agent');
    expect(view.events.at(-1)).toMatchObject({
      kind: 'seller_answered',
      data: { answer: 'Sì, la guarnizione G-17 è nella confezione.', via: 'email' },
    });
  });

  it('the agent replies to the buyer by e-mail, in the same thread', async () => {
    await agent.post(`/api/v1/cases/${caseNumber}/replies`, {
      message: 'Gentile Giulia, nella confezione trova la guarnizione G-17 di ricambio.',
    });
    await fire();
    const [reply] = world.to('giulia@buyers.example');
    expect(reply!.inReplyTo).toBe(buyerMessageId);
    expect(reply!.subject).toContain(`[${caseNumber}]`);
    expect(reply!.text).toContain(agentName); // C6: the buyer learns who handles the case
    expect(reply!.text).toContain(`Caso ${caseNumber}`); // in the case's language
    expect(addressText(reply!.replyTo)).toMatch(/^reply\+case\./);

    await send({
      from: 'giulia@buyers.example',
      to: addressText(reply!.replyTo),
      subject: `Re: ${reply!.subject}`,
      inReplyTo: reply!.messageId,
      references: [buyerMessageId, reply!.messageId!],
      text: 'Trovata, grazie mille!\n\n> Gentile Giulia, ...',
    });
    const view = (await agent.get(`/api/v1/cases/${caseNumber}`)).json();
    expect(view.messages.map((m: { author: string }) => m.author)).toEqual(['buyer', 'agent', 'buyer']);
    expect(view.messages.at(-1).body).toBe('Trovata, grazie mille!');
    expect((await sql`select 1 from cs_case`.execute(t.db)).rows).toHaveLength(1); // still one case
  });

  it('the buyer rates the help, attributed to the agent', async () => {
    await agent.post(`/api/v1/cases/${caseNumber}/resolution`, {});
    const buyerClient = await t.buyerToken('B-J');
    const rating = await buyerClient.post(`/api/v1/cases/${caseNumber}/rating`, {
      stars: 5,
      solved: true,
      comment: 'Veloci',
    });
    expect(rating.json()).toMatchObject({ ratedOwnerKind: 'agent' });
  });
});

describe('inbound e-mail refuses what it must, and harms nothing', () => {
  const refusal = async (mail: Parameters<typeof send>[0]) =>
    send(mail).then(
      () => null,
      (e: { responseCode?: number }) => e.responseCode,
    );

  it('refuses a forged reply token, and logs it', async () => {
    const forged = `reply+case.2b0c4d4e-8f1a-4c1e-9d7a-1a2b3c4d5e6f.AAAAAAAAAAAAAAAAAAAAAA@onbehalf.test`;
    expect(await refusal({ from: 'giulia@buyers.example', to: forged, subject: 'x', text: 'x' })).toBe(550);
    const log = await sql<{
      reason: string;
    }>`select reason from email_rejection order by id desc limit 1`.execute(t.db);
    expect(log.rows[0]!.reason).toMatch(/forged/);
  });

  it('refuses unknown mailboxes, other domains, unknown senders and oversize messages', async () => {
    expect(
      await refusal({ from: 'giulia@buyers.example', to: 'nobody@onbehalf.test', subject: 'x', text: 'x' }),
    ).toBe(550);
    expect(
      await refusal({
        from: 'giulia@buyers.example',
        to: 'someone@elsewhere.example',
        subject: 'x',
        text: 'x',
      }),
    ).toBe(550);
    expect(
      await refusal({
        from: 'stranger@nowhere.example',
        to: 'support-it@onbehalf.test',
        subject: 'x',
        text: 'x',
      }),
    ).toBe(550);
    expect(
      await refusal({
        from: 'giulia@buyers.example',
        to: 'support-it@onbehalf.test',
        subject: 'big',
        text: 'x'.repeat(300_000),
      }),
    ).toBe(552);
  });

  const rawMail = (headers: string) => ({
    envelope: { from: 'giulia@buyers.example', to: ['support-it@onbehalf.test'] },
    raw: `From: giulia@buyers.example\r\nTo: support-it@onbehalf.test\r\n${headers}\r\n\r\nIl bollitore perde.\r\n`,
  });
  const buyerMail = { from: 'giulia@buyers.example', to: 'support-it@onbehalf.test' };
  it.each([
    ['a NUL in the subject', { ...buyerMail, subject: 'Ordine\u0000rotto', text: 'x' }],
    ['a NUL in the body', { ...buyerMail, subject: 'Ordine', text: 'Il bollitore\u0000 perde' }],
    ['a NUL in a header', rawMail('Subject: Ordine\r\nMessage-ID: <nul\u0000id@buyers.example>')],
    // UTF-16 0xD800 alone: an encoded word that decodes to a lone surrogate.
    ['a lone surrogate in the subject', rawMail('Subject: =?UTF-16BE?B?2AAAYQ==?=')],
  ])('refuses %s permanently (554), and stores nothing', async (_name, content) => {
    const count = async () =>
      (
        await sql<{
          n: string;
        }>`select (select count(*) from email_message) + (select count(*) from contact) as n`.execute(t.db)
      ).rows[0]!.n;
    const before = await count();
    expect(await refusal({ from: 'giulia@buyers.example', to: 'support-it@onbehalf.test', ...content })).toBe(
      554,
    );
    expect(await count()).toBe(before);
    const log = await sql<{
      reason: string;
    }>`select reason from email_rejection order by id desc limit 1`.execute(t.db);
    expect(log.rows[0]!.reason).toMatch(/NUL|surrogate/);
  });

  it('stores the same message once when it is delivered twice', async () => {
    const mail = {
      from: 'giulia@buyers.example',
      to: 'support-it@onbehalf.test',
      subject: `Ordine ${ORDER}`,
      text: `Ancora una domanda sull'ordine ${ORDER}`,
      messageId: '<same-message@buyers.example>',
    };
    await send(mail);
    await send(mail);
    expect(
      (
        await sql`select 1 from email_message where message_id = '<same-message@buyers.example>'`.execute(
          t.db,
        )
      ).rows,
    ).toHaveLength(1);
  });
});

describe('sellers forward buyers’ messages to their forwarding address (R5)', () => {
  beforeAll(async () => {
    await sql`insert into forwarding_address (local_part, seller_home_country, marketplace_id)
      values ('it2it', 'IT', 'IT'), ('cn2de', 'CN', 'DE')`.execute(t.db);
  });

  it('becomes a contact on the buyer’s behalf for an enrolled seller’s order', async () => {
    await send({
      from: 'shop@kettles.example',
      to: 'it2it@onbehalf.test',
      subject: `Fwd: ordine ${ORDER}`,
      text: `La cliente chiede del rimborso per l'ordine ${ORDER}.`,
    });
    const contact = await sql<{ sender: string; routing_reason: string; case_id: string | null }>`
      select sender, routing_reason, case_id from contact where sender = 'seller'`.execute(t.db);
    expect(contact.rows[0]).toMatchObject({ sender: 'seller', routing_reason: 'forwarded_by_seller' });
    expect(contact.rows[0]!.case_id).not.toBeNull();
  });

  it('is answered with the reason when it cannot be taken', async () => {
    await send({
      from: 'shop@kettles.example',
      to: 'cn2de@onbehalf.test',
      subject: `Fwd: ordine ${ORDER}`,
      text: 'Please help',
    });
    await send({
      from: 'shop@kettles.example',
      to: 'it2it@onbehalf.test',
      subject: 'Fwd: ordine 999-9999999-9999999',
      text: 'Order 999-9999999-9999999',
    });
    await fire();
    // The seller writes Italian (and English): the refusal comes in Italian.
    const answers = world
      .to('shop@kettles.example')
      .filter((m) => /Non possiamo prendere in carico/.test(m.text ?? ''));
    expect(answers.map((m) => m.text)).toEqual([
      expect.stringContaining('riservato ai venditori con sede in questo paese: Cina.'),
      expect.stringContaining('non abbiamo trovato un tuo ordine con quel numero'),
    ]);
    // Italian through and through: no English reason, no code.
    for (const a of answers) expect(a.text).not.toMatch(/sellers|order|forward_refused|\bCN\b/);
  });

  it('refuses a malformed message', async () => {
    const code = await send({
      envelope: { from: 'x@buyers.example', to: ['support-it@onbehalf.test'] },
      raw: 'this is not an e-mail\r\n',
    }).then(
      () => null,
      (e: { responseCode?: number }) => e.responseCode,
    );
    expect(code).toBe(554);
  });
});

describe('attachments that are not kept are never dropped in silence', () => {
  it('the case says which and why, and the sender is told in the case’s language how to send them', async () => {
    const sent = await send({
      from: 'giulia@buyers.example',
      to: 'support-it@onbehalf.test',
      subject: `Foto del bollitore, ordine ${ORDER}`,
      text: `Ecco le foto del bollitore dell'ordine ${ORDER}.`,
      attachments: [
        { filename: 'video.mp4', content: Buffer.alloc(120_000, 1) }, // over the 100 kB limit of this test
        ...['a.jpg', 'b.jpg', 'c.jpg', 'd.jpg'].map((filename) => ({ filename, content: 'foto' })), // one too many
      ],
    });
    const message = (
      await sql<{ id: string; case_id: string }>`
        select id, case_id from email_message where message_id = ${sent.messageId}`.execute(t.db)
    ).rows[0]!;
    const kept = await sql<{ filename: string }>`
      select filename from email_attachment where email_message_id = ${message.id} order by filename`.execute(
      t.db,
    );
    expect(kept.rows.map((a) => a.filename)).toEqual(['a.jpg', 'b.jpg', 'c.jpg']);

    const event = await sql<{ actor_kind: string; data: Record<string, unknown> }>`
      select actor_kind, data from case_event where case_id = ${message.case_id} and kind = 'attachments_not_kept'`.execute(
      t.db,
    );
    expect(event.rows).toEqual([
      {
        actor_kind: 'system',
        data: expect.objectContaining({
          attachments: [
            { filename: 'video.mp4', sizeBytes: 120_000, reason: 'too_large' },
            { filename: 'd.jpg', sizeBytes: 4, reason: 'too_many' },
          ],
          maxAttachmentBytes: 100_000,
          maxAttachments: 3,
        }),
      },
    ]);

    await fire();
    const notice = world.to('giulia@buyers.example').find((m) => m.inReplyTo === sent.messageId);
    expect(notice).toBeDefined();
    expect(notice!.subject).toBe(`Re: Foto del bollitore, ordine ${ORDER}`);
    expect(addressText(notice!.replyTo)).toBe('support-it@onbehalf.test');
    expect(notice!.text).toContain('non abbiamo potuto conservare questi allegati');
    expect(notice!.text).toContain('- video.mp4 (117 kB): più grande di 98 kB');
    expect(notice!.text).toContain('- d.jpg (1 kB): oltre i 3 allegati per messaggio');
    expect(notice!.text).toContain('rispondi a questa e-mail');
  });
});

describe('the files of a case, in the console', () => {
  it('lets the agent download the file from its own case only, as a download whatever its name', async () => {
    const firstCase = (
      await sql<{
        case_number: string;
      }>`select c.case_number from cs_case c join email_message m on m.case_id = c.id
        join email_attachment a on a.email_message_id = m.id where a.filename = 'foto.txt'`.execute(t.db)
    ).rows[0]!.case_number;
    // Another buyer's e-mail about another order: a case of its own, with a file whose name is hostile.
    await t.seed([
      buyer('B-K', { email: 'marco@buyers.example' }),
      order('402-1111111-2222222', 'S-J', 'B-K', 'P-J'),
    ]);
    await send({
      from: 'marco@buyers.example',
      to: 'support-it@onbehalf.test',
      subject: 'Ordine 402-1111111-2222222',
      text: 'Il mio ordine 402-1111111-2222222 non è arrivato.',
      attachments: [{ filename: 'a"b\r\nX-Evil: 1\'(x).txt', content: 'altro' }],
    });
    const other = (
      await sql<{
        case_number: string;
      }>`select c.case_number from cs_case c join email_message m on m.case_id = c.id where m.subject = 'Ordine 402-1111111-2222222'`.execute(
        t.db,
      )
    ).rows[0]!.case_number;
    const mine = (await agent.get(`/api/v1/cases/${firstCase}/attachments`)).json().attachments;
    expect(mine.map((a: { filename: string }) => a.filename)).toEqual(['foto.txt']);
    const file = await agent.get(`/api/v1/cases/${firstCase}/attachments/${mine[0].id}`);
    expect(file.statusCode).toBe(200);
    expect(file.body).toBe('una foto');
    expect(file.headers['content-disposition']).toMatch(/^attachment; /);
    // Case A's file asked for under case B is not found, like a file that does not exist.
    const across = await agent.get(`/api/v1/cases/${other}/attachments/${mine[0].id}`);
    expect(across.statusCode).toBe(404);
    expect(across.json().error.code).toBe('not_found');
    // The hostile name reaches no header as such: quoted part ASCII without quotes, filename* encoded.
    const theirs = (await agent.get(`/api/v1/cases/${other}/attachments`)).json().attachments;
    const hostile = await agent.get(`/api/v1/cases/${other}/attachments/${theirs[0].id}`);
    expect(hostile.statusCode).toBe(200);
    const disposition = String(hostile.headers['content-disposition']);
    expect(disposition).not.toMatch(/[\r\n]/);
    expect(hostile.headers['x-evil']).toBeUndefined();
    expect(disposition).toMatch(
      /^attachment; filename="a_b__X-Evil: 1'\(x\).txt"; filename\*=UTF-8''[A-Za-z0-9%._~-]+$/,
    );
  });
});
