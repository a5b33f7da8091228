// The seller portal's pages and texts, for the web foundation's router and i18next to register:
// one i18next namespace per module (named like the server module), one route per page.
import { createElement, type ReactElement } from 'react';
import { ClaimPage } from '../claims/ClaimPage';
import { ClaimsPage } from '../claims/ClaimsPage';
import { claimsTexts } from '../claims/texts';
import { DecisionsPage } from '../ledger/DecisionsPage';
import { LedgerPage } from '../ledger/LedgerPage';
import { ledgerTexts } from '../ledger/texts';
import { NotificationsPage } from '../notifications/NotificationsPage';
import { notificationsTexts } from '../notifications/texts';
import { CaseLogPage } from '../seller-inbox/CaseLogPage';
import { sellerInboxTexts } from '../seller-inbox/texts';
import { ServicesPage } from './ServicesPage';
import { type PortalLanguage, portalLanguages, programsTexts } from './texts';

export const sellerPortalNamespaces = {
  programs: programsTexts,
  'seller-inbox': sellerInboxTexts,
  ledger: ledgerTexts,
  claims: claimsTexts,
  notifications: notificationsTexts,
} as const;

/** i18next `resources`: { it: { programs: {...}, ledger: {...} }, es: … }. */
export function sellerPortalResources() {
  const resources = {} as Record<PortalLanguage, Record<string, object>>;
  for (const lang of portalLanguages) {
    resources[lang] = {};
    for (const [ns, texts] of Object.entries(sellerPortalNamespaces)) resources[lang][ns] = texts[lang];
  }
  return resources;
}

/** The page for a path under /seller, or null when the path is not the portal's. */
export function sellerPortalPage(pathname: string): ReactElement | null {
  const path = pathname.replace(/\/+$/, '') || '/';
  const claim = /^\/seller\/claims\/([^/]+)$/.exec(path);
  if (claim) return createElement(ClaimPage, { claimId: decodeURIComponent(claim[1]!) });
  const pages: Record<string, () => ReactElement> = {
    '/seller': () => createElement(ServicesPage),
    '/seller/case-log': () => createElement(CaseLogPage),
    '/seller/decisions': () => createElement(DecisionsPage),
    '/seller/ledger': () => createElement(LedgerPage),
    '/seller/claims': () => createElement(ClaimsPage),
    '/seller/notifications': () => createElement(NotificationsPage),
  };
  return pages[path]?.() ?? null;
}
