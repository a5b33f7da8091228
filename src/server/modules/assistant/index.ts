export { chatAssistant, EFFECTS_FOR_A_PERSON } from './assistant';
