import type { WebRoute } from '../../shared/routes';
import { ClaimPage } from './ClaimPage';
import { ClaimsPage } from './ClaimsPage';
import { ClaimsHome } from './home';

export const routes: WebRoute[] = [
  {
    path: '/claims',
    access: ['claims_reviewer', 'admin'],
    page: ClaimsHome,
    nav: { label: 'claims:nav', order: 30 },
  },
  {
    path: '/seller/claims',
    access: ['seller'],
    page: ClaimsPage,
    nav: { label: 'programs:nav.claims', order: 50 },
  },
  { path: '/seller/claims/:id', access: ['seller'], page: ClaimPage },
];
