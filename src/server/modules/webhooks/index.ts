export { signWebhook, verifyWebhook, webhookEventTypes, webhookTimerHandlers } from './webhooks';
export { webhooksRoutes } from './webhooks.routes';
