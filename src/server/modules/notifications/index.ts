export { notificationsRoutes } from './notifications.routes';
export { type MailSettings, notificationTimerHandlers } from './notify';
export {
  deliverDueWebhooks,
  signWebhook,
  startWebhookDeliverer,
  verifyWebhook,
  type WebhookTargets,
  webhookEventTypes,
  webhookTimerHandlers,
} from './webhooks';
export { webhooksRoutes } from './webhooks.routes';
