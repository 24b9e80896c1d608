/**
 * Takes the control-plane model (`model/lightsail.json`, compiled into `src/generated/model.ts`
 * so nothing is read from disk at run time) and adapts it to the CLI's view. Accepts botocore-style layouts (`operations`/`shapes` maps, `members` maps,
 * `input: {shape}`) and the same with arrays or camelCase keys, so a cosmetic change in the model
 * file does not break the CLI; a missing fact does, loudly.
 */
import { lightsailModel } from '../../generated/model.js';
import type { CliModel, CliOperation, CliPaginator, CliShape, CliMember, ShapeType } from './types.js';

type Json = Record<string, unknown>;

const isJson = (x: unknown): x is Json => typeof x === 'object' && x !== null;
/** `x` when it is an object, else an empty one (so a missing or odd entry reads as "no facts"). */
const asJson = (x: unknown): Json => (isJson(x) ? x : {});
/** The value of the first of `keys` that `o` has (not null or undefined), as `a ?? b ?? …` would give. */
const first = (o: Json | undefined, ...keys: string[]): unknown => {
  for (const k of keys) if (o?.[k] !== undefined && o[k] !== null) return o[k];
  return undefined;
};
const str = (x: unknown): string | undefined => (typeof x === 'string' ? x : undefined);

export function loadModel(): CliModel {
  return adaptModel(lightsailModel);
}

const docOf = (o: Json | undefined): string =>
  (str(first(o, 'documentation', 'doc', 'docs', 'description')) ?? '').replace(/<[^>]+>/g, '').replace(/\s+/g, ' ').trim();

const refName = (r: unknown): string | undefined =>
  typeof r === 'string' ? r : isJson(r) ? str(first(r, 'shape', 'target', 'name')) : undefined;

function entries(x: unknown): [string, unknown][] {
  if (Array.isArray(x)) return x.map((v: unknown) => [String(asJson(v).name), v]);
  return Object.entries(asJson(x));
}

/** `enum` / `intEnum` shapes are strings / integers with listed values (Smithy style). */
function shapeType(name: string, s: Json): ShapeType {
  const t = String(s.type);
  if (t === 'enum') return 'string';
  if (t === 'intEnum') return 'integer';
  if (!KNOWN.has(t)) throw new Error(`model: shape ${name} has unknown type '${t}'`);
  return t as ShapeType;
}
const KNOWN = new Set(['string', 'integer', 'long', 'float', 'double', 'boolean', 'timestamp', 'blob', 'structure', 'list', 'map']);

function adaptShape(name: string, s: Json): CliShape {
  const members: CliMember[] = entries(s.members).map(([n, m]) => {
    const shape = refName(m);
    if (!shape) throw new Error(`model: member ${name}.${n} has no shape`);
    return { name: n, shape, doc: docOf(asJson(m)) };
  });
  const required: string[] = Array.isArray(s.required)
    ? s.required.map(String)
    : entries(s.members).filter(([, m]) => asJson(m).required === true).map(([n]) => n);
  const enumValues = Array.isArray(s.enum) ? s.enum.map((v: unknown) => (typeof v === 'object' && v ? String((v as Json).value ?? (v as Json).name) : String(v))) : undefined;
  return {
    name,
    type: shapeType(name, s),
    sensitive: s.sensitive === true,
    doc: docOf(s),
    members,
    required,
    member: refName(s.member),
    key: refName(s.key),
    value: refName(s.value),
    enum: enumValues,
    min: typeof s.min === 'number' ? s.min : undefined,
    max: typeof s.max === 'number' ? s.max : undefined,
    pattern: typeof s.pattern === 'string' ? s.pattern : undefined,
  };
}

function adaptPaginator(paginator: unknown): CliPaginator | undefined {
  if (!paginator) return undefined;
  const p = asJson(paginator);
  const inputToken = str(first(p, 'input_token', 'inputToken'));
  const outputToken = str(first(p, 'output_token', 'outputToken'));
  if (!inputToken || !outputToken) return undefined;
  const rk = first(p, 'result_key', 'resultKey', 'items');
  const limitKey = str(first(p, 'limit_key', 'limitKey', 'pageSize'));
  return { inputToken, outputToken, limitKey, resultKeys: Array.isArray(rk) ? rk.map(String) : typeof rk === 'string' ? [rk] : [] };
}

export function adaptModel(model: object): CliModel {
  const m = asJson(model);
  const meta = asJson(m.metadata);
  const defaultPrefix = str(meta.targetPrefix) ?? 'Lightsail_20161128';
  const shapes = new Map<string, CliShape>();
  for (const [n, s] of entries(m.shapes)) shapes.set(n, adaptShape(n, asJson(s)));
  const paginators = asJson(first(asJson(m.paginators), 'pagination') ?? m.paginators);
  const operations: CliOperation[] = entries(m.operations).map(([n, op]) => {
    const o = asJson(op);
    const target = str(o.target) ?? `${str(first(o, 'targetPrefix', 'namespace')) ?? defaultPrefix}.${n}`;
    return {
      name: n,
      target,
      input: refName(o.input),
      output: refName(o.output),
      doc: docOf(o),
      paginator: adaptPaginator(first(o, 'paginator', 'paginated') ?? paginators[n]),
    };
  });
  for (const op of operations) {
    for (const ref of [op.input, op.output]) if (ref && !shapes.has(ref)) throw new Error(`model: operation ${op.name} refers to missing shape '${ref}'`);
  }
  return { signingName: str(first(meta, 'signingName', 'endpointPrefix')) ?? 'lightsail', operations, shapes };
}
