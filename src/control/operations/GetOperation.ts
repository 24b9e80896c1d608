import type { OperationHandler } from '../handler.js';
import { operationView } from '../views/operationView.js';

interface Input {
  operationId: string;
}

export const GetOperation: OperationHandler = async (input: Input, ctx) => {
  const op = await ctx.deps.services.operations.get(ctx.caller, input.operationId);
  return { operation: operationView(op) };
};
