export { returnDecisionReasons, returnReasonFault, returnWindowEnd } from './return-policy';
export { authoriseReturnInChat, returnPolicyOf } from './returns';
export { returnsRoutes } from './returns.routes';
