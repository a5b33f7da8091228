import type { WebRoute } from '../../shared/routes';
import { NotificationsPage } from './NotificationsPage';

export const routes: WebRoute[] = [
  {
    path: '/seller/notifications',
    access: ['seller'],
    page: NotificationsPage,
    nav: { label: 'programs:nav.notifications', order: 60 },
  },
];
