import { describe, expect, it } from 'vitest';
import { detectHumanRequest } from './human-request';

describe('a request for a person is recognised in every language', () => {
  it.each([
    ['en', 'can you connect me with an associate?'],
    ['en', 'I want to talk to a real person'],
    ['en', 'human please'],
    ['en', 'agent'],
    ['en', 'this bot is useless, let me speak to someone'],
    ['en', 'how can I contact customer service?'],
    ['en', "what's the phone number of customer service"],
    ['it', 'voglio parlare con un operatore'],
    ['it', 'passami un operatore per favore'],
    ['it', 'operatore'],
    ['it', 'posso parlare con una persona vera?'],
    ['it', 'il pacco non arriva da due settimane, sono stufa, voglio parlare con qualcuno!!'],
    ['es', 'quiero hablar con una persona'],
    ['es', 'pasame con un agente por favor'],
    ['es', 'necesito hablar con alguien, el paquete llego roto'],
    ['fr', 'je veux un conseiller'],
    ['fr', "je voudrais parler à quelqu'un"],
    ['fr', 'mettez-moi en relation avec un conseiller, le colis est toujours pas là'],
    ['de', 'ich möchte mit einem Mitarbeiter sprechen'],
    ['de', 'ich moechte mit einem menschen reden'],
    ['de', 'verbinden Sie mich bitte mit einem Berater'],
    ['de', 'Mitarbeiter bitte'],
  ])('%s: %s', (_lang, text) => {
    expect(detectHumanRequest(text).person).toBe(true);
  });
});

describe('a request for a manager is an escalation too', () => {
  it.each([
    ['en', 'I want to speak to your manager'],
    ['en', 'get me a supervisor now'],
    ['it', 'voglio parlare con il responsabile'],
    ['es', 'quiero hablar con el encargado'],
    ['fr', 'je veux parler à un responsable'],
    ['de', 'ich will mit Ihrem Vorgesetzten sprechen'],
  ])('%s: %s', (_lang, text) => {
    expect(detectHumanRequest(text)).toEqual({ person: true, manager: true });
  });
});

describe('other messages are not requests for a person', () => {
  it.each([
    'where is my order?',
    'the agent said it would arrive yesterday', // mentions an agent, asks for none
    'dov è il mio pacco',
    'quiero devolver el producto',
    'le colis est arrivé cassé',
    'Wann kommt meine Bestellung?',
    'the person at the door took the parcel',
    'can I change the delivery address',
  ])('%s', (text) => {
    expect(detectHumanRequest(text)).toEqual({ person: false, manager: false });
  });
});

describe('asking a question through someone is not asking for them', () => {
  it.each([
    'can you ask an agent how I reset my password?',
    'please ask an agent where I can download my invoice',
    'could you ask an agent if the order can still be cancelled',
  ])('%s', (text) => {
    expect(detectHumanRequest(text).person).toBe(false);
  });
});
