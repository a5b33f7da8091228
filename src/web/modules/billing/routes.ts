import type { WebRoute } from '../../shared/routes';
import { ContestsPage } from './ContestsPage';
import { FeePoliciesPage } from './FeePoliciesPage';
import { FeesPage } from './FeesPage';
import { MetricsPage } from './MetricsPage';
import { ProductQuestionsPage } from './ProductQuestionsPage';
import { SupportPage } from './SupportPage';

export const routes: WebRoute[] = [
  { path: '/seller/fees', access: ['seller'], page: FeesPage, nav: { label: 'billing:nav.fees', order: 45 } },
  {
    path: '/seller/product-questions',
    access: ['seller'],
    page: ProductQuestionsPage,
    nav: { label: 'billing:nav.productQuestions', order: 46 },
  },
  {
    path: '/seller/support',
    access: ['seller'],
    page: SupportPage,
    nav: { label: 'billing:nav.support', order: 47 },
  },
  {
    path: '/admin/metrics',
    access: ['admin', 'supervisor'],
    page: MetricsPage,
    nav: { label: 'billing:nav.metrics', order: 12 },
  },
  {
    path: '/admin/fees',
    access: ['admin'],
    page: FeePoliciesPage,
    nav: { label: 'billing:nav.policies', order: 13 },
  },
  {
    path: '/admin/fees/contests',
    access: ['admin', 'supervisor'],
    page: ContestsPage,
    nav: { label: 'billing:nav.contests', order: 14 },
  },
];
