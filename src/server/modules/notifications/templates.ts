// Notification texts in the platform's five languages. A template renders a subject and a body
// from plain data; the seller's first supported language is used, English otherwise.

export const notificationCategories = [
  'case_log',
  'buyer_messages',
  'refund_decisions',
  'returns_and_claims',
  'fees',
  'programme',
] as const;
export type NotificationCategory = (typeof notificationCategories)[number];
export const templateLanguages = ['it', 'es', 'fr', 'de', 'en'] as const;
type Lang = (typeof templateLanguages)[number];
type Rendered = { subject: string; body: string };
type Data = Record<string, unknown>;

const s = (d: Data, k: string) => String(d[k] ?? '');
const day = (iso: unknown) =>
  `${String(iso ?? '')
    .replace('T', ' ')
    .slice(0, 16)} UTC`;

const claimStatus: Record<Lang, Record<string, string>> = {
  en: {
    under_review: 'under review',
    awaiting_seller: 'waiting for your reply',
    granted: 'granted',
    partially_granted: 'partially granted',
    denied: 'denied',
  },
  it: {
    under_review: 'in revisione',
    awaiting_seller: 'in attesa della tua risposta',
    granted: 'accolta',
    partially_granted: 'accolta in parte',
    denied: 'respinta',
  },
  es: {
    under_review: 'en revisión',
    awaiting_seller: 'pendiente de tu respuesta',
    granted: 'aceptada',
    partially_granted: 'aceptada en parte',
    denied: 'rechazada',
  },
  fr: {
    under_review: 'en cours d’examen',
    awaiting_seller: 'en attente de votre réponse',
    granted: 'acceptée',
    partially_granted: 'acceptée en partie',
    denied: 'refusée',
  },
  de: {
    under_review: 'in Prüfung',
    awaiting_seller: 'wartet auf Ihre Antwort',
    granted: 'bewilligt',
    partially_granted: 'teilweise bewilligt',
    denied: 'abgelehnt',
  },
};

const TEMPLATES: Record<string, Record<Lang, (d: Data) => Rendered>> = {
  case_log_request: {
    en: (d) => ({
      subject: `[${s(d, 'caseNumber')}] Customer service has a question about an order`,
      body: `Customer service asks:\n\n${s(d, 'question')}\n\nPlease answer by ${day(d.dueAt)}, in the case log or by replying to this e-mail. After that, customer service will decide on its own judgment.`,
    }),
    it: (d) => ({
      subject: `[${s(d, 'caseNumber')}] Il servizio clienti ha una domanda su un ordine`,
      body: `Il servizio clienti chiede:\n\n${s(d, 'question')}\n\nRispondi entro ${day(d.dueAt)}, nel registro casi o rispondendo a questa e-mail. Dopo quel termine il servizio clienti deciderà a propria discrezione.`,
    }),
    es: (d) => ({
      subject: `[${s(d, 'caseNumber')}] Atención al cliente tiene una pregunta sobre un pedido`,
      body: `Atención al cliente pregunta:\n\n${s(d, 'question')}\n\nResponde antes de ${day(d.dueAt)}, en el registro de casos o respondiendo a este correo. Después, atención al cliente decidirá según su criterio.`,
    }),
    fr: (d) => ({
      subject: `[${s(d, 'caseNumber')}] Le service client a une question sur une commande`,
      body: `Le service client demande :\n\n${s(d, 'question')}\n\nMerci de répondre avant le ${day(d.dueAt)}, dans le journal de cas ou en répondant à cet e-mail. Passé ce délai, le service client décidera selon son propre jugement.`,
    }),
    de: (d) => ({
      subject: `[${s(d, 'caseNumber')}] Der Kundenservice hat eine Frage zu einer Bestellung`,
      body: `Der Kundenservice fragt:\n\n${s(d, 'question')}\n\nBitte antworten Sie bis ${day(d.dueAt)} im Fallprotokoll oder indem Sie auf diese E-Mail antworten. Danach entscheidet der Kundenservice nach eigenem Ermessen.`,
    }),
  },
  trial_ended: {
    en: (d) => ({
      subject: `Your free trial on ${s(d, 'marketplace')} has ended`,
      body: `Your free trial of customer service by the marketplace on ${s(d, 'marketplace')} ended on ${day(d.trialEndsAt)}. The service continues; the per-unit fee now applies. You can withdraw at any time under Your services.`,
    }),
    it: (d) => ({
      subject: `La tua prova gratuita su ${s(d, 'marketplace')} è terminata`,
      body: `La prova gratuita del servizio clienti gestito dal marketplace su ${s(d, 'marketplace')} è terminata il ${day(d.trialEndsAt)}. Il servizio continua e ora si applica la tariffa per unità. Puoi recedere in qualsiasi momento da I tuoi servizi.`,
    }),
    es: (d) => ({
      subject: `Tu prueba gratuita en ${s(d, 'marketplace')} ha terminado`,
      body: `La prueba gratuita de la atención al cliente del marketplace en ${s(d, 'marketplace')} terminó el ${day(d.trialEndsAt)}. El servicio continúa y ahora se aplica la tarifa por unidad. Puedes darte de baja en cualquier momento en Tus servicios.`,
    }),
    fr: (d) => ({
      subject: `Votre essai gratuit sur ${s(d, 'marketplace')} est terminé`,
      body: `L'essai gratuit du service client assuré par la marketplace sur ${s(d, 'marketplace')} s'est terminé le ${day(d.trialEndsAt)}. Le service continue ; les frais par unité s'appliquent désormais. Vous pouvez vous désinscrire à tout moment dans Vos services.`,
    }),
    de: (d) => ({
      subject: `Ihr kostenloser Testzeitraum auf ${s(d, 'marketplace')} ist beendet`,
      body: `Der kostenlose Testzeitraum des Kundenservice durch den Marktplatz auf ${s(d, 'marketplace')} endete am ${day(d.trialEndsAt)}. Der Service läuft weiter; nun gilt die Gebühr pro Einheit. Sie können sich jederzeit unter Ihre Services abmelden.`,
    }),
  },
  refund_decision: {
    en: (d) => ({
      subject: 'A refund was charged to your account',
      body: `Customer service refunded the buyer ${s(d, 'amount')} (${s(d, 'currency')}, minor units) and charged it to your account. Reason: ${s(d, 'reason')}. You can file a reimbursement claim if you think it should not be yours to pay.`,
    }),
    it: (d) => ({
      subject: 'Un rimborso è stato addebitato sul tuo account',
      body: `Il servizio clienti ha rimborsato all'acquirente ${s(d, 'amount')} (${s(d, 'currency')}, centesimi) e lo ha addebitato sul tuo account. Motivo: ${s(d, 'reason')}. Puoi presentare una richiesta di rimborso se ritieni che non sia a tuo carico.`,
    }),
    es: (d) => ({
      subject: 'Se ha cargado un reembolso en tu cuenta',
      body: `Atención al cliente reembolsó al comprador ${s(d, 'amount')} (${s(d, 'currency')}, céntimos) y lo cargó en tu cuenta. Motivo: ${s(d, 'reason')}. Puedes presentar una reclamación si crees que no te corresponde pagarlo.`,
    }),
    fr: (d) => ({
      subject: 'Un remboursement a été débité de votre compte',
      body: `Le service client a remboursé l'acheteur de ${s(d, 'amount')} (${s(d, 'currency')}, centimes) et l'a débité de votre compte. Motif : ${s(d, 'reason')}. Vous pouvez déposer une demande de remboursement si vous estimez qu'il ne vous incombe pas.`,
    }),
    de: (d) => ({
      subject: 'Eine Erstattung wurde Ihrem Konto belastet',
      body: `Der Kundenservice hat dem Käufer ${s(d, 'amount')} (${s(d, 'currency')}, Cent) erstattet und Ihrem Konto belastet. Grund: ${s(d, 'reason')}. Sie können einen Erstattungsantrag stellen, wenn Sie meinen, dass dies nicht zu Ihren Lasten gehen sollte.`,
    }),
  },
  refund_deadline_reminder: {
    en: (d) => ({
      subject: 'A returned item awaits your refund',
      body: `A return reached your warehouse. Please refund the buyer by ${day(d.dueAt)}; after that the marketplace refunds and charges your account.`,
    }),
    it: (d) => ({
      subject: 'Un reso attende il tuo rimborso',
      body: `Un reso è arrivato al tuo magazzino. Rimborsa l'acquirente entro ${day(d.dueAt)}; dopo quel termine il marketplace rimborsa e addebita il tuo account.`,
    }),
    es: (d) => ({
      subject: 'Una devolución espera tu reembolso',
      body: `Una devolución llegó a tu almacén. Reembolsa al comprador antes de ${day(d.dueAt)}; después, el marketplace reembolsará y lo cargará en tu cuenta.`,
    }),
    fr: (d) => ({
      subject: 'Un retour attend votre remboursement',
      body: `Un retour est arrivé à votre entrepôt. Remboursez l'acheteur avant le ${day(d.dueAt)} ; passé ce délai, la marketplace rembourse et débite votre compte.`,
    }),
    de: (d) => ({
      subject: 'Eine Rücksendung wartet auf Ihre Erstattung',
      body: `Eine Rücksendung ist in Ihrem Lager angekommen. Bitte erstatten Sie dem Käufer bis ${day(d.dueAt)}; danach erstattet der Marktplatz und belastet Ihr Konto.`,
    }),
  },
  claim_update: {
    en: (d) => ({
      subject: `Your reimbursement claim: ${claimStatus.en[s(d, 'status')] ?? s(d, 'status')}`,
      body: `Your reimbursement claim is now ${claimStatus.en[s(d, 'status')] ?? s(d, 'status')}.${d.grantedAmount ? ` Reimbursed: ${s(d, 'grantedAmount')} (${s(d, 'currency')}, minor units).` : ''}${d.question ? ` The reviewer asks: ${s(d, 'question')} Please reply by ${day(d.replyBy)}.` : ''}${d.appealBy ? ` You may appeal once until ${day(d.appealBy)}.` : ''}`,
    }),
    it: (d) => ({
      subject: `La tua richiesta di rimborso: ${claimStatus.it[s(d, 'status')] ?? s(d, 'status')}`,
      body: `La tua richiesta di rimborso è ora: ${claimStatus.it[s(d, 'status')] ?? s(d, 'status')}.${d.grantedAmount ? ` Rimborsato: ${s(d, 'grantedAmount')} (${s(d, 'currency')}, centesimi).` : ''}${d.question ? ` Il revisore chiede: ${s(d, 'question')} Rispondi entro ${day(d.replyBy)}.` : ''}${d.appealBy ? ` Puoi presentare ricorso una volta entro ${day(d.appealBy)}.` : ''}`,
    }),
    es: (d) => ({
      subject: `Tu reclamación de reembolso: ${claimStatus.es[s(d, 'status')] ?? s(d, 'status')}`,
      body: `Tu reclamación de reembolso está ahora: ${claimStatus.es[s(d, 'status')] ?? s(d, 'status')}.${d.grantedAmount ? ` Reembolsado: ${s(d, 'grantedAmount')} (${s(d, 'currency')}, céntimos).` : ''}${d.question ? ` El revisor pregunta: ${s(d, 'question')} Responde antes de ${day(d.replyBy)}.` : ''}${d.appealBy ? ` Puedes recurrir una vez hasta ${day(d.appealBy)}.` : ''}`,
    }),
    fr: (d) => ({
      subject: `Votre demande de remboursement : ${claimStatus.fr[s(d, 'status')] ?? s(d, 'status')}`,
      body: `Votre demande de remboursement est maintenant : ${claimStatus.fr[s(d, 'status')] ?? s(d, 'status')}.${d.grantedAmount ? ` Remboursé : ${s(d, 'grantedAmount')} (${s(d, 'currency')}, centimes).` : ''}${d.question ? ` Le réviseur demande : ${s(d, 'question')} Répondez avant le ${day(d.replyBy)}.` : ''}${d.appealBy ? ` Vous pouvez faire appel une fois jusqu'au ${day(d.appealBy)}.` : ''}`,
    }),
    de: (d) => ({
      subject: `Ihr Erstattungsantrag: ${claimStatus.de[s(d, 'status')] ?? s(d, 'status')}`,
      body: `Ihr Erstattungsantrag ist jetzt: ${claimStatus.de[s(d, 'status')] ?? s(d, 'status')}.${d.grantedAmount ? ` Erstattet: ${s(d, 'grantedAmount')} (${s(d, 'currency')}, Cent).` : ''}${d.question ? ` Der Prüfer fragt: ${s(d, 'question')} Bitte antworten Sie bis ${day(d.replyBy)}.` : ''}${d.appealBy ? ` Sie können bis ${day(d.appealBy)} einmal Einspruch einlegen.` : ''}`,
    }),
  },
  buyer_message: {
    en: (d) => ({
      subject: 'A buyer has written to you',
      body: `A buyer wrote to you about: ${s(d, 'topic')}. Please answer within 24 hours in buyer–seller messaging.`,
    }),
    it: (d) => ({
      subject: 'Un acquirente ti ha scritto',
      body: `Un acquirente ti ha scritto riguardo a: ${s(d, 'topic')}. Rispondi entro 24 ore nei messaggi acquirente-venditore.`,
    }),
    es: (d) => ({
      subject: 'Un comprador te ha escrito',
      body: `Un comprador te ha escrito sobre: ${s(d, 'topic')}. Responde en 24 horas en la mensajería comprador-vendedor.`,
    }),
    fr: (d) => ({
      subject: 'Un acheteur vous a écrit',
      body: `Un acheteur vous a écrit au sujet de : ${s(d, 'topic')}. Merci de répondre sous 24 heures dans la messagerie acheteurs-vendeurs.`,
    }),
    de: (d) => ({
      subject: 'Ein Käufer hat Ihnen geschrieben',
      body: `Ein Käufer hat Ihnen geschrieben zum Thema: ${s(d, 'topic')}. Bitte antworten Sie innerhalb von 24 Stunden in der Käufer-Verkäufer-Kommunikation.`,
    }),
  },
};

export function languageFor(languages: readonly string[]): Lang {
  return (
    (languages.find((l) => (templateLanguages as readonly string[]).includes(l)) as Lang | undefined) ?? 'en'
  );
}

export function render(template: string, language: Lang, data: Data): Rendered {
  const t = TEMPLATES[template];
  if (!t) throw new Error(`unknown notification template ${template}`);
  return t[language](data);
}

export const templateNames = Object.keys(TEMPLATES);
