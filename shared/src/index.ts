// The public face of @verdict/shared: what apps may import. viem-style actions
// (one function per file under actions/, each with its Parameters, ReturnType
// and ErrorType), the typed ABIs, deployment, and the errors they throw.
// Everything else under src/ is internal; test fixtures (src/testing) are not
// part of it.

export {
  type Attestation,
  type AttestInputErrorType,
  type AttestInputParameters,
  type AttestInputReturnType,
  attestationToJson,
  attestInput,
} from "./actions/attestInput.ts";
export type { ReadClients, WriteClients } from "./actions/client.ts";
export {
  type ComputeOutputOpeningErrorType,
  type ComputeOutputOpeningParameters,
  type ComputeOutputOpeningReturnType,
  computeOutputOpening,
  type OutputOpening,
} from "./actions/computeOutputOpening.ts";
export {
  type EncodeGovernanceCallErrorType,
  type EncodeGovernanceCallParameters,
  type EncodeGovernanceCallReturnType,
  encodeGovernanceCall,
  GOVERNANCE_ROLES,
  type GovernanceAction,
  type GovernanceCall,
  type GovernanceParams,
} from "./actions/encodeGovernanceCall.ts";
export {
  ActionError,
  GovernanceRoleError,
  MissingEventError,
  NotFoundError,
  OperationNotReadyError,
  OperationNotScheduledError,
  OperationStateError,
  OutputUnavailableError,
  ResultMismatchError,
  WaitTimeoutError,
} from "./actions/errors.ts";
export {
  type ExecuteGovernanceCallErrorType,
  type ExecuteGovernanceCallParameters,
  type ExecuteGovernanceCallReturnType,
  executeGovernanceCall,
} from "./actions/executeGovernanceCall.ts";
export {
  type FinalizeProposalErrorType,
  type FinalizeProposalParameters,
  type FinalizeProposalReturnType,
  finalizeProposal,
} from "./actions/finalizeProposal.ts";
export {
  type Game,
  type GameMove,
  type GetGameErrorType,
  type GetGameParameters,
  type GetGameReturnType,
  getGame,
  NODE_STATUS,
} from "./actions/getGame.ts";
export {
  type GetJobErrorType,
  type GetJobParameters,
  type GetJobReturnType,
  getJob,
  type Job,
} from "./actions/getJob.ts";
export {
  type GetJobInputErrorType,
  type GetJobInputParameters,
  type GetJobInputReturnType,
  getJobInput,
} from "./actions/getJobInput.ts";
export {
  type GetProposalErrorType,
  type GetProposalParameters,
  type GetProposalReturnType,
  getProposal,
  PROPOSAL_STATUS,
  type Proposal,
} from "./actions/getProposal.ts";
export {
  type ListGamesErrorType,
  type ListGamesParameters,
  type ListGamesReturnType,
  listGames,
} from "./actions/listGames.ts";
export {
  type ListJobsErrorType,
  type ListJobsParameters,
  type ListJobsReturnType,
  listJobs,
} from "./actions/listJobs.ts";
export {
  type ListProposalsErrorType,
  type ListProposalsParameters,
  type ListProposalsReturnType,
  listProposals,
} from "./actions/listProposals.ts";
export {
  type PublishOutputErrorType,
  type PublishOutputParameters,
  type PublishOutputReturnType,
  publishOutput,
} from "./actions/publishOutput.ts";
export {
  type ReadOutputErrorType,
  type ReadOutputParameters,
  type ReadOutputReturnType,
  readOutput,
} from "./actions/readOutput.ts";
export {
  type RegisterProgramErrorType,
  type RegisterProgramParameters,
  type RegisterProgramReturnType,
  registerProgram,
} from "./actions/registerProgram.ts";
export {
  type ScheduleGovernanceCallErrorType,
  type ScheduleGovernanceCallParameters,
  type ScheduleGovernanceCallReturnType,
  scheduleGovernanceCall,
} from "./actions/scheduleGovernanceCall.ts";
export {
  type SendGovernanceCallErrorType,
  type SendGovernanceCallParameters,
  type SendGovernanceCallReturnType,
  sendGovernanceCall,
} from "./actions/sendGovernanceCall.ts";
export {
  type SubmitJobErrorType,
  type SubmitJobParameters,
  type SubmitJobReturnType,
  submitJob,
} from "./actions/submitJob.ts";
export {
  type WaitForResultErrorType,
  type WaitForResultParameters,
  type WaitForResultReturnType,
  waitForResult,
} from "./actions/waitForResult.ts";
export {
  type WithdrawErrorType,
  type WithdrawParameters,
  type WithdrawReturnType,
  withdraw,
} from "./actions/withdraw.ts";
export {
  disputeGameAbi,
  outputsAbi,
  programRegistryAbi,
  timelockControllerAbi,
  verdictAbi,
} from "./bindings/abis.ts";
export { ContractRevertError } from "./chain/errors.ts";
export {
  type DeployErrorType,
  type DeployParameters,
  type DeployReturnType,
  deploy,
} from "./deploy/deploy.ts";
export { parseDeployConfig } from "./deploy/parseDeployConfig.ts";
export type { DeployConfig, Deployment } from "./deploy/types.ts";
export { BaseError } from "./errors/base.ts";
export { inputRoot } from "./machine/inputRoot.ts";
