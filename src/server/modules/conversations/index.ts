export { type ChatHub, startChatHub } from './chat-hub';
export {
  type BotReply,
  type BuyerMessage,
  type ChatBot,
  type ChatCases,
  chatSocketRoutes,
  silentBot,
} from './chat-socket';
export {
  appendMessage,
  type ConversationRow,
  conversationsOfCases,
  messagesAfter,
  setConversationOwner,
} from './conversations.repository';
