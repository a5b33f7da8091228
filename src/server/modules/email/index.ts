export { emailAttachmentRoutes } from './attachments.routes';
export { handleInbound, type InboundSettings, MailRefused, parseMail } from './inbound';
export { emailTimerHandlers } from './outbound';
export { startInboundSmtp } from './smtp';
