export { returnReasonFault } from './return-policy';
export { returnPolicyOf } from './returns';
export { returnsRoutes } from './returns.routes';
