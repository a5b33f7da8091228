// Notification texts in the platform's five languages. A template renders a subject and a body
// from plain data; the seller's first supported language is used, English otherwise. Codes in the
// data (reasons, topics) become words and amounts are written as the reader writes money.
import { formatMoney, isSupportedCurrency, money } from '../../platform/money';
import { concessionReasons } from '../refunds';
import type { ContactTopic } from '../routing';

export const notificationCategories = [
  'case_log',
  'buyer_messages',
  'refund_decisions',
  'returns_and_claims',
  'fees',
  'programme',
  'seller_support',
] as const;
export type NotificationCategory = (typeof notificationCategories)[number];
export const templateLanguages = ['it', 'es', 'fr', 'de', 'en'] as const;
type Lang = (typeof templateLanguages)[number];
type Rendered = { subject: string; body: string };
type Data = Record<string, unknown>;

const s = (d: Data, k: string) => String(d[k] ?? '');
/** An amount in minor units, e.g. `154,00 €` for an Italian reader; nothing when it is missing. */
const amount = (d: Data, k: string, lang: Lang) => {
  const minor = d[k];
  const currency = s(d, 'currency');
  if ((typeof minor !== 'number' && typeof minor !== 'string') || !isSupportedCurrency(currency)) return '';
  if (!/^-?\d+$/.test(String(minor))) return '';
  return formatMoney(money(BigInt(minor), currency), lang);
};
/** The words for a code; an unknown one reads as the language's "other". */
const words = <C extends string>(phrases: Record<C | 'other', string>, code: unknown) =>
  phrases[String(code) as C] ?? phrases.other;

/** Why a refund was charged to the seller: the concession reasons and the refund deadline. */
export const refundReasons = [...concessionReasons, 'seller_refund_deadline_passed'] as const;
type RefundReason = (typeof refundReasons)[number];

export const reasonPhrases: Record<Lang, Record<RefundReason | 'other', string>> = {
  en: {
    late_beyond_promise: 'the order arrived later than promised',
    no_longer_needed: 'the buyer no longer needs the item',
    no_tracking: 'the shipment has no valid tracking',
    defective_or_damaged: 'the item was defective or damaged',
    missing_parts: 'parts were missing',
    wrong_item: 'the wrong item was sent',
    lost_in_transit: 'the parcel was lost in transit',
    goodwill: 'a goodwill gesture',
    seller_refund_deadline_passed: 'the returned item was not refunded by the deadline',
    other: 'another reason',
  },
  it: {
    late_beyond_promise: 'l’ordine è arrivato dopo la data promessa',
    no_longer_needed: 'l’acquirente non ha più bisogno dell’articolo',
    no_tracking: 'la spedizione non ha un tracciamento valido',
    defective_or_damaged: 'l’articolo era difettoso o danneggiato',
    missing_parts: 'mancavano dei componenti',
    wrong_item: 'è stato inviato l’articolo sbagliato',
    lost_in_transit: 'il pacco è andato perso durante il trasporto',
    goodwill: 'un gesto di cortesia',
    seller_refund_deadline_passed: 'il reso non è stato rimborsato entro il termine',
    other: 'un altro motivo',
  },
  es: {
    late_beyond_promise: 'el pedido llegó después de la fecha prometida',
    no_longer_needed: 'el comprador ya no necesita el artículo',
    no_tracking: 'el envío no tiene un seguimiento válido',
    defective_or_damaged: 'el artículo estaba defectuoso o dañado',
    missing_parts: 'faltaban piezas',
    wrong_item: 'se envió un artículo equivocado',
    lost_in_transit: 'el paquete se perdió durante el transporte',
    goodwill: 'un gesto de buena voluntad',
    seller_refund_deadline_passed: 'la devolución no se reembolsó dentro del plazo',
    other: 'otro motivo',
  },
  fr: {
    late_beyond_promise: 'la commande est arrivée après la date promise',
    no_longer_needed: 'l’acheteur n’a plus besoin de l’article',
    no_tracking: 'l’envoi n’a pas de suivi valide',
    defective_or_damaged: 'l’article était défectueux ou endommagé',
    missing_parts: 'des pièces manquaient',
    wrong_item: 'un mauvais article a été envoyé',
    lost_in_transit: 'le colis a été perdu pendant le transport',
    goodwill: 'un geste commercial',
    seller_refund_deadline_passed: 'le retour n’a pas été remboursé dans le délai',
    other: 'un autre motif',
  },
  de: {
    late_beyond_promise: 'die Bestellung kam später als zugesagt an',
    no_longer_needed: 'der Käufer benötigt den Artikel nicht mehr',
    no_tracking: 'die Sendung hat keine gültige Sendungsverfolgung',
    defective_or_damaged: 'der Artikel war defekt oder beschädigt',
    missing_parts: 'es fehlten Teile',
    wrong_item: 'es wurde ein falscher Artikel geschickt',
    lost_in_transit: 'das Paket ging beim Transport verloren',
    goodwill: 'eine Kulanzleistung',
    seller_refund_deadline_passed: 'die Rücksendung wurde nicht fristgerecht erstattet',
    other: 'ein anderer Grund',
  },
};

export const topicPhrases: Record<Lang, Record<ContactTopic, string>> = {
  en: {
    order_status: 'order status',
    delivery: 'delivery',
    return: 'a return',
    refund: 'a refund',
    damaged_or_wrong: 'a damaged or wrong item',
    cancel_or_change: 'cancelling or changing an order',
    product_question: 'a question about a product',
    invoice: 'an invoice',
    customization: 'personalising a product',
    payment_or_account: 'payment or their account',
    other: 'another matter',
  },
  it: {
    order_status: 'stato dell’ordine',
    delivery: 'consegna',
    return: 'reso',
    refund: 'rimborso',
    damaged_or_wrong: 'articolo danneggiato o sbagliato',
    cancel_or_change: 'annullamento o modifica dell’ordine',
    product_question: 'domanda su un prodotto',
    invoice: 'fattura',
    customization: 'personalizzazione di un prodotto',
    payment_or_account: 'pagamento o account',
    other: 'altra richiesta',
  },
  es: {
    order_status: 'estado del pedido',
    delivery: 'entrega',
    return: 'devolución',
    refund: 'reembolso',
    damaged_or_wrong: 'artículo dañado o equivocado',
    cancel_or_change: 'cancelación o cambio del pedido',
    product_question: 'pregunta sobre un producto',
    invoice: 'factura',
    customization: 'personalización de un producto',
    payment_or_account: 'pago o cuenta',
    other: 'otra consulta',
  },
  fr: {
    order_status: 'suivi de commande',
    delivery: 'livraison',
    return: 'retour',
    refund: 'remboursement',
    damaged_or_wrong: 'article endommagé ou erroné',
    cancel_or_change: 'annulation ou modification de commande',
    product_question: 'question sur un produit',
    invoice: 'facture',
    customization: 'personnalisation d’un produit',
    payment_or_account: 'paiement ou compte',
    other: 'autre demande',
  },
  de: {
    order_status: 'Bestellstatus',
    delivery: 'Lieferung',
    return: 'Rücksendung',
    refund: 'Erstattung',
    damaged_or_wrong: 'beschädigter oder falscher Artikel',
    cancel_or_change: 'Stornierung oder Änderung der Bestellung',
    product_question: 'Frage zu einem Produkt',
    invoice: 'Rechnung',
    customization: 'Personalisierung eines Produkts',
    payment_or_account: 'Zahlung oder Kundenkonto',
    other: 'sonstiges Anliegen',
  },
};

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
      body: `Customer service refunded the buyer ${amount(d, 'amount', 'en')} and charged it to your account. Reason: ${words(reasonPhrases.en, d.reason)}. You can file a reimbursement claim if you think it should not be yours to pay.`,
    }),
    it: (d) => ({
      subject: 'Un rimborso è stato addebitato sul tuo account',
      body: `Il servizio clienti ha rimborsato all'acquirente ${amount(d, 'amount', 'it')} e lo ha addebitato sul tuo account. Motivo: ${words(reasonPhrases.it, d.reason)}. Puoi presentare una richiesta di rimborso se ritieni che non sia a tuo carico.`,
    }),
    es: (d) => ({
      subject: 'Se ha cargado un reembolso en tu cuenta',
      body: `Atención al cliente reembolsó al comprador ${amount(d, 'amount', 'es')} y lo cargó en tu cuenta. Motivo: ${words(reasonPhrases.es, d.reason)}. Puedes presentar una reclamación si crees que no te corresponde pagarlo.`,
    }),
    fr: (d) => ({
      subject: 'Un remboursement a été débité de votre compte',
      body: `Le service client a remboursé l'acheteur de ${amount(d, 'amount', 'fr')} et l'a débité de votre compte. Motif : ${words(reasonPhrases.fr, d.reason)}. Vous pouvez déposer une demande de remboursement si vous estimez qu'il ne vous incombe pas.`,
    }),
    de: (d) => ({
      subject: 'Eine Erstattung wurde Ihrem Konto belastet',
      body: `Der Kundenservice hat dem Käufer ${amount(d, 'amount', 'de')} erstattet und Ihrem Konto belastet. Grund: ${words(reasonPhrases.de, d.reason)}. Sie können einen Erstattungsantrag stellen, wenn Sie meinen, dass dies nicht zu Ihren Lasten gehen sollte.`,
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
      body: `Your reimbursement claim is now ${claimStatus.en[s(d, 'status')] ?? s(d, 'status')}.${d.grantedAmount ? ` Reimbursed: ${amount(d, 'grantedAmount', 'en')}.` : ''}${d.question ? ` The reviewer asks: ${s(d, 'question')} Please reply by ${day(d.replyBy)}.` : ''}${d.appealBy ? ` You may appeal once until ${day(d.appealBy)}.` : ''}`,
    }),
    it: (d) => ({
      subject: `La tua richiesta di rimborso: ${claimStatus.it[s(d, 'status')] ?? s(d, 'status')}`,
      body: `La tua richiesta di rimborso è ora: ${claimStatus.it[s(d, 'status')] ?? s(d, 'status')}.${d.grantedAmount ? ` Rimborsato: ${amount(d, 'grantedAmount', 'it')}.` : ''}${d.question ? ` Il revisore chiede: ${s(d, 'question')} Rispondi entro ${day(d.replyBy)}.` : ''}${d.appealBy ? ` Puoi presentare ricorso una volta entro ${day(d.appealBy)}.` : ''}`,
    }),
    es: (d) => ({
      subject: `Tu reclamación de reembolso: ${claimStatus.es[s(d, 'status')] ?? s(d, 'status')}`,
      body: `Tu reclamación de reembolso está ahora: ${claimStatus.es[s(d, 'status')] ?? s(d, 'status')}.${d.grantedAmount ? ` Reembolsado: ${amount(d, 'grantedAmount', 'es')}.` : ''}${d.question ? ` El revisor pregunta: ${s(d, 'question')} Responde antes de ${day(d.replyBy)}.` : ''}${d.appealBy ? ` Puedes recurrir una vez hasta ${day(d.appealBy)}.` : ''}`,
    }),
    fr: (d) => ({
      subject: `Votre demande de remboursement : ${claimStatus.fr[s(d, 'status')] ?? s(d, 'status')}`,
      body: `Votre demande de remboursement est maintenant : ${claimStatus.fr[s(d, 'status')] ?? s(d, 'status')}.${d.grantedAmount ? ` Remboursé : ${amount(d, 'grantedAmount', 'fr')}.` : ''}${d.question ? ` Le réviseur demande : ${s(d, 'question')} Répondez avant le ${day(d.replyBy)}.` : ''}${d.appealBy ? ` Vous pouvez faire appel une fois jusqu'au ${day(d.appealBy)}.` : ''}`,
    }),
    de: (d) => ({
      subject: `Ihr Erstattungsantrag: ${claimStatus.de[s(d, 'status')] ?? s(d, 'status')}`,
      body: `Ihr Erstattungsantrag ist jetzt: ${claimStatus.de[s(d, 'status')] ?? s(d, 'status')}.${d.grantedAmount ? ` Erstattet: ${amount(d, 'grantedAmount', 'de')}.` : ''}${d.question ? ` Der Prüfer fragt: ${s(d, 'question')} Bitte antworten Sie bis ${day(d.replyBy)}.` : ''}${d.appealBy ? ` Sie können bis ${day(d.appealBy)} einmal Einspruch einlegen.` : ''}`,
    }),
  },
  fee_charged: {
    en: (d) => ({
      subject: `Your managed-service fee for ${s(d, 'month')} on ${s(d, 'marketplace')}`,
      body: `We charged ${amount(d, 'amount', 'en')} for ${s(d, 'units')} units shipped in ${s(d, 'month')}.${d.discountPercent ? ` Your valid tracking earned ${s(d, 'discountPercent')} % off.` : ''} Your fees page explains the charge: contacts per unit, band, tracking rate and discount.`,
    }),
    it: (d) => ({
      subject: `La tariffa del servizio clienti gestito per ${s(d, 'month')} su ${s(d, 'marketplace')}`,
      body: `Abbiamo addebitato ${amount(d, 'amount', 'it')} per ${s(d, 'units')} unità spedite in ${s(d, 'month')}.${d.discountPercent ? ` Il tracciamento valido ti ha fatto ottenere uno sconto del ${s(d, 'discountPercent')} %.` : ''} La pagina delle tariffe spiega l'addebito: contatti per unità, fascia, tasso di tracciabilità e sconto.`,
    }),
    es: (d) => ({
      subject: `Tu tarifa del servicio de atención gestionada de ${s(d, 'month')} en ${s(d, 'marketplace')}`,
      body: `Hemos cargado ${amount(d, 'amount', 'es')} por ${s(d, 'units')} unidades enviadas en ${s(d, 'month')}.${d.discountPercent ? ` Tu seguimiento válido te ha dado un ${s(d, 'discountPercent')} % de descuento.` : ''} La página de tarifas explica el cargo: contactos por unidad, tramo, tasa de seguimiento y descuento.`,
    }),
    fr: (d) => ({
      subject: `Vos frais du service client géré pour ${s(d, 'month')} sur ${s(d, 'marketplace')}`,
      body: `Nous avons débité ${amount(d, 'amount', 'fr')} pour ${s(d, 'units')} unités expédiées en ${s(d, 'month')}.${d.discountPercent ? ` Votre suivi valide vous a valu ${s(d, 'discountPercent')} % de remise.` : ''} La page des frais explique le débit : contacts par unité, tranche, taux de suivi et remise.`,
    }),
    de: (d) => ({
      subject: `Ihre Gebühr für den Kundenservice durch den Marktplatz für ${s(d, 'month')} auf ${s(d, 'marketplace')}`,
      body: `Wir haben ${amount(d, 'amount', 'de')} für ${s(d, 'units')} im ${s(d, 'month')} versandte Einheiten belastet.${d.discountPercent ? ` Ihre gültige Sendungsverfolgung bringt ${s(d, 'discountPercent')} % Rabatt.` : ''} Die Gebührenseite erklärt die Belastung: Kontakte pro Einheit, Stufe, Sendungsverfolgungsrate und Rabatt.`,
    }),
  },
  fee_contest_decided: {
    en: (d) => ({
      subject: d.accepted
        ? 'Your contest of a contact was accepted'
        : 'Your contest of a contact was rejected',
      body: d.accepted
        ? `The contact${d.orderRef ? ` about order ${s(d, 'orderRef')}` : ''} no longer counts in your contacts per unit.${d.credit ? ` We credited ${amount(d, 'credit', 'en')} to your account.` : ''}`
        : `The contact${d.orderRef ? ` about order ${s(d, 'orderRef')}` : ''} still counts in your contacts per unit. Seller support can tell you more.`,
    }),
    it: (d) => ({
      subject: d.accepted
        ? 'La tua contestazione di un contatto è stata accolta'
        : 'La tua contestazione di un contatto è stata respinta',
      body: d.accepted
        ? `Il contatto${d.orderRef ? ` sull'ordine ${s(d, 'orderRef')}` : ''} non conta più nei tuoi contatti per unità.${d.credit ? ` Abbiamo accreditato ${amount(d, 'credit', 'it')} sul tuo account.` : ''}`
        : `Il contatto${d.orderRef ? ` sull'ordine ${s(d, 'orderRef')}` : ''} continua a contare nei tuoi contatti per unità. Il supporto venditori può dirti di più.`,
    }),
    es: (d) => ({
      subject: d.accepted
        ? 'Tu impugnación de un contacto fue aceptada'
        : 'Tu impugnación de un contacto fue rechazada',
      body: d.accepted
        ? `El contacto${d.orderRef ? ` sobre el pedido ${s(d, 'orderRef')}` : ''} ya no cuenta en tus contactos por unidad.${d.credit ? ` Hemos abonado ${amount(d, 'credit', 'es')} en tu cuenta.` : ''}`
        : `El contacto${d.orderRef ? ` sobre el pedido ${s(d, 'orderRef')}` : ''} sigue contando en tus contactos por unidad. El soporte para vendedores puede darte más detalles.`,
    }),
    fr: (d) => ({
      subject: d.accepted
        ? 'Votre contestation d’un contact a été acceptée'
        : 'Votre contestation d’un contact a été refusée',
      body: d.accepted
        ? `Le contact${d.orderRef ? ` sur la commande ${s(d, 'orderRef')}` : ''} ne compte plus dans vos contacts par unité.${d.credit ? ` Nous avons crédité ${amount(d, 'credit', 'fr')} sur votre compte.` : ''}`
        : `Le contact${d.orderRef ? ` sur la commande ${s(d, 'orderRef')}` : ''} compte toujours dans vos contacts par unité. Le support vendeurs peut vous en dire plus.`,
    }),
    de: (d) => ({
      subject: d.accepted
        ? 'Ihr Einspruch gegen einen Kontakt wurde angenommen'
        : 'Ihr Einspruch gegen einen Kontakt wurde abgelehnt',
      body: d.accepted
        ? `Der Kontakt${d.orderRef ? ` zur Bestellung ${s(d, 'orderRef')}` : ''} zählt nicht mehr zu Ihren Kontakten pro Einheit.${d.credit ? ` Wir haben Ihrem Konto ${amount(d, 'credit', 'de')} gutgeschrieben.` : ''}`
        : `Der Kontakt${d.orderRef ? ` zur Bestellung ${s(d, 'orderRef')}` : ''} zählt weiterhin zu Ihren Kontakten pro Einheit. Der Verkäufersupport kann Ihnen mehr sagen.`,
    }),
  },
  seller_support_answer: {
    en: (d) => ({
      subject: 'Seller support has answered your question',
      body: `Seller support answered your question${d.orderRef ? ` about order ${s(d, 'orderRef')}` : d.month ? ` about your charge for ${s(d, 'month')}` : ''}:\n\n${s(d, 'answer')}`,
    }),
    it: (d) => ({
      subject: 'Il supporto venditori ha risposto alla tua domanda',
      body: `Il supporto venditori ha risposto alla tua domanda${d.orderRef ? ` sull'ordine ${s(d, 'orderRef')}` : d.month ? ` sull'addebito di ${s(d, 'month')}` : ''}:\n\n${s(d, 'answer')}`,
    }),
    es: (d) => ({
      subject: 'El soporte para vendedores ha respondido a tu pregunta',
      body: `El soporte para vendedores ha respondido a tu pregunta${d.orderRef ? ` sobre el pedido ${s(d, 'orderRef')}` : d.month ? ` sobre tu cargo de ${s(d, 'month')}` : ''}:\n\n${s(d, 'answer')}`,
    }),
    fr: (d) => ({
      subject: 'Le support vendeurs a répondu à votre question',
      body: `Le support vendeurs a répondu à votre question${d.orderRef ? ` sur la commande ${s(d, 'orderRef')}` : d.month ? ` sur votre débit de ${s(d, 'month')}` : ''} :\n\n${s(d, 'answer')}`,
    }),
    de: (d) => ({
      subject: 'Der Verkäufersupport hat Ihre Frage beantwortet',
      body: `Der Verkäufersupport hat Ihre Frage${d.orderRef ? ` zur Bestellung ${s(d, 'orderRef')}` : d.month ? ` zu Ihrer Belastung für ${s(d, 'month')}` : ''} beantwortet:\n\n${s(d, 'answer')}`,
    }),
  },
  buyer_message: {
    en: (d) => ({
      subject: 'A buyer has written to you',
      body: `A buyer wrote to you about ${words(topicPhrases.en, d.topic)}. Please answer within 24 hours in buyer–seller messaging.`,
    }),
    it: (d) => ({
      subject: 'Un acquirente ti ha scritto',
      body: `Un acquirente ti ha scritto. Argomento: ${words(topicPhrases.it, d.topic)}. Rispondi entro 24 ore nei messaggi acquirente-venditore.`,
    }),
    es: (d) => ({
      subject: 'Un comprador te ha escrito',
      body: `Un comprador te ha escrito. Tema: ${words(topicPhrases.es, d.topic)}. Responde en 24 horas en la mensajería comprador-vendedor.`,
    }),
    fr: (d) => ({
      subject: 'Un acheteur vous a écrit',
      body: `Un acheteur vous a écrit. Sujet : ${words(topicPhrases.fr, d.topic)}. Merci de répondre sous 24 heures dans la messagerie acheteurs-vendeurs.`,
    }),
    de: (d) => ({
      subject: 'Ein Käufer hat Ihnen geschrieben',
      body: `Ein Käufer hat Ihnen geschrieben. Thema: ${words(topicPhrases.de, d.topic)}. Bitte antworten Sie innerhalb von 24 Stunden in der Käufer-Verkäufer-Kommunikation.`,
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
