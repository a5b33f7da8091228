import { defineTexts } from '../../shared/languages';

export const texts = defineTexts({
  en: {
    nav: 'Administration',
    title: 'Administration',
    intro:
      'Marketplaces and their policies, users and agents, API keys, webhooks and the outbox will be here.',
  },
  it: {
    nav: 'Amministrazione',
    title: 'Amministrazione',
    intro:
      'Qui troverai i marketplace e le loro regole, utenti e operatori, chiavi API, webhook e la posta in uscita.',
  },
  es: {
    nav: 'Administración',
    title: 'Administración',
    intro:
      'Aquí estarán los marketplaces y sus políticas, usuarios y agentes, claves de API, webhooks y la bandeja de salida.',
  },
  fr: {
    nav: 'Administration',
    title: 'Administration',
    intro:
      'Les places de marché et leurs règles, les utilisateurs et agents, les clés d’API, les webhooks et la boîte d’envoi seront ici.',
  },
  de: {
    nav: 'Verwaltung',
    title: 'Verwaltung',
    intro:
      'Hier erscheinen Marktplätze und ihre Regeln, Benutzer und Agenten, API-Schlüssel, Webhooks und der Postausgang.',
  },
});
