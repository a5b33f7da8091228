import type { WebRoute } from '../../shared/routes';
import { SignInPage } from './signin-page';

export const routes: WebRoute[] = [{ path: '/signin', access: 'public', page: SignInPage }];
