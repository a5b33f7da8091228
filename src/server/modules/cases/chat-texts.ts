// What the chat's hand-off layer says to the buyer (system notices, the offer's buttons), in it, es, fr,
// de and en (SPEC C9). The case number, "has joined" and "continuing case" are the dialogue's own notices.
import { botLanguages, isBotLanguage } from '../bot';

type BotLanguage = (typeof botLanguages)[number];

type Text = Readonly<Record<BotLanguage, string>>;
const t = (it: string, es: string, fr: string, de: string, en: string): Text => ({ it, es, fr, de, en });

export const chatTexts = {
  routed_to_seller: t(
    'Per questa richiesta risponde il venditore, tramite i messaggi acquirente-venditore: gli abbiamo inoltrato la conversazione e ti risponderà lì.',
    'Esta consulta la responde el vendedor, a través de los mensajes entre comprador y vendedor: le hemos enviado la conversación y te responderá allí.',
    'C’est le vendeur qui répond à cette demande, via la messagerie acheteur-vendeur : nous lui avons transmis la conversation et il vous répondra par ce biais.',
    'Diese Anfrage beantwortet der Verkäufer über die Käufer-Verkäufer-Nachrichten: Wir haben ihm das Gespräch weitergeleitet, er antwortet Ihnen dort.',
    'The seller answers this request, through buyer–seller messaging: we have passed the conversation on, and the seller will answer you there.',
  ),
  wait_one: t(
    'Attesa stimata: circa un minuto.',
    'Espera estimada: alrededor de un minuto.',
    'Attente estimée : environ une minute.',
    'Geschätzte Wartezeit: etwa eine Minute.',
    'Estimated wait: about a minute.',
  ),
  wait_many: t(
    'Attesa stimata: circa {minutes} minuti ({ahead} richieste prima della tua).',
    'Espera estimada: unos {minutes} minutos ({ahead} solicitudes antes de la tuya).',
    'Attente estimée : environ {minutes} minutes ({ahead} demandes avant la vôtre).',
    'Geschätzte Wartezeit: etwa {minutes} Minuten ({ahead} Anfragen vor Ihrer).',
    'Estimated wait: about {minutes} minutes ({ahead} requests ahead of yours).',
  ),
  no_agent_offer: t(
    'Al momento nessun collega che parla italiano è disponibile. Possiamo risponderti via e-mail entro {hours} ore, oppure richiamarti.',
    'Ahora mismo no hay ningún compañero disponible que hable español. Podemos responderte por correo en {hours} horas o llamarte.',
    'Aucun collègue parlant français n’est disponible pour le moment. Nous pouvons vous répondre par e-mail sous {hours} heures, ou vous rappeler.',
    'Im Moment ist kein deutschsprachiger Kollege verfügbar. Wir können Ihnen innerhalb von {hours} Stunden per E-Mail antworten oder Sie zurückrufen.',
    'No colleague who speaks English is available right now. We can answer you by e-mail within {hours} hours, or call you back.',
  ),
  no_agent_offer_email_only: t(
    'Al momento nessun collega che parla italiano è disponibile. Possiamo risponderti via e-mail entro {hours} ore.',
    'Ahora mismo no hay ningún compañero disponible que hable español. Podemos responderte por correo en {hours} horas.',
    'Aucun collègue parlant français n’est disponible pour le moment. Nous pouvons vous répondre par e-mail sous {hours} heures.',
    'Im Moment ist kein deutschsprachiger Kollege verfügbar. Wir können Ihnen innerhalb von {hours} Stunden per E-Mail antworten.',
    'No colleague who speaks English is available right now. We can answer you by e-mail within {hours} hours.',
  ),
  button_email: t(
    'Rispondetemi via e-mail',
    'Respondedme por correo',
    'Répondez-moi par e-mail',
    'Per E-Mail antworten',
    'Answer me by e-mail',
  ),
  button_callback: t('Richiamatemi', 'Llamadme', 'Rappelez-moi', 'Rückruf', 'Call me back'),
  email_case: t(
    'Caso {case}: un collega ti risponderà via e-mail all’indirizzo del tuo account entro {hours} ore.',
    'Caso {case}: un compañero te responderá por correo a la dirección de tu cuenta en {hours} horas.',
    'Dossier {case} : un collègue vous répondra par e-mail à l’adresse de votre compte sous {hours} heures.',
    'Fall {case}: Ein Kollege antwortet Ihnen innerhalb von {hours} Stunden per E-Mail an die Adresse Ihres Kontos.',
    'Case {case}: a colleague will answer you by e-mail, at your account’s address, within {hours} hours.',
  ),
  callback_case: t(
    'Caso {case}: un collega ti richiamerà al numero del tuo account entro circa {minutes} minuti.',
    'Caso {case}: un compañero te llamará al número de tu cuenta en unos {minutes} minutos.',
    'Dossier {case} : un collègue vous rappellera au numéro de votre compte d’ici environ {minutes} minutes.',
    'Fall {case}: Ein Kollege ruft Sie in etwa {minutes} Minuten unter der Nummer Ihres Kontos zurück.',
    'Case {case}: a colleague will call you back on your account’s number within about {minutes} minutes.',
  ),
  callback_case_at: t(
    'Caso {case}: il servizio telefonico ora è chiuso; un collega ti richiamerà al numero del tuo account {when}.',
    'Caso {case}: el servicio telefónico está cerrado ahora; un compañero te llamará al número de tu cuenta el {when}.',
    'Dossier {case} : le service téléphonique est fermé pour le moment ; un collègue vous rappellera au numéro de votre compte le {when}.',
    'Fall {case}: Der Telefondienst ist gerade geschlossen; ein Kollege ruft Sie am {when} unter der Nummer Ihres Kontos zurück.',
    'Case {case}: the phone service is closed now; a colleague will call you back on your account’s number on {when}.',
  ),
  rate_agent: t(
    '{name} ha segnato la tua richiesta come risolta. Come ti ha aiutato? Dai un voto da 1 a 5.',
    '{name} ha marcado tu solicitud como resuelta. ¿Qué tal te ha ayudado? Valóralo de 1 a 5.',
    '{name} a indiqué que votre demande est résolue. Comment vous a-t-on aidé ? Notez de 1 à 5.',
    '{name} hat Ihre Anfrage als gelöst markiert. Wie wurde Ihnen geholfen? Bewerten Sie von 1 bis 5.',
    '{name} marked your request as solved. How did they help? Rate it from 1 to 5.',
  ),
} as const;

export type ChatTextKey = keyof typeof chatTexts;

/** A notice in the conversation's language (English for one the bot does not speak). */
export function chatText(language: string, key: ChatTextKey, values: Record<string, string | number> = {}) {
  const lang: BotLanguage = isBotLanguage(language) ? language : 'en';
  return (chatTexts[key] as Text)[lang].replace(/\{(\w+)\}/g, (_, name: string) =>
    String(values[name] ?? `{${name}}`),
  );
}

export const chatTextLanguages = botLanguages;
