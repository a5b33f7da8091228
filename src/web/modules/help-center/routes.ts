import type { WebRoute } from '../../shared/routes';
import { HelpIndexPage, HelpPage } from './help-page';

export const routes: WebRoute[] = [
  { path: '/help', access: ['buyer'], page: HelpIndexPage, nav: { label: 'help-center:nav', order: 10 } },
  { path: '/help/:marketplace', access: ['buyer'], page: HelpPage },
];
