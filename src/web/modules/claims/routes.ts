import type { WebRoute } from '../../shared/routes';
import { ClaimsHome } from './home';

export const routes: WebRoute[] = [
  {
    path: '/claims',
    access: ['claims_reviewer', 'admin'],
    page: ClaimsHome,
    nav: { label: 'claims:nav', order: 30 },
  },
];
