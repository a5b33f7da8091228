export {
  type ContactChannel,
  type ContactTopic,
  DEFAULT_RULES,
  type RoutingDecision,
  routeContact,
} from './routing-policy';
