import { lightsailModel } from '../generated/model.js';
import { getOperation, getShape } from './accessors.js';
import { checkBounds, checkScalar, typeIssue } from './checkScalar.js';
import { cutText, type ValidationIssue } from './issues.js';
import type { SailbucketConstraints, ServiceModel, ShapeModel } from './types.js';

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const join = (base: string, member: string) => (base === '' ? member : `${base}.${member}`);

/**
 * The deepest nesting of containers (structures, lists, maps) checked. Lightsail's inputs nest a
 * few levels; anything deeper is refused with one issue instead of recursing on (the check, like
 * every message it writes, stays bounded however deep a request nests).
 */
export const MAX_INPUT_DEPTH = 32;

interface Ctx { readonly model: ServiceModel; readonly issues: ValidationIssue[] }

function checkStructure(ctx: Ctx, shapeName: string, shape: ShapeModel, value: Record<string, unknown>, path: string, depth: number): void {
  const members = shape.members ?? {};
  for (const key of Object.keys(value)) {
    if (!Object.hasOwn(members, key)) {
      const p = join(path, cutText(key));
      ctx.issues.push({ path: p, kind: 'unknown', message: `Unknown member '${p}': ${shapeName} has no member '${cutText(key)}' (its members: ${Object.keys(members).join(', ') || 'none'})` });
    }
  }
  for (const r of shape.required ?? []) {
    if (value[r] === undefined || value[r] === null) {
      const p = join(path, r);
      ctx.issues.push({ path: p, kind: 'required', message: `${p} is required` });
    }
  }
  for (const [name, mem] of Object.entries(members)) {
    const v = value[name];
    if (v === undefined || v === null) continue;
    checkValue(ctx, mem.shape, v, join(path, name), depth + 1, mem.sailbucket);
  }
}

function checkValue(ctx: Ctx, shapeName: string, value: unknown, path: string, depth: number, extra?: SailbucketConstraints): void {
  const shape = getShape(shapeName, ctx.model);
  const sensitive = shape.sensitive === true || extra?.secret === true;
  if (depth > MAX_INPUT_DEPTH && (shape.type === 'structure' || shape.type === 'list' || shape.type === 'map')) {
    ctx.issues.push({ path, kind: 'depth', message: `Value at '${path}' failed to satisfy constraint: Member must not nest more than ${MAX_INPUT_DEPTH} levels deep` });
    return;
  }
  switch (shape.type) {
    case 'structure':
      if (!isPlainObject(value)) { ctx.issues.push(typeIssue(value, path, shape.type, sensitive)); return; }
      checkStructure(ctx, shapeName, shape, value, path, depth);
      return;
    case 'list': {
      if (!Array.isArray(value)) { ctx.issues.push(typeIssue(value, path, shape.type, sensitive)); return; }
      checkBounds(value, value.length, false, path, shape, sensitive, ctx.issues);
      if (shape.sailbucket) checkBounds(value, value.length, false, path, shape.sailbucket, sensitive, ctx.issues);
      if (extra) checkBounds(value, value.length, false, path, extra, sensitive, ctx.issues);
      value.forEach((item, i) => {
        const p = `${path}[${i}]`;
        if (item === null || item === undefined) ctx.issues.push(typeIssue(item, p, getShape(shape.member!.shape, ctx.model).type, sensitive));
        else checkValue(ctx, shape.member!.shape, item, p, depth + 1);
      });
      return;
    }
    case 'map': {
      if (!isPlainObject(value)) { ctx.issues.push(typeIssue(value, path, shape.type, sensitive)); return; }
      const keys = Object.keys(value);
      checkBounds(value, keys.length, false, path, shape, sensitive, ctx.issues);
      for (const k of keys) {
        checkValue(ctx, shape.key!.shape, k, `${path}{key ${cutText(k)}}`, depth + 1);
        checkValue(ctx, shape.value!.shape, value[k], `${path}.${cutText(k)}`, depth + 1);
      }
      return;
    }
    default:
      checkScalar(value, path, shape, extra, ctx.issues);
  }
}

/**
 * Checks an operation's JSON input against the model: JSON types, required members, unknown
 * members, enums, lengths and counts, numeric ranges, patterns, Sailbucket's own constraints, and
 * nested structures and lists. Timestamps must be JSON numbers of epoch seconds. `null` counts as
 * absent. Returns every issue found (empty when valid). Throws only for an unknown operation name.
 */
export function validateInput(operationName: string, input: unknown, model: ServiceModel = lightsailModel): ValidationIssue[] {
  const op = getOperation(operationName, model);
  const issues: ValidationIssue[] = [];
  if (!isPlainObject(input)) {
    issues.push({ path: '', kind: 'notObject', message: `The input of ${operationName} must be a JSON object, got ${Array.isArray(input) ? 'an array' : input === null ? 'null' : typeof input}` });
    return issues;
  }
  checkStructure({ model, issues }, op.input, getShape(op.input, model), input, '', 0);
  return issues;
}
