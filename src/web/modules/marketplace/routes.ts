import type { WebRoute } from '../../shared/routes';
import { AdminHome } from './home';

export const routes: WebRoute[] = [
  { path: '/admin', access: ['admin'], page: AdminHome, nav: { label: 'marketplace:nav', order: 10 } },
];
