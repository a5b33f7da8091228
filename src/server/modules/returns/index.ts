export { returnReasonFault, returnWindowEnd } from './return-policy';
export { authoriseReturnInChat, nextReturnPolicyFrom, returnPolicyOf } from './returns';
export { returnsRoutes } from './returns.routes';
