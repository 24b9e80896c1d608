import { lightsailModel } from '../generated/model.js';
import { getShape } from './accessors.js';
import type { ServiceModel } from './types.js';

function fail(path: string, expected: string, value: unknown): never {
  const shown = typeof value === 'string' ? `'${value.slice(0, 60)}'`
    : typeof value === 'object' && value !== null ? Object.prototype.toString.call(value) : String(value);
  throw new TypeError(`serializeOutput: expected ${expected} at '${path}', got ${typeof value} ${shown}`);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

function walk(model: ServiceModel, shapeName: string, value: unknown, path: string): unknown {
  const shape = getShape(shapeName, model);
  switch (shape.type) {
    case 'structure': {
      if (!isPlainObject(value)) fail(path, 'an object', value);
      const out: Record<string, unknown> = {};
      for (const [name, mem] of Object.entries(shape.members ?? {})) {
        const v = value[name];
        if (v === undefined || v === null) continue;
        out[name] = walk(model, mem.shape, v, `${path}.${name}`);
      }
      return out;
    }
    case 'list':
      if (!Array.isArray(value)) fail(path, 'an array', value);
      return value.filter((v) => v !== undefined && v !== null).map((v, i) => walk(model, shape.member!.shape, v, `${path}[${i}]`));
    case 'map': {
      if (!isPlainObject(value)) fail(path, 'an object', value);
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        if (v !== undefined && v !== null) out[k] = walk(model, shape.value!.shape, v, `${path}.${k}`);
      }
      return out;
    }
    case 'timestamp': {
      const ms = value instanceof Date ? value.getTime() : value;
      if (typeof ms !== 'number' || !Number.isFinite(ms)) fail(path, 'a Date or epoch milliseconds', value);
      return ms / 1000;
    }
    case 'string': case 'enum': case 'blob':
      if (typeof value !== 'string') fail(path, 'a string', value);
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') fail(path, 'a boolean', value);
      return value;
    case 'integer': case 'long': case 'float': case 'double':
      if (typeof value !== 'number' || !Number.isFinite(value)) fail(path, 'a finite number', value);
      return value;
  }
}

/**
 * Turns an output value into its JSON wire form by the shape: members not in the shape are
 * dropped, `undefined`/`null` members and list items are omitted, and timestamps — given as a
 * `Date` or as epoch **milliseconds** (the domain's unit) — become JSON numbers of epoch
 * **seconds** (fractions kept). Throws a TypeError naming the path when a value has the wrong type.
 */
export function serializeOutput(shapeName: string, value: unknown, model: ServiceModel = lightsailModel): unknown {
  return walk(model, shapeName, value, shapeName);
}
