export {
  DEFAULT_RETURN_POLICY,
  decideReturn,
  type ReturnDecision,
  type ReturnPolicySettings,
  type ReturnReason,
  returnReasonFault,
} from './return-policy';
export { returnsRoutes } from './returns.routes';
