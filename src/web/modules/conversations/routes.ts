import type { WebRoute } from '../../shared/routes';
import { EmbedChatPage } from './embed-page';

export const routes: WebRoute[] = [
  { path: '/embed/chat', access: 'public', page: EmbedChatPage, bare: true },
];
