// Outbound e-mail behind a small interface: SMTP when SMTP_URL is set, otherwise .eml files in an
// outbox folder that operators (and tests) can read. The real nodemailer does the formatting.
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer from 'nodemailer';

export type OutboundMail = {
  from: string;
  to: string;
  replyTo?: string;
  subject: string;
  text: string;
  /** Our own Message-ID, so replies can be threaded back (In-Reply-To / References). */
  messageId?: string;
  inReplyTo?: string;
  references?: string[];
};

export type Mailer = { send(mail: OutboundMail): Promise<{ messageId: string }> };

export const newMessageId = (domain: string) => `<${randomUUID()}@${domain}>`;

export function createMailer(options: { smtpUrl?: string; outboxDir: string }): Mailer {
  if (options.smtpUrl) {
    const transport = nodemailer.createTransport(options.smtpUrl);
    return {
      async send(mail) {
        const info = await transport.sendMail(mail);
        return { messageId: info.messageId };
      },
    };
  }
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    async send(mail) {
      const info = await transport.sendMail(mail);
      await mkdir(options.outboxDir, { recursive: true });
      const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomUUID().slice(0, 8)}.eml`;
      await writeFile(join(options.outboxDir, name), info.message as Buffer);
      return { messageId: info.messageId };
    },
  };
}

/** The .eml files in the outbox, newest first. */
export async function listOutbox(dir: string, limit = 100): Promise<{ file: string; raw: string }[]> {
  const files = (await readdir(dir).catch(() => [] as string[]))
    .filter((f) => f.endsWith('.eml'))
    .sort()
    .reverse()
    .slice(0, limit);
  return Promise.all(files.map(async (file) => ({ file, raw: await readFile(join(dir, file), 'utf8') })));
}
