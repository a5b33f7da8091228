import { defineTexts } from '../../shared/languages';

export const texts = defineTexts({
  en: {
    agentNav: 'My queue',
    agentTitle: 'Agent console',
    agentIntro: 'Your queue of chats, e-mails and calls, ordered by the time left to answer, will be here.',
    supervisorNav: 'Supervision',
    supervisorTitle: 'Supervisor',
    supervisorIntro: 'Escalations and approvals waiting, and the live board of the queues, will be here.',
  },
  it: {
    agentNav: 'La mia coda',
    agentTitle: 'Console dell’operatore',
    agentIntro:
      'Qui troverai la tua coda di chat, e-mail e chiamate, ordinata per il tempo rimasto per rispondere.',
    supervisorNav: 'Supervisione',
    supervisorTitle: 'Supervisore',
    supervisorIntro:
      'Qui troverai escalation e approvazioni in attesa e il quadro in tempo reale delle code.',
  },
  es: {
    agentNav: 'Mi cola',
    agentTitle: 'Consola del agente',
    agentIntro:
      'Aquí estará tu cola de chats, correos y llamadas, ordenada por el tiempo que queda para responder.',
    supervisorNav: 'Supervisión',
    supervisorTitle: 'Supervisor',
    supervisorIntro:
      'Aquí estarán las escalaciones y aprobaciones pendientes y el panel en vivo de las colas.',
  },
  fr: {
    agentNav: 'Ma file',
    agentTitle: 'Console de l’agent',
    agentIntro:
      'Votre file de chats, e-mails et appels, triée selon le temps restant pour répondre, sera ici.',
    supervisorNav: 'Supervision',
    supervisorTitle: 'Superviseur',
    supervisorIntro: 'Les escalades et approbations en attente et le tableau en direct des files seront ici.',
  },
  de: {
    agentNav: 'Meine Warteschlange',
    agentTitle: 'Agenten-Konsole',
    agentIntro:
      'Hier erscheint Ihre Warteschlange aus Chats, E-Mails und Anrufen, sortiert nach der verbleibenden Antwortzeit.',
    supervisorNav: 'Aufsicht',
    supervisorTitle: 'Supervisor',
    supervisorIntro:
      'Hier erscheinen wartende Eskalationen und Freigaben sowie die Live-Übersicht der Warteschlangen.',
  },
});
