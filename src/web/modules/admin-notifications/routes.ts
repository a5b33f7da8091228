import type { WebRoute } from '../../shared/routes';
import { DeliveriesPage } from './deliveries-page';
import { OutboxPage } from './outbox-page';
import { WebhooksPage } from './webhooks-page';

// The operator's side of notifications (the seller's notification pages live in modules/notifications).
export const routes: WebRoute[] = [
  {
    path: '/admin/webhooks',
    access: ['admin'],
    page: WebhooksPage,
    nav: { label: 'admin-notifications:navWebhooks', order: 15 },
  },
  { path: '/admin/webhooks/:id', access: ['admin'], page: DeliveriesPage },
  {
    path: '/admin/outbox',
    access: ['admin'],
    page: OutboxPage,
    nav: { label: 'admin-notifications:navOutbox', order: 16 },
  },
];
