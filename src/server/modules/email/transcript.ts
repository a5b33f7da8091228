// A chat's transcript by e-mail, asked for by the buyer (POST /api/v1/buyer/conversations/{id}/transcript-email):
// every message as the buyer saw it, in the conversation's language, times in the marketplace's zone.
import type { ChatMessageRow } from '../conversations';

type Words = {
  subject: (marketplace: string, date: string) => string;
  intro: (marketplace: string, date: string) => string;
  you: string;
  assistant: string;
  notice: string;
  agent: string;
  case: string;
};

const WORDS: Record<'it' | 'es' | 'fr' | 'de' | 'en', Words> = {
  it: {
    subject: (m, d) => `${m}: la tua chat del ${d}`,
    intro: (m, d) => `Ecco la trascrizione della tua chat con il servizio clienti di ${m} del ${d}.`,
    you: 'Tu',
    assistant: 'Assistente',
    notice: 'Avviso',
    agent: 'Operatore',
    case: 'Caso',
  },
  es: {
    subject: (m, d) => `${m}: tu chat del ${d}`,
    intro: (m, d) => `Esta es la transcripción de tu chat con la atención al cliente de ${m} del ${d}.`,
    you: 'Tú',
    assistant: 'Asistente',
    notice: 'Aviso',
    agent: 'Agente',
    case: 'Caso',
  },
  fr: {
    subject: (m, d) => `${m} : votre conversation du ${d}`,
    intro: (m, d) => `Voici la transcription de votre conversation avec le service client de ${m} du ${d}.`,
    you: 'Vous',
    assistant: 'Assistant',
    notice: 'Information',
    agent: 'Conseiller',
    case: 'Dossier',
  },
  de: {
    subject: (m, d) => `${m}: Ihr Chat vom ${d}`,
    intro: (m, d) => `Hier ist das Protokoll Ihres Chats mit dem Kundenservice von ${m} vom ${d}.`,
    you: 'Sie',
    assistant: 'Assistent',
    notice: 'Hinweis',
    agent: 'Mitarbeiter',
    case: 'Fall',
  },
  en: {
    subject: (m, d) => `${m}: your chat of ${d}`,
    intro: (m, d) => `Here is the transcript of your chat with ${m} customer service of ${d}.`,
    you: 'You',
    assistant: 'Assistant',
    notice: 'Notice',
    agent: 'Agent',
    case: 'Case',
  },
};
export const transcriptLanguages = Object.keys(WORDS) as (keyof typeof WORDS)[];

/** Pure: the transcript e-mail's subject and text. */
export function transcriptMail(
  language: string,
  marketplace: { name: string; timeZone: string },
  startedAt: Date,
  messages: Pick<ChatMessageRow, 'author_kind' | 'author_name' | 'body' | 'created_at' | 'case_number'>[],
): { subject: string; text: string } {
  const lang = (language in WORDS ? language : 'en') as keyof typeof WORDS;
  const w = WORDS[lang];
  const date = new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone: marketplace.timeZone }).format(
    startedAt,
  );
  const time = new Intl.DateTimeFormat(lang, {
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone: marketplace.timeZone,
  });
  const who = (m: (typeof messages)[number]) =>
    m.author_kind === 'buyer'
      ? w.you
      : m.author_kind === 'bot'
        ? w.assistant
        : m.author_kind === 'system'
          ? w.notice
          : (m.author_name ?? w.agent);
  const lines = messages.map((m) => `[${time.format(m.created_at)}] ${who(m)}: ${m.body}`);
  const caseNumber = messages.findLast((m) => m.case_number)?.case_number;
  return {
    subject: w.subject(marketplace.name, date),
    text: [
      w.intro(marketplace.name, date),
      '',
      ...lines,
      ...(caseNumber ? ['', `${w.case} ${caseNumber}`] : []),
    ].join('\n'),
  };
}
