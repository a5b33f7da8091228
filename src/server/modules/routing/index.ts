export {
  type ContactChannel,
  type ContactTopic,
  contactTopics,
  DEFAULT_RULES,
  type RoutingDecision,
  routeContact,
} from './routing-policy';
