export {
  type ContactChannel,
  type ContactTopic,
  contactTopics,
  DEFAULT_RULES,
  type RoutingDecision,
  routeContact,
  routingReasons,
} from './routing-policy';
