import type { OperationHandler } from '../handler.js';
import { operationView } from '../views/operationView.js';

export const GetOperation: OperationHandler<'GetOperation'> = async (input, ctx) => {
  const op = await ctx.deps.services.operations.get(ctx.caller, input.operationId);
  return { operation: operationView(op) };
};
