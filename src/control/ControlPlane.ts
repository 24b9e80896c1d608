import type { PlaneHandler } from '../http/types.js';
import { clientGone } from '../http/clientGone.js';
import { serializeOutput, summarizeIssues, validateInput } from '../model/index.js';
import { authenticateRoot } from './authenticate.js';
import { parseJsonInput, readBoundedBody } from './body.js';
import type { ControlPlaneDeps } from './deps.js';
import { ControlPlaneError, toControlPlaneError } from './errors.js';
import type { OperationName } from '../generated/lightsail.js';
import type { HandlerContext } from './handler.js';
import { OPERATION_HANDLERS, buildTargetTable, outputShapeOf } from './handlers/index.js';
import { resolveOperation } from './protocol.js';
import { sendError, sendOutput } from './respond.js';

/**
 * The Lightsail control plane (AWS JSON 1.1): envelope checks → bounded body → SigV4 (account
 * root credentials only) → JSON parse → model validation → one handler per operation →
 * output serialized through the model. Every answer carries `x-amzn-RequestId`.
 */
export function createControlPlane(deps: ControlPlaneDeps): PlaneHandler {
  const targets = buildTargetTable();
  return async (req, res, ctx) => {
    let operation: OperationName | '-' = '-';
    try {
      const name = resolveOperation(req, targets);
      operation = name;
      ctx.facts.operation = `Lightsail.${name}`;
      // The listener hands `Expect: 100-continue` requests to the plane: the envelope is fine, so ask for the body.
      if (String(req.headers.expect ?? '').toLowerCase() === '100-continue') res.writeContinue();
      const body = await readBoundedBody(req, deps.bodyLimit);
      const { principal, region } = await authenticateRoot(req, body, deps, ctx.facts);
      ctx.facts.principal = principal.kind;
      const input = parseJsonInput(body);
      if (typeof input.bucketName === 'string') ctx.facts.bucket = input.bucketName;
      const issues = validateInput(name, input);
      if (issues.length > 0) {
        throw new ControlPlaneError('InvalidInputException', summarizeIssues(issues));
      }
      // The one untyped seam: `validateInput` has just checked `input` against this operation's input shape.
      const handler = OPERATION_HANDLERS[name] as (input: unknown, ctx: HandlerContext) => Promise<unknown>;
      const hctx: HandlerContext = {
        caller: { accountId: principal.accountId, region },
        principal,
        requestId: ctx.requestId,
        log: ctx.log,
        deps,
      };
      const output = await handler(input, hctx);
      sendOutput(res, ctx.requestId, serializeOutput(outputShapeOf(name), output));
    } catch (e) {
      const { error, internal } = toControlPlaneError(e);
      ctx.facts.errorCode ??= error.exception;
      if (clientGone(req)) {
        ctx.log.info('client aborted', { operation });
      } else if (internal !== undefined) {
        ctx.log.error('control-plane operation failed', {
          operation,
          error:
            internal instanceof Error
              ? { name: internal.name, message: internal.message, stack: internal.stack }
              : typeof internal === 'string' || typeof internal === 'number'
                ? String(internal)
                : Object.prototype.toString.call(internal),
        });
      }
      sendError(res, ctx.requestId, error);
    }
  };
}
