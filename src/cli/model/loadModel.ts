/**
 * Takes the control-plane model (`model/lightsail.json`, compiled into `src/generated/model.ts`
 * so nothing is read from disk at run time) and adapts it to the CLI's view. Accepts botocore-style layouts (`operations`/`shapes` maps, `members` maps,
 * `input: {shape}`) and the same with arrays or camelCase keys, so a cosmetic change in the model
 * file does not break the CLI; a missing fact does, loudly.
 */
import { lightsailModel } from '../../generated/model.js';
import type { CliModel, CliOperation, CliPaginator, CliShape, CliMember, ShapeType } from './types.js';

type Json = Record<string, any>;

export function loadModel(): CliModel {
  return adaptModel(lightsailModel);
}

const docOf = (o: Json | undefined): string =>
  String(o?.documentation ?? o?.doc ?? o?.docs ?? o?.description ?? '').replace(/<[^>]+>/g, '').replace(/\s+/g, ' ').trim();

const refName = (r: unknown): string | undefined =>
  typeof r === 'string' ? r : r && typeof r === 'object' ? ((r as Json).shape ?? (r as Json).target ?? (r as Json).name) : undefined;

function entries(x: unknown): [string, Json][] {
  if (Array.isArray(x)) return x.map((v: Json) => [String(v.name), v]);
  return Object.entries((x ?? {}) as Json);
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
    return { name: n, shape, doc: docOf(m) };
  });
  const required: string[] = Array.isArray(s.required)
    ? s.required
    : entries(s.members).filter(([, m]) => m.required === true).map(([n]) => n);
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

function adaptPaginator(p: Json | undefined): CliPaginator | undefined {
  if (!p) return undefined;
  const inputToken = p.input_token ?? p.inputToken;
  const outputToken = p.output_token ?? p.outputToken;
  if (!inputToken || !outputToken) return undefined;
  const rk = p.result_key ?? p.resultKey ?? p.items ?? [];
  return { inputToken, outputToken, limitKey: p.limit_key ?? p.limitKey ?? p.pageSize, resultKeys: Array.isArray(rk) ? rk : [rk] };
}

export function adaptModel(m: Json): CliModel {
  const meta: Json = m.metadata ?? {};
  const defaultPrefix: string = meta.targetPrefix ?? 'Lightsail_20161128';
  const shapes = new Map<string, CliShape>();
  for (const [n, s] of entries(m.shapes)) shapes.set(n, adaptShape(n, s));
  const paginators: Json = m.paginators?.pagination ?? m.paginators ?? {};
  const operations: CliOperation[] = entries(m.operations).map(([n, o]) => {
    const target: string = o.target ?? `${o.targetPrefix ?? o.namespace ?? defaultPrefix}.${n}`;
    return {
      name: n,
      target,
      input: refName(o.input),
      output: refName(o.output),
      doc: docOf(o),
      paginator: adaptPaginator(o.paginator ?? o.paginated ?? paginators[n]),
    };
  });
  for (const op of operations) {
    for (const ref of [op.input, op.output]) if (ref && !shapes.has(ref)) throw new Error(`model: operation ${op.name} refers to missing shape '${ref}'`);
  }
  return { signingName: meta.signingName ?? meta.endpointPrefix ?? 'lightsail', operations, shapes };
}
