export { returnReasonFault } from './return-policy';
export { authoriseReturnInChat, returnPolicyOf } from './returns';
export { returnsRoutes } from './returns.routes';
