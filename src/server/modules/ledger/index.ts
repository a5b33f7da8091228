export {
  type AccountRef,
  checkBalanced,
  ledgerDecisionKinds,
  monthlyStatement,
  type Posting,
  postBatch,
  sellerBalances,
  unbalancedBatches,
} from './ledger';
export { ledgerRoutes } from './ledger.routes';
export { type BatchInput, postBatches } from './post-batches';
