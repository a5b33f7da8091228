import { defineTexts } from '../../shared/languages';

export const texts = defineTexts({
  en: {
    nav: 'Contact us',
    title: 'Contact us',
    intro: 'Your orders, the ways to reach us and your past conversations.',
  },
  it: {
    nav: 'Contattaci',
    title: 'Contattaci',
    intro: 'I tuoi ordini, i modi per contattarci e le tue conversazioni passate.',
  },
  es: {
    nav: 'Contacto',
    title: 'Contacto',
    intro: 'Tus pedidos, las formas de contactarnos y tus conversaciones anteriores.',
  },
  fr: {
    nav: 'Nous contacter',
    title: 'Nous contacter',
    intro: 'Vos commandes, les moyens de nous joindre et vos conversations passées.',
  },
  de: {
    nav: 'Kontakt',
    title: 'Kontakt',
    intro: 'Ihre Bestellungen, die Wege zu uns und Ihre bisherigen Gespräche.',
  },
});
