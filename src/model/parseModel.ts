import type { ServiceModel, ShapeModel, ShapeType } from './types.js';

const SHAPE_TYPES: ReadonlySet<string> = new Set<ShapeType>([
  'structure', 'list', 'map', 'string', 'enum', 'boolean', 'integer', 'long', 'float', 'double', 'timestamp', 'blob',
]);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkShape(model: ServiceModel, name: string, shape: ShapeModel, problems: string[]): void {
  const ref = (where: string, target: string | undefined) => {
    if (typeof target !== 'string' || !(target in model.shapes)) problems.push(`${where} refers to unknown shape '${String(target)}'`);
  };
  if (!SHAPE_TYPES.has(shape.type)) problems.push(`shape '${name}' has unknown type '${String(shape.type)}'`);
  if (shape.type === 'enum' && (!Array.isArray(shape.enum) || shape.enum.length === 0)) problems.push(`enum shape '${name}' has no values`);
  if (shape.type === 'structure') {
    if (!isObject(shape.members)) { problems.push(`structure '${name}' has no members object`); return; }
    for (const [m, mem] of Object.entries(shape.members)) {
      ref(`member '${name}.${m}'`, mem.shape);
      if (typeof mem.documentation !== 'string' || mem.documentation.length === 0) problems.push(`member '${name}.${m}' has no documentation`);
    }
    for (const r of shape.required ?? []) if (!(r in shape.members)) problems.push(`structure '${name}' requires '${r}', which is not a member`);
  }
  if (shape.type === 'list') ref(`list '${name}'`, shape.member?.shape);
  if (shape.type === 'map') { ref(`map '${name}' key`, shape.key?.shape); ref(`map '${name}' value`, shape.value?.shape); }
  if (shape.pattern !== undefined) {
    try { new RegExp(shape.pattern); } catch (e) { problems.push(`shape '${name}' pattern is not a valid regular expression: ${(e as Error).message}`); }
  }
}

/**
 * Checks that a parsed JSON document is a consistent service model (every reference resolves,
 * every member is documented) and returns it typed. Throws one error listing every problem.
 */
export function parseServiceModel(doc: unknown, source = 'model'): ServiceModel {
  if (!isObject(doc) || !isObject(doc.metadata) || !isObject(doc.operations) || !isObject(doc.shapes)) {
    throw new Error(`${source}: expected an object with metadata, operations and shapes`);
  }
  const model = doc as unknown as ServiceModel;
  const problems: string[] = [];
  for (const [name, op] of Object.entries(model.operations)) {
    for (const k of ['input', 'output'] as const) {
      if (!(op[k] in model.shapes)) problems.push(`operation '${name}' ${k} refers to unknown shape '${op[k]}'`);
    }
    for (const e of op.errors) {
      if (model.shapes[e]?.exception !== true) problems.push(`operation '${name}' lists error '${e}', which is not an exception shape`);
    }
    if (typeof op.targetPrefix !== 'string' || op.targetPrefix.length === 0) problems.push(`operation '${name}' has no targetPrefix`);
    if (typeof op.documentation !== 'string' || op.documentation.length === 0) problems.push(`operation '${name}' has no documentation`);
  }
  for (const [name, shape] of Object.entries(model.shapes)) checkShape(model, name, shape, problems);
  if (problems.length > 0) throw new Error(`${source} is not a valid service model:\n  ${problems.join('\n  ')}`);
  return model;
}
