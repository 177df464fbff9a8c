// The public entry point: experiments and integrations import from here only.
export { ErrorCodes, FaultlineError, formatError, isFaultlineError } from './core/errors.ts';
export type { ErrorCode, ErrorDetail } from './core/errors.ts';
export { findLink, loadTarget, nodeList, parseTarget, referenceTargetPath } from './config/target.ts';
export type { Link, Target, TargetNode } from './config/target.ts';
export { down, status, up } from './mesh/lifecycle.ts';
export type { LinkStatus, MeshStatus, NodeStatus } from './mesh/lifecycle.ts';
export { allRoles, currentPrimary, patroniRoles, redisCommand, storeRoles } from './mesh/roles.ts';
export { Nodes } from './runtime/docker.ts';
export { ToxiproxyApi } from './runtime/toxiproxy.ts';
export type { ProxyState, ToxicSpec } from './runtime/toxiproxy.ts';
export { checkFault, injectFault } from './faults/interpreter.ts';
export { faultKindNames } from './faults/registry.ts';
export { resetTarget } from './faults/reset.ts';
export type { ActiveFault, FaultContext } from './faults/types.ts';
