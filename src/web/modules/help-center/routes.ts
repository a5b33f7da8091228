import type { WebRoute } from '../../shared/routes';
import { HelpPage } from './help-page';

export const routes: WebRoute[] = [
  { path: '/help', access: ['buyer'], page: HelpPage, nav: { label: 'help-center:nav', order: 10 } },
  { path: '/help/:marketplace', access: ['buyer'], page: HelpPage },
];
