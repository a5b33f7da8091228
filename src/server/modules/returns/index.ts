export {
  DEFAULT_RETURN_POLICY,
  decideReturn,
  type ReturnDecision,
  type ReturnPolicySettings,
  type ReturnReason,
  returnReasonFault,
} from './return-policy';
export { returnPolicyOf } from './returns';
export { returnsRoutes } from './returns.routes';
