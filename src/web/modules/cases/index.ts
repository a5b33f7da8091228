// The agent console and the supervisor pages (issue 17). The router maps:
//   /agent → QueuePage, /agent/search → SearchPage, /agent/cases/:ref → CasePage, /supervisor → SupervisorPage
export { CasePage, CaseRoute } from './CasePage';
export { LiveChat } from './LiveChat';
export { QueuePage } from './QueuePage';
export { routes } from './routes';
export { SearchPage } from './SearchPage';
export { SupervisorPage } from './SupervisorPage';
export { texts } from './texts';
