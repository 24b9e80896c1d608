/**
 * Turns the text a user typed after a flag into the member's value, driven by the member's shape:
 * JSON or shorthand for lists, structures and maps; numbers; timestamps kept as typed and
 * converted on the way to the wire (`wireInput.ts`).
 */
import { UsageError } from './errors.js';
import { parseShorthand, type Shorthand } from './shorthand.js';
import { shapeOf, type CliModel, type CliShape } from './model/types.js';

const INTEGER = new Set(['integer', 'long']);
const FLOAT = new Set(['float', 'double']);

export function parseFlagValue(model: CliModel, shapeName: string, tokens: string[], flag: string): unknown {
  const shape = shapeOf(model, shapeName);
  if (shape.type === 'list') {
    if (tokens.length === 1 && tokens[0].trimStart().startsWith('[')) return parseJson(tokens[0], flag);
    const el = shapeOf(model, shape.member!);
    if (el.type === 'structure' || el.type === 'map') {
      return tokens.map((t) =>
        t.trimStart().startsWith('{') ? parseJson(t, flag) : fromShorthand(model, el, parseShorthand(t, flag), flag),
      );
    }
    const items = tokens.length === 1 ? splitCsv(tokens[0]) : tokens;
    return items.map((t) => scalar(el, t, flag));
  }
  if (tokens.length !== 1)
    throw new UsageError(`argument ${flag}: expected one value, got ${tokens.length}: ${tokens.join(' ')}`);
  const text = tokens[0];
  if (shape.type === 'structure' || shape.type === 'map') {
    if (text.trimStart().startsWith('{')) return parseJson(text, flag);
    return fromShorthand(model, shape, parseShorthand(text, flag), flag);
  }
  return scalar(shape, text, flag);
}

function parseJson(text: string, flag: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new UsageError(
      `Error parsing parameter '${flag}': Invalid JSON: ${(e as Error).message}\nJSON received: ${text}`,
    );
  }
}

function splitCsv(text: string): string[] {
  const q = text.trim();
  if ((q.startsWith('"') && q.endsWith('"')) || (q.startsWith("'") && q.endsWith("'"))) return [q.slice(1, -1)];
  return text.split(',').map((s) => s.trim());
}

function scalar(shape: CliShape, text: string, flag: string): unknown {
  if (INTEGER.has(shape.type)) {
    if (!/^-?\d+$/.test(text.trim())) throw new UsageError(`Invalid value for ${flag}: '${text}' is not an integer`);
    return Number(text);
  }
  if (FLOAT.has(shape.type)) {
    const n = Number(text);
    if (text.trim() === '' || Number.isNaN(n))
      throw new UsageError(`Invalid value for ${flag}: '${text}' is not a number`);
    return n;
  }
  if (shape.type === 'boolean') {
    const t = text.trim().toLowerCase();
    if (t !== 'true' && t !== 'false')
      throw new UsageError(`Invalid value for ${flag}: '${text}' is not true or false`);
    return t === 'true';
  }
  return text;
}

/** Coerce the strings of a shorthand value to the types the shape wants. */
export function fromShorthand(model: CliModel, shape: CliShape, v: Shorthand, flag: string): unknown {
  if (shape.type === 'structure') {
    if (typeof v !== 'object' || Array.isArray(v))
      throw new UsageError(
        `Error parsing parameter '${flag}': expected key=value pairs for a structure, got ${JSON.stringify(v)}`,
      );
    const out: Record<string, unknown> = {};
    for (const [k, val] of Object.entries(v)) {
      const m = shape.members.find((x) => x.name === k);
      // unknown keys are kept so validation can name them with the valid ones
      out[k] = m ? fromShorthand(model, shapeOf(model, m.shape), val, `${flag} ${k}`) : val;
    }
    return out;
  }
  if (shape.type === 'map') {
    if (typeof v !== 'object' || Array.isArray(v))
      throw new UsageError(`Error parsing parameter '${flag}': expected key=value pairs for a map`);
    const vs = shapeOf(model, shape.value!);
    return Object.fromEntries(Object.entries(v).map(([k, val]) => [k, fromShorthand(model, vs, val, `${flag} ${k}`)]));
  }
  if (shape.type === 'list') {
    const el = shapeOf(model, shape.member!);
    const items = Array.isArray(v) ? v : [v];
    return items.map((x) => fromShorthand(model, el, x, flag));
  }
  if (typeof v !== 'string')
    throw new UsageError(
      `Error parsing parameter '${flag}': expected a single ${shape.type} value, got ${JSON.stringify(v)}`,
    );
  return scalar(shape, v, flag);
}
