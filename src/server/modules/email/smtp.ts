// The inbound SMTP edge: accepts mail for our domain only, refuses oversize or malformed mail with
// the right code, and hands each message to the inbound use case in its own transaction.
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import type { Db } from '../../platform/db';
import type { Logger } from '../../platform/log';
import { handleInbound, type InboundSettings, MailRefused, parseMail, recordRejection } from './inbound';

export type SmtpOptions = { host: string; port: number; maxMessageBytes: number };

export async function startInboundSmtp(db: Db, settings: InboundSettings, options: SmtpOptions, log: Logger) {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: options.maxMessageBytes,
    banner: 'Onbehalf customer service',
    logger: false,
    onRcptTo(address, _session, callback) {
      const domain = address.address.split('@')[1]?.toLowerCase();
      if (domain !== settings.domain.toLowerCase())
        return callback(Object.assign(new Error('Relay denied'), { responseCode: 550 }));
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', async () => {
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : null;
        // Local parts keep their case: a reply token's signature is case-sensitive.
        const recipients = session.envelope.rcptTo.map((r) => r.address);
        const now = new Date();
        if ((stream as unknown as { sizeExceeded?: boolean }).sizeExceeded) {
          await recordRejection(db, now, from, recipients.join(','), 'message too large').catch(
            () => undefined,
          );
          return callback(
            Object.assign(new Error(`Message exceeds ${options.maxMessageBytes} bytes`), {
              responseCode: 552,
            }),
          );
        }
        try {
          const mail = await parseMail(Buffer.concat(chunks));
          for (const recipient of recipients) {
            const result = await db
              .transaction()
              .execute((tx) => handleInbound(tx, mail, recipient, settings, now));
            log.info({ from, recipient, result }, 'inbound e-mail');
          }
          callback();
        } catch (error) {
          const refused = error instanceof MailRefused;
          await recordRejection(db, now, from, recipients.join(','), (error as Error).message).catch(
            () => undefined,
          );
          if (refused)
            log.warn({ from, recipients, reason: (error as Error).message }, 'inbound e-mail refused');
          else log.error({ err: error, from, recipients }, 'inbound e-mail failed');
          callback(
            Object.assign(
              new Error(refused ? (error as Error).message : 'Temporary failure, try again later'),
              {
                responseCode: refused ? (error as MailRefused).responseCode : 451,
              },
            ),
          );
        }
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  server.on('error', (error) => log.error({ err: error }, 'SMTP server error'));
  const port = (server.server.address() as AddressInfo).port;
  return { port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
