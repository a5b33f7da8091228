export { notificationsRoutes } from './notifications.routes';
export { type MailSettings, notificationTimerHandlers } from './notify';
