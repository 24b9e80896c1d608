import type { Logger } from '../log.js';
import type { CallerContext } from '../domain/caller.js';
import type { Principal } from '../domain/keys/principals.js';
import type { ControlPlaneDeps } from './deps.js';

/** What a handler gets: everything already authenticated and validated. */
export interface HandlerContext {
  caller: CallerContext;
  principal: Extract<Principal, { kind: 'root' }>;
  requestId: string;
  log: Logger;
  deps: ControlPlaneDeps;
}

/**
 * One control-plane operation. `input` has passed `validateInput` for the operation's input
 * shape; the returned value is serialized through the output shape (times in epoch ms).
 */
export type OperationHandler = (input: any, ctx: HandlerContext) => Promise<Record<string, unknown>>;
