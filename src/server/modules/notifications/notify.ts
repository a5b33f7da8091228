// Sends a notification to a seller: in-app and/or e-mail to the seller's default address, as the
// seller's preferences for its category say. Every sender goes through here (timer 'notify_seller').
import { sql } from 'kysely';
import type { Db } from '../../platform/db';
import { type Mailer, newMessageId } from '../../platform/mail';
import { replyAddress } from '../../platform/reply-token';
import type { TimerHandlers } from '../../platform/timers';
import { languageFor, type NotificationCategory, notificationCategories, render } from './templates';

export type MailSettings = { from: string; domain: string; replyTokenSecret: string };

export async function preferencesOf(db: Db, sellerId: string) {
  const r = await sql<{ category: string; email: boolean; in_app: boolean }>`
    select category, email, in_app from notification_preference where seller_id = ${sellerId}::uuid`.execute(
    db,
  );
  const saved = new Map(r.rows.map((p) => [p.category, p]));
  return notificationCategories.map((category) => ({
    category,
    email: saved.get(category)?.email ?? true,
    inApp: saved.get(category)?.in_app ?? true,
  }));
}

export async function setPreference(
  db: Db,
  sellerId: string,
  category: NotificationCategory,
  p: { email: boolean; inApp: boolean },
) {
  await sql`insert into notification_preference (seller_id, category, email, in_app)
    values (${sellerId}::uuid, ${category}, ${p.email}, ${p.inApp})
    on conflict (seller_id, category) do update set email = excluded.email, in_app = excluded.in_app`.execute(
    db,
  );
}

export function notificationTimerHandlers(mailer: Mailer, mail: MailSettings): TimerHandlers {
  return {
    async notify_seller(tx, payload, now) {
      const sellerId = String(payload.sellerId);
      const category = String(payload.category) as NotificationCategory;
      const data = (payload.data ?? {}) as Record<string, unknown>;
      const seller = (
        await sql<{ default_email: string; languages: string[] }>`
        select default_email, languages from seller where id = ${sellerId}::uuid`.execute(tx)
      ).rows[0];
      if (!seller) return;
      const pref = (await preferencesOf(tx, sellerId)).find((p) => p.category === category) ?? {
        email: true,
        inApp: true,
      };
      if (!pref.email && !pref.inApp) return;
      const language = languageFor(seller.languages);
      const { subject, body } = render(String(payload.template), language, data);
      let messageId: string | null = null;
      if (pref.email) {
        // A case-log question can be answered by replying: the reply-to carries a signed token.
        const replyTo =
          typeof data.requestId === 'string'
            ? replyAddress(mail.replyTokenSecret, mail.domain, 'caselog', data.requestId)
            : undefined;
        messageId = newMessageId(mail.domain);
        await mailer.send({
          from: mail.from,
          to: seller.default_email,
          replyTo,
          subject,
          text: body,
          messageId,
        });
      }
      await sql`insert into notification (seller_id, category, template, language, subject, body, data, in_app, email_to, email_message_id, created_at)
        values (${sellerId}::uuid, ${category}, ${String(payload.template)}, ${language}, ${subject}, ${body}, ${JSON.stringify(data)}::jsonb,
          ${pref.inApp}, ${pref.email ? seller.default_email : null}, ${messageId}, ${now})`.execute(tx);
    },
  };
}

export async function inAppNotifications(db: Db, sellerId: string) {
  const r = await sql<{
    id: string;
    category: string;
    subject: string;
    body: string;
    created_at: Date;
    read_at: Date | null;
  }>`
    select id, category, subject, body, created_at, read_at from notification
    where seller_id = ${sellerId}::uuid and in_app order by created_at desc limit 100`.execute(db);
  return r.rows;
}

export async function markRead(db: Db, sellerId: string, id: string, at: Date): Promise<boolean> {
  const r =
    await sql`update notification set read_at = coalesce(read_at, ${at}) where id = ${id}::uuid and seller_id = ${sellerId}::uuid`.execute(
      db,
    );
  return (r.numAffectedRows ?? 0n) > 0n;
}
