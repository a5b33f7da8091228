import type { WebRoute } from '../../shared/routes';
import { CaseLogPage } from './CaseLogPage';
import { ProductAnswersPage } from './ProductAnswersPage';

export const routes: WebRoute[] = [
  {
    path: '/seller/case-log',
    access: ['seller'],
    page: CaseLogPage,
    nav: { label: 'programs:nav.caseLog', order: 20 },
  },
  {
    path: '/seller/product-answers',
    access: ['seller'],
    page: ProductAnswersPage,
    nav: { label: 'programs:nav.productAnswers', order: 25 },
  },
];
