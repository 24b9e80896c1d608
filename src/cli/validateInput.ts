/**
 * Checks an input document against the model before anything is sent (like botocore's
 * ParamValidator, plus enums): required members, unknown members, types, enum values, minimums.
 * Every problem names the flag or member path and the value.
 */
import { UsageError } from './errors.js';
import { flagName } from './naming.js';
import { shapeOf, type CliModel, type CliShape } from './model/types.js';
import { parseTimestamp } from './timestamps.js';

export function validateInput(model: CliModel, shapeName: string, input: Record<string, unknown>): void {
  const problems: string[] = [];
  checkStructure(model, shapeOf(model, shapeName), input, '', problems);
  if (problems.length) throw new UsageError(`Parameter validation failed:\n${problems.join('\n')}`);
}

const label = (path: string): string =>
  path.includes('.') || path.includes('[') ? path : `${flagName(path)} (${path})`;

function check(model: CliModel, shape: CliShape, v: unknown, path: string, out: string[]): void {
  if (v === null || v === undefined) return;
  switch (shape.type) {
    case 'structure':
      if (typeof v !== 'object' || Array.isArray(v))
        return void out.push(
          `Invalid type for parameter ${label(path)}, value: ${JSON.stringify(v)}, expected a structure`,
        );
      return checkStructure(model, shape, v as Record<string, unknown>, path, out);
    case 'list':
      if (!Array.isArray(v))
        return void out.push(`Invalid type for parameter ${label(path)}, value: ${JSON.stringify(v)}, expected a list`);
      if (shape.min !== undefined && v.length < shape.min)
        out.push(`Invalid length for parameter ${label(path)}, value: ${v.length}, valid min length: ${shape.min}`);
      v.forEach((x, i) => check(model, shapeOf(model, shape.member!), x, `${path}[${i}]`, out));
      return;
    case 'map':
      if (typeof v !== 'object' || Array.isArray(v))
        return void out.push(`Invalid type for parameter ${label(path)}, value: ${JSON.stringify(v)}, expected a map`);
      for (const [k, x] of Object.entries(v)) check(model, shapeOf(model, shape.value!), x, `${path}.${k}`, out);
      return;
    case 'string':
      if (typeof v !== 'string')
        return void out.push(
          `Invalid type for parameter ${label(path)}, value: ${JSON.stringify(v)}, expected a string`,
        );
      if (shape.enum && !shape.enum.includes(v))
        out.push(`Invalid value for parameter ${label(path)}: '${v}'. Valid values are: ${shape.enum.join(', ')}`);
      if (shape.min !== undefined && v.length < shape.min)
        out.push(`Invalid length for parameter ${label(path)}, value: ${v.length}, valid min length: ${shape.min}`);
      return;
    case 'integer':
    case 'long':
      if (typeof v !== 'number' || !Number.isInteger(v))
        return void out.push(
          `Invalid type for parameter ${label(path)}, value: ${JSON.stringify(v)}, expected an integer`,
        );
      if (shape.min !== undefined && v < shape.min)
        out.push(`Invalid value for parameter ${label(path)}, value: ${v}, valid min value: ${shape.min}`);
      return;
    case 'float':
    case 'double':
      if (typeof v !== 'number')
        out.push(`Invalid type for parameter ${label(path)}, value: ${JSON.stringify(v)}, expected a number`);
      return;
    case 'boolean':
      if (typeof v !== 'boolean')
        out.push(`Invalid type for parameter ${label(path)}, value: ${JSON.stringify(v)}, expected true or false`);
      return;
    case 'timestamp':
      if (parseTimestamp(v) === undefined)
        out.push(
          `Invalid timestamp for parameter ${label(path)}, value: ${JSON.stringify(v)}: use ISO 8601 (2026-01-31T12:00:00Z) or epoch seconds`,
        );
      return;
    default:
      return;
  }
}

function checkStructure(
  model: CliModel,
  shape: CliShape,
  v: Record<string, unknown>,
  path: string,
  out: string[],
): void {
  const at = (n: string) => (path ? `${path}.${n}` : n);
  for (const r of shape.required)
    if (v[r] === undefined || v[r] === null) out.push(`Missing required parameter in input: ${label(at(r))}`);
  for (const [k, x] of Object.entries(v)) {
    const m = shape.members.find((mm) => mm.name === k);
    if (!m) {
      out.push(
        `Unknown parameter in input: "${at(k)}", must be one of: ${shape.members.map((mm) => mm.name).join(', ')}`,
      );
      continue;
    }
    check(model, shapeOf(model, m.shape), x, at(k), out);
  }
}
