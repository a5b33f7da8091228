import type { WebRoute } from '../../shared/routes';
import { ServicesPage } from './ServicesPage';

export const routes: WebRoute[] = [
  {
    path: '/seller',
    access: ['seller'],
    page: ServicesPage,
    nav: { label: 'programs:nav.services', order: 10 },
  },
];
