export { returnDecisionReasons, returnReasonFault, returnWindowEnd } from './return-policy';
export { authoriseReturnInChat, returnPolicyOf, returnPolicySpan } from './returns';
export { returnsRoutes } from './returns.routes';
