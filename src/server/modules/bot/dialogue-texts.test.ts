import { describe, expect, it } from 'vitest';
import { dialogueTexts, render, type TextKey, textFormatter } from './dialogue-texts';
import { botLanguages, intents } from './intents';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
const keys = Object.keys(dialogueTexts) as TextKey[];

describe('the dialogue’s texts', () => {
  it.each(keys)('%s exists in every language, with the same placeholders', (key) => {
    const en = placeholders(dialogueTexts[key].en);
    for (const lang of botLanguages) {
      const text = dialogueTexts[key][lang];
      expect(text?.trim(), `${key}/${lang}`).toBeTruthy();
      expect(placeholders(text), `${key}/${lang}`).toEqual(en);
    }
  });

  it('has a button label for every intent', () => {
    for (const i of intents) expect(keys).toContain(`intent_${i}`);
  });

  it('fills placeholders and leaves an unknown one visible', () => {
    expect(render('en', 'notice_joined', { name: 'Giulia' })).toBe('Giulia has joined.');
    expect(render('it', 'notice_joined', { name: 'Giulia' })).toBe('Giulia si è unito alla chat.');
    expect(render('en', 'notice_joined')).toBe('{name} has joined.');
  });

  it.each([
    ['it', 'IT', 'Europe/Rome', '1.234,50 €', 'sabato 14 marzo'],
    ['de', 'DE', 'Europe/Berlin', '1.234,50 €', 'Samstag, 14. März'],
    ['fr', 'FR', 'Europe/Paris', '1 234,50 €', 'samedi 14 mars'],
    ['es', 'ES', 'Europe/Madrid', '1.234,50 €', 'sábado, 14 de marzo'],
    ['en', 'IT', 'Europe/Rome', '€1,234.50', 'Saturday 14 March'],
  ] as const)(
    'formats money from minor units and dates in the zone (%s-%s)',
    (lang, country, zone, amount, day) => {
      const f = textFormatter(lang, country, zone);
      expect(f.money(123450n, 'EUR').replace(/\s/g, ' ')).toBe(amount);
      expect(f.localDate('2026-03-14')).toBe(day);
      // 23:30 UTC on 13 March is already the 14th in Rome.
      expect(f.date(new Date('2026-03-13T23:30:00Z'))).toBe(day);
    },
  );
});
