// The seller portal mounted on its own, with i18next and a language switch, until the web foundation's
// single-page app and layout host its pages (then the foundation's router calls sellerPortalPage and
// its i18n registers sellerPortalResources, and this file goes). Used by the portal's browser test.
import i18next from 'i18next';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider, initReactI18next, useTranslation } from 'react-i18next';
import './portal.css';
import { sellerPortalPage, sellerPortalResources } from './seller-portal';
import { type PortalLanguage, portalLanguages } from './texts';

const NAMES: Record<PortalLanguage, string> = {
  it: 'Italiano',
  es: 'Español',
  fr: 'Français',
  de: 'Deutsch',
  en: 'English',
};

function chosenLanguage(): PortalLanguage {
  const wanted = [
    new URLSearchParams(location.search).get('lang'),
    localStorage.getItem('onbehalf.lang'),
    ...navigator.languages.map((l) => l.slice(0, 2)),
  ];
  return (wanted.find((l) => portalLanguages.includes(l as PortalLanguage)) as PortalLanguage) ?? 'en';
}

function LanguageSwitch() {
  const { i18n, t } = useTranslation('programs');
  return (
    <div className="seller-portal portal-inline-form">
      <label htmlFor="portal-language">{t('nav.language')}</label>
      <select
        id="portal-language"
        value={i18n.language}
        onChange={(e) => {
          localStorage.setItem('onbehalf.lang', e.target.value);
          void i18n.changeLanguage(e.target.value);
          document.documentElement.lang = e.target.value;
        }}
      >
        {portalLanguages.map((l) => (
          <option key={l} value={l} lang={l}>
            {NAMES[l]}
          </option>
        ))}
      </select>
    </div>
  );
}

function NotThePortal() {
  const { t } = useTranslation('programs');
  return (
    <main className="seller-portal">
      <h1>{t('error.not_found')}</h1>
    </main>
  );
}

const lng = chosenLanguage();
document.documentElement.lang = lng;
await i18next.use(initReactI18next).init({
  lng,
  fallbackLng: 'en',
  resources: sellerPortalResources(),
  interpolation: { escapeValue: false }, // React escapes every text it renders
});
const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <I18nextProvider i18n={i18next}>
        <LanguageSwitch />
        {sellerPortalPage(location.pathname) ?? <NotThePortal />}
      </I18nextProvider>
    </StrictMode>,
  );
}
