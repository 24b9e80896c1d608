import type { OperationName, OperationTypes } from '../generated/lightsail.js';
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

/** The generated input type of an operation (what `validateInput` has checked). */
export type OpInput<Op extends OperationName> = OperationTypes[Op]['input'];
/** The generated output type of an operation (serialized through its output shape, times in epoch ms). */
export type OpOutput<Op extends OperationName> = OperationTypes[Op]['output'];

/**
 * One control-plane operation, typed from the model: `input` has passed `validateInput` for the
 * operation's input shape; a missing or mistyped output member fails `tsc`.
 */
export type OperationHandler<Op extends OperationName> = (
  input: OpInput<Op>,
  ctx: HandlerContext,
) => Promise<OpOutput<Op>>;

/** Exactly one handler per modeled operation (Lightsail and Sailbucket extensions alike). */
export type OperationHandlers = { readonly [Op in OperationName]: OperationHandler<Op> };
