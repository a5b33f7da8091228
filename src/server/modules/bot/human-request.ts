// "Never trap a buyer" (SPEC C4, C5): a request for a person — or for a manager — is recognised by
// rule in every language, even inside a longer complaint, whatever the classifier thinks. Pure.
import { fold } from './entities';

export type HumanRequest = { person: boolean; manager: boolean };

const PERSON_WORDS = {
  en: String.raw`(?:a |an |some |the |your |one of your )?(?:real |actual |live |human |customer service |customer support |support )?(?:human(?: being)?|person|people|agent|associate|representative|rep|operator|somebody|someone|anyone|anybody|staff(?: member)?|employee|advisor|adviser|consultant|assistant)`,
  it: String.raw`(?:con )?(?:un |una |un'|uno |l'|il |la |qualche )?(?:vero |vera )?(?:operatore|operatrice|persona(?: vera| reale| fisica)?|umano|essere umano|addetto|addetta|assistente|consulente|qualcuno|impiegato|dipendente)`,
  es: String.raw`(?:con )?(?:un |una |el |la |alg[uú]n )?(?:persona(?: real| de verdad)?|humano|ser humano|agente|asesor|asesora|operador|operadora|alguien|empleado|empleada|representante|trabajador)`,
  fr: String.raw`(?:[aà] |avec )?(?:un |une |quelqu'un|le |la |l')?(?:vrai |vraie |vraie )?(?:conseill[eè]re?|humain|[eê]tre humain|personne(?: r[eé]elle)?|agent|op[eé]rat(?:eur|rice)|interlocut(?:eur|rice)|employ[eé]e?|quelqu'un)`,
  de: String.raw`(?:mit )?(?:einem |einer |einen |eine |dem |der |echten |richtigen )*(?:echten |richtigen )?(?:mitarbeiter(?:in)?|menschen|mensch|person|berater(?:in)?|kundenberater(?:in)?|agenten|agent|sachbearbeiter(?:in)?|jemandem|jemand|kundendienst|kundenservice|servicemitarbeiter(?:in)?)`,
};
const MANAGER_WORDS = {
  en: String.raw`(?:a |the |your )?(?:manager|supervisor|boss|someone in charge|person in charge|team lead(?:er)?|superior)`,
  it: String.raw`(?:con )?(?:un |il |la |lo |un )?(?:responsabile|supervisore|direttore|direttrice|capo|manager|superiore)`,
  es: String.raw`(?:con )?(?:el |la |un |una |tu |su )?(?:encargado|encargada|supervisor|supervisora|responsable|gerente|jefe|jefa|superior|manager)`,
  fr: String.raw`(?:[aà] |avec )?(?:un |une |le |la |votre |un )?(?:responsable|superviseur|superviseuse|manager|chef|directeur|directrice|sup[eé]rieur)`,
  de: String.raw`(?:mit )?(?:einem |einer |dem |der |ihrem |ihrer |ihren |einen )?(?:vorgesetzten|vorgesetzte|manager(?:in)?|teamleiter(?:in)?|supervisor|chef(?:in)?|verantwortlichen|abteilungsleiter(?:in)?|leiter(?:in)?)`,
};
// The service itself is a person to reach ("contact customer service" asks for a human).
const SERVICE = String.raw`(?:the |your |ur )?(?:customer|client|costumer)s? ?(?:service|support|care|services|assistance)|support team|help ?desk|service team|live chat|call cent(?:er|re)`;
// Ways of asking to reach someone, per language; `{W}` is where the person or manager goes.
const ASKS = [
  // en
  String.raw`\b(?:talk(?:ing)?|speak(?:ing)?|chat(?:ting)?|connect(?:ing)?(?: me)?|transfer(?:ring)?(?: me)?|put me through|get me|give me|i (?:want|need|would like|'d like|wanna)|let me (?:talk|speak)|escalat(?:e|ing)(?: this)?|pass me|hand me over)\b(?: (?:to|with|through to|over to))? {W}\b`,
  String.raw`\b{W} (?:please|pls|plz|now|asap)\b`,
  String.raw`\b(?:is there|are there|can i get|can i have|could i get|how (?:do|can) i (?:reach|contact|get hold of|get in touch with)|contact(?:ing)?|reach(?:ing)?|call(?:ing)?)\b {W}\b`,
  String.raw`\b(?:talk(?:ing)?|speak(?:ing)?|chat(?:ting)?|contact(?:ing)?|call(?:ing)?|reach(?:ing)?|write|writing|e-?mail(?:ing)?|phon(?:e|ing)|get(?:ting)? in touch|get(?:ting)? hold|send(?:ing)? (?:an? )?(?:e-?mail|mail|message|letter)|get through)\b(?: (?:to|with|of))? (?:${SERVICE})\b`,
  String.raw`\b(?:e-?mail|mail|d?mail address|e-?mail address|address|phone(?: number| no)?|number|no|hours|opening hours|contact(?: details| info| number)?)\b (?:of|for|to) (?:${SERVICE})\b`,
  String.raw`\b(?:${SERVICE})(?:'s)? (?:phone|number|no|e-?mail|mail|address|hours|contact)\b`,
  String.raw`\b(?:${SERVICE}) (?:is |are )?(?:available|open|reachable)\b`,
  String.raw`\b(?:any|some) ?(?:one|body|person|agent|human)s? (?:available|there|free|around)\b`,
  String.raw`\bnot (?:a|another|the) (?:bot|robot|machine)\b`,
  // it
  String.raw`\b(?:parlare|parlar|chattare|mettermi in contatto|mettetemi in contatto|passami|passatemi|passarmi|voglio|vorrei|chiedo di parlare|fatemi parlare|mi serve|ho bisogno di)\b(?: (?:con|a))? {W}\b`,
  String.raw`\b(?:contattare|chiamare|scrivere al|numero del|telefono del)\b (?:il |al )?servizio clienti\b`,
  // es
  String.raw`\b(?:hablar|habla|comunicarme|ponerme en contacto|p[aá]same|p[aá]seme|pasarme|quiero|quisiera|necesito|me pasa|me pones)\b(?: (?:con|a))? {W}\b`,
  String.raw`\b(?:contactar|llamar|escribir)(?: (?:a|con))? (?:la )?atenci[oó]n al cliente\b`,
  // fr
  String.raw`\b(?:parler|discuter|mettre en relation|mettez-moi en relation|mettez moi en relation|passez-moi|passez moi|je veux|je voudrais|j'aimerais|je souhaite|il me faut|besoin d'|besoin de)\b(?: (?:[aà]|avec|parler [aà]|parler avec))? {W}\b`,
  String.raw`\b(?:contacter|appeler|joindre|[eé]crire au)\b (?:le )?service client(?:s|[eè]le)?\b`,
  // de
  String.raw`\b{W} (?:sprechen|reden|verbinden|chatten|bitte|erreichen|kontaktieren|haben)\b`,
  String.raw`\b(?:verbinden sie mich|verbinde mich|ich m[oö]chte|ich will|ich brauche|ich h[aä]tte gern|gib mir|geben sie mir|ich verlange)\b(?: (?:mit|bitte|jetzt))* {W}\b`,
  String.raw`\b(?:kundenservice|kundendienst|kundensupport) (?:kontaktieren|anrufen|erreichen|sprechen)\b`,
];

const joinAll = (words: Record<string, string>) => `(?:${Object.values(words).map(fold).join('|')})`;
const compile = (words: string) => ASKS.map((a) => new RegExp(fold(a).replaceAll('{w}', words), 'i'));
const personRules = compile(joinAll(PERSON_WORDS));
const managerRules = compile(joinAll(MANAGER_WORDS));
// A few requests that need no verb at all.
const BARE = new RegExp(
  fold(
    String.raw`^\s*(?:(?:a |an )?(?:human|agent|operator|person|representative|real person|live agent)|(?:un )?operatore|(?:un )?(?:agente|humano|asesor)|(?:un )?conseiller|(?:ein(?:en)? )?mitarbeiter)\s*(?:please|pls|per favore|por favor|s'il vous pla[iî]t|svp|bitte)?\s*[!.?]*\s*$`,
  ),
  'i',
);
const BARE_MANAGER = new RegExp(
  fold(
    String.raw`^\s*(?:manager|supervisor|responsabile|supervisore|encargado|gerente|responsable|vorgesetzten)\s*(?:please|per favore|por favor|svp|bitte)?\s*[!.?]*\s*$`,
  ),
  'i',
);

// Swearing between "talk to" and "a person" is common in an angry chat and changes nothing.
const INTENSIFIERS =
  /\b(?:fucking|fuckin|freaking|frigging|goddamn|goddamned|damn|damned|bloody|cazzo di|maledetto|maledetta|puto|puta|putain de|verdammt(?:en|er)?)\b/g;

// "Can you ask an agent how I reset my password?" asks a question through someone; it is not a
// request to talk to them.
const ASK_THROUGH =
  /\b(?:ask|asking|check with|find out from)\s+(?:an?|the|your|some)\s+(?:agent|person|representative|associate|operator|human|someone|somebody)\s+(?:if|whether|how|where|what|when|why|which|who|to|about|for)\b/;

/** The message with "ask an agent how …" wrappers removed, for the classifier too. */
export const withoutAskThrough = (text: string) => text.replace(new RegExp(ASK_THROUGH.source, 'gi'), ' ');

export function detectHumanRequest(text: string): HumanRequest {
  const folded = fold(text).replace(/[’`]/g, "'").replace(INTENSIFIERS, ' ');
  const t = correctKeyWords(folded.replace(ASK_THROUGH, ' ').replace(/\s+/g, ' '));
  const manager = BARE_MANAGER.test(t) || managerRules.some((r) => r.test(t));
  const person = manager || BARE.test(t) || personRules.some((r) => r.test(t));
  return { person, manager };
}

// Buyers misspell the words these rules hang on ("custmer servcie"): a word within one or two
// edits of a key word is read as that word. Only long key words, so short words stay themselves.
const KEY_WORDS = [
  'customer',
  'client',
  'service',
  'support',
  'operator',
  'representative',
  'associate',
  'contact',
  'operatore',
  'conseiller',
  'mitarbeiter',
  'sprechen',
  'hablar',
];

function correctKeyWords(text: string): string {
  return text.replace(/[a-z]{5,}/g, (word) => {
    if (KEY_WORDS.includes(word)) return word;
    for (const key of KEY_WORDS) {
      const limit = key.length >= 8 ? 2 : 1;
      if (Math.abs(key.length - word.length) <= limit && editDistance(word, key, limit) <= limit) return key;
    }
    return word;
  });
}

/** Damerau–Levenshtein distance (adjacent swaps count once), giving up above `limit`. */
export function editDistance(a: string, b: string, limit = Number.POSITIVE_INFINITY): number {
  // Three rolling rows instead of the whole matrix: the speller calls this thousands of times.
  let before = new Int32Array(b.length + 1);
  let previous = Int32Array.from({ length: b.length + 1 }, (_, j) => j);
  let current = new Int32Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d = Math.min(d, before[j - 2]! + 1);
      current[j] = d;
      best = Math.min(best, d);
    }
    if (best > limit) return best;
    [before, previous, current] = [previous, current, before];
  }
  return previous[b.length]!;
}
