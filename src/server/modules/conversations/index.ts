export { type ChatHub, startChatHub } from './chat-hub';
export {
  type BotReply,
  type BotTurn,
  type BuyerMessage,
  type ChatBot,
  type ChatCases,
  chatSocketRoutes,
  silentBot,
} from './chat-socket';
export {
  appendMessage,
  type ChatMessageRow,
  type ConversationRow,
  conversationOfBuyer,
  conversationsOfBuyer,
  conversationsOfCases,
  findConversation,
  type HandoffOffer,
  lastPersonWhoWrote,
  messagesAfter,
  notifyChat,
  setConversationOwner,
  setHandoffOffer,
} from './conversations.repository';
