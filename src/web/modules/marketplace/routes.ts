import type { WebRoute } from '../../shared/routes';
import { AdminHome } from './admin-home';
import { MarketplacesPage } from './marketplaces-page';
import { MarketplacePoliciesPage } from './policies-page';

export const routes: WebRoute[] = [
  { path: '/admin', access: ['admin'], page: AdminHome, nav: { label: 'marketplace:nav', order: 10 } },
  {
    path: '/admin/marketplaces',
    access: ['admin'],
    page: MarketplacesPage,
    nav: { label: 'marketplace:navMarketplaces', order: 11 },
  },
  { path: '/admin/marketplaces/:id', access: ['admin'], page: MarketplacePoliciesPage },
];
