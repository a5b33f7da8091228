import type { WebRoute } from '../../shared/routes';
import { SellerHome } from './home';

export const routes: WebRoute[] = [
  { path: '/seller', access: ['seller'], page: SellerHome, nav: { label: 'seller-inbox:nav', order: 10 } },
];
