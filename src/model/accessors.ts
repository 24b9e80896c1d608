import { lightsailModel } from '../generated/model.js';
import type { MemberModel, OperationModel, ServiceModel, ShapeModel } from './types.js';

/** An operation with its name and full `X-Amz-Target` value. */
export interface OperationEntry extends OperationModel {
  readonly name: string;
  /** `<targetPrefix>.<name>`, e.g. `Lightsail_20161128.CreateBucket`. */
  readonly target: string;
}

/** The operation called `name`, or undefined when the model has none. */
export function findOperation(name: string, model: ServiceModel = lightsailModel): OperationEntry | undefined {
  if (!Object.hasOwn(model.operations, name)) return undefined;
  const op = model.operations[name];
  return { ...op, name, target: `${op.targetPrefix}.${name}` };
}

/** The operation called `name`; throws naming it when the model has none. */
export function getOperation(name: string, model: ServiceModel = lightsailModel): OperationEntry {
  const op = findOperation(name, model);
  if (!op) throw new Error(`unknown operation '${name}'`);
  return op;
}

/** The shape called `name`; throws naming it when the model has none. */
export function getShape(name: string, model: ServiceModel = lightsailModel): ShapeModel {
  if (!Object.hasOwn(model.shapes, name)) throw new Error(`unknown shape '${name}'`);
  return model.shapes[name];
}

/** Every operation keyed by its full `X-Amz-Target` value (a new map each call: build it once and keep it). */
export function operationsByTarget(model: ServiceModel = lightsailModel): ReadonlyMap<string, OperationEntry> {
  const map = new Map<string, OperationEntry>();
  for (const name of Object.keys(model.operations)) {
    const op = getOperation(name, model);
    map.set(op.target, op);
  }
  return map;
}

/** Every operation, in model order. */
export function listOperations(model: ServiceModel = lightsailModel): OperationEntry[] {
  return Object.keys(model.operations).map((n) => getOperation(n, model));
}

/** The members of a structure shape in model order, with whether each is required. */
export function structureMembers(shapeName: string, model: ServiceModel = lightsailModel): { name: string; member: MemberModel; required: boolean }[] {
  const shape = getShape(shapeName, model);
  if (shape.type !== 'structure') throw new Error(`shape '${shapeName}' is a ${shape.type}, not a structure`);
  const required = new Set(shape.required ?? []);
  return Object.entries(shape.members ?? {}).map(([name, member]) => ({ name, member, required: required.has(name) }));
}
