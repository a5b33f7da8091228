import { defineTexts } from '../../shared/languages';

export const texts = defineTexts({
  en: {
    title: 'Sign in',
    intro: 'Agents, supervisors, sellers, administrators and buyers sign in here.',
    email: 'E-mail',
    password: 'Password',
    submit: 'Sign in',
    signingIn: 'Signing in…',
  },
  it: {
    title: 'Accedi',
    intro: 'Qui accedono operatori, supervisori, venditori, amministratori e acquirenti.',
    email: 'E-mail',
    password: 'Password',
    submit: 'Accedi',
    signingIn: 'Accesso in corso…',
  },
  es: {
    title: 'Iniciar sesión',
    intro: 'Aquí inician sesión agentes, supervisores, vendedores, administradores y compradores.',
    email: 'Correo electrónico',
    password: 'Contraseña',
    submit: 'Iniciar sesión',
    signingIn: 'Iniciando sesión…',
  },
  fr: {
    title: 'Se connecter',
    intro: 'Agents, superviseurs, vendeurs, administrateurs et acheteurs se connectent ici.',
    email: 'E-mail',
    password: 'Mot de passe',
    submit: 'Se connecter',
    signingIn: 'Connexion…',
  },
  de: {
    title: 'Anmelden',
    intro: 'Hier melden sich Agenten, Supervisoren, Verkäufer, Administratoren und Käufer an.',
    email: 'E-Mail',
    password: 'Passwort',
    submit: 'Anmelden',
    signingIn: 'Anmeldung läuft…',
  },
});
