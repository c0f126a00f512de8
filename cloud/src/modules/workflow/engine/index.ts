export { type Actor, mayAct, transitionsFrom } from './actors.js';
export {
  type ConditionProblem,
  checkCondition,
  conditionFields,
  evaluateCondition,
  isEmptyValue,
  OPS_BY_KIND,
} from './conditions.js';
export { type DelegationPeriod, delegatorsFor, nextDelegationChange } from './delegation.js';
export { type DefinitionChange, diffDefinitions } from './diff.js';
export { missingRequired, refusedEdits } from './locks.js';
export { checkMapping, proposeMapping } from './migration.js';
export {
  type ApprovalTally,
  type GroupProgress,
  groupNeeds,
  groupOfVote,
  tallyApproval,
  type VoteRequest,
  voteEligibility,
} from './quorum.js';
export { type SlaTimer, type StartSla, slaStep, slaTimes } from './sla.js';
export type * from './types.js';
export { type Known, validateDefinition } from './validate.js';
