import { detectHumanRequest } from './src/server/modules/bot/human-request';

for (const t of [
  'can I contact a person?',
  'speak with a person',
  'I want to speak to a real person',
  'talk to a human agent',
])
  console.log(t, detectHumanRequest(t));
