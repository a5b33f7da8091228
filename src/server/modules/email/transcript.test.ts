import { describe, expect, it } from 'vitest';
import { transcriptLanguages, transcriptMail } from './transcript';

const at = (iso: string) => new Date(iso);
const messages = [
  {
    author_kind: 'bot' as const,
    author_name: null,
    body: 'Hello',
    created_at: at('2026-03-10T09:00:00Z'),
    case_number: null,
  },
  {
    author_kind: 'buyer' as const,
    author_name: null,
    body: 'Where is it?',
    created_at: at('2026-03-10T09:01:00Z'),
    case_number: null,
  },
  {
    author_kind: 'system' as const,
    author_name: null,
    body: 'Case IT-0000001',
    created_at: at('2026-03-10T09:02:00Z'),
    case_number: 'IT-0000001',
  },
  {
    author_kind: 'agent' as const,
    author_name: 'Giulia',
    body: 'Tomorrow',
    created_at: at('2026-03-10T09:03:00Z'),
    case_number: null,
  },
];

describe('the transcript e-mail', () => {
  it.each([
    ['it', 'la tua chat del 10 marzo 2026', 'Tu: Where is it?', 'Caso IT-0000001'],
    ['es', 'tu chat del 10 de marzo de 2026', 'Tú: Where is it?', 'Caso IT-0000001'],
    ['fr', 'votre conversation du 10 mars 2026', 'Vous: Where is it?', 'Dossier IT-0000001'],
    ['de', 'Ihr Chat vom 10. März 2026', 'Sie: Where is it?', 'Fall IT-0000001'],
    ['en', 'your chat of March 10, 2026', 'You: Where is it?', 'Case IT-0000001'],
  ])('is written in %s, times in the marketplace’s zone', (lang, subject, line, caseLine) => {
    const mail = transcriptMail(
      lang,
      { name: 'Shop', timeZone: 'Europe/Rome' },
      at('2026-03-10T09:00:00Z'),
      messages,
    );
    expect(mail.subject).toContain(subject);
    expect(mail.text).toContain(line);
    expect(mail.text).toMatch(/\[10[.:]03\] Giulia: Tomorrow/);
    expect(mail.text).toContain(caseLine);
    expect(mail.text).not.toMatch(/undefined|\{/);
  });

  it('covers the five languages', () => {
    expect([...transcriptLanguages].sort()).toEqual(['de', 'en', 'es', 'fr', 'it']);
  });
});
