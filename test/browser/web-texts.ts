// Every namespace's texts, read as the pages read them (src/web/**/texts.ts, namespace = folder).
import { texts as adminNotifications } from '../../src/web/modules/admin-notifications/texts';
import { texts as cases } from '../../src/web/modules/cases/texts';
import { texts as claims } from '../../src/web/modules/claims/texts';
import { texts as identityAdmin } from '../../src/web/modules/identity/identity-admin/texts';
import { texts as ledger } from '../../src/web/modules/ledger/texts';
import { texts as marketplace } from '../../src/web/modules/marketplace/texts';
import { texts as notifications } from '../../src/web/modules/notifications/texts';
import { texts as programs } from '../../src/web/modules/programs/texts';
import { texts as sellerInbox } from '../../src/web/modules/seller-inbox/texts';
import { texts as codes } from '../../src/web/shared/codes/texts';
import { texts as shared } from '../../src/web/shared/texts';

export const textsByNamespace = {
  'admin-notifications': adminNotifications,
  'identity-admin': identityAdmin,
  marketplace,
  cases,
  claims,
  codes,
  ledger,
  notifications,
  programs,
  'seller-inbox': sellerInbox,
  shared,
} as Record<string, Record<string, Record<string, string>>>;
