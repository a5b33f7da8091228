import { defineTexts } from '../../shared/languages';

export const texts = defineTexts({
  en: {
    nav: 'Claims',
    title: 'Claims review',
    intro: 'Sellers’ reimbursement claims waiting for a decision will be here.',
  },
  it: {
    nav: 'Richieste',
    title: 'Revisione delle richieste',
    intro: 'Qui troverai le richieste di rimborso dei venditori in attesa di decisione.',
  },
  es: {
    nav: 'Reclamaciones',
    title: 'Revisión de reclamaciones',
    intro: 'Aquí estarán las reclamaciones de reembolso de los vendedores pendientes de decisión.',
  },
  fr: {
    nav: 'Réclamations',
    title: 'Examen des réclamations',
    intro: 'Les demandes de remboursement des vendeurs en attente de décision seront ici.',
  },
  de: {
    nav: 'Anträge',
    title: 'Prüfung der Erstattungsanträge',
    intro: 'Hier erscheinen die Erstattungsanträge der Verkäufer, die auf eine Entscheidung warten.',
  },
});
