import { defineTexts } from '../../shared/languages';

export const texts = defineTexts({
  en: {
    nav: 'Seller portal',
    title: 'Seller portal',
    intro:
      'Your services, the marketplace’s questions in the case log, decisions and money, and notifications will be here.',
  },
  it: {
    nav: 'Portale venditori',
    title: 'Portale venditori',
    intro:
      'Qui troverai i tuoi servizi, le domande del marketplace nel registro dei casi, decisioni e pagamenti, e le notifiche.',
  },
  es: {
    nav: 'Portal del vendedor',
    title: 'Portal del vendedor',
    intro:
      'Aquí estarán tus servicios, las preguntas del marketplace en el registro de casos, decisiones y dinero, y las notificaciones.',
  },
  fr: {
    nav: 'Portail vendeur',
    title: 'Portail vendeur',
    intro:
      'Vos services, les questions de la place de marché dans le journal des cas, les décisions et l’argent, et les notifications seront ici.',
  },
  de: {
    nav: 'Verkäuferportal',
    title: 'Verkäuferportal',
    intro:
      'Hier erscheinen Ihre Dienste, die Fragen des Marktplatzes im Fallprotokoll, Entscheidungen und Geld sowie Benachrichtigungen.',
  },
});
