import type { WebRoute } from '../../shared/routes';
import { ClaimPage } from './ClaimPage';
import { ClaimsPage } from './ClaimsPage';
import { ClaimReviewPage, ClaimsReviewPage } from './review';

export const routes: WebRoute[] = [
  {
    path: '/claims',
    access: ['claims_reviewer', 'admin'],
    page: ClaimsReviewPage,
    nav: { label: 'claims:nav', order: 30 },
  },
  { path: '/claims/:id', access: ['claims_reviewer', 'admin'], page: ClaimReviewPage },
  {
    path: '/seller/claims',
    access: ['seller'],
    page: ClaimsPage,
    nav: { label: 'programs:nav.claims', order: 50 },
  },
  { path: '/seller/claims/:id', access: ['seller'], page: ClaimPage },
];
