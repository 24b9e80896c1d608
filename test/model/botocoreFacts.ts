// Helpers for the drift test: the comparable facts of botocore's Lightsail model and of ours.
import { spawnSync } from 'node:child_process';
import type { ServiceModel, ShapeModel } from '../../src/model/types.js';

export interface ShapeFacts {
  type: string;
  members?: Record<string, { shape: string; deprecated?: boolean }>;
  required?: string[];
  enum?: string[];
  min?: number;
  max?: number;
  pattern?: string;
  sensitive?: boolean;
  member?: string;
  key?: string;
  value?: string;
  exception?: boolean;
  fault?: boolean;
}
export interface OperationFacts {
  input: string;
  output: string;
  errors: string[];
  paginator: { inputToken: string; outputToken: string; resultKey: string } | null;
}
export interface ModelFacts {
  targetPrefix: string;
  operations: Record<string, OperationFacts>;
  shapes: Record<string, ShapeFacts>;
}

// Reads botocore's Lightsail model and prints the facts of the named operations and every shape they reach.
const PYTHON = String.raw`
import json, sys
import botocore.session as s
sess = s.get_session()
raw = sess.get_service_model('lightsail')._service_description
pag = sess.get_paginator_model('lightsail')._paginator_config
names = json.loads(sys.stdin.read())
shapes = {}
def walk(n):
    if n in shapes: return
    sh = raw['shapes'][n]
    f = {'type': 'enum' if sh['type'] == 'string' and 'enum' in sh else sh['type']}
    if 'members' in sh:
        f['members'] = {}
        for m, v in sh['members'].items():
            e = {'shape': v['shape']}
            if v.get('deprecated'): e['deprecated'] = True
            f['members'][m] = e
    for k in ('required', 'enum'):
        if k in sh: f[k] = list(sh[k])
    for k in ('min', 'max', 'pattern'):
        if k in sh: f[k] = sh[k]
    for k in ('sensitive', 'exception', 'fault'):
        if sh.get(k): f[k] = True
    for k in ('member', 'key', 'value'):
        if k in sh: f[k] = sh[k]['shape']
    shapes[n] = f
    for v in sh.get('members', {}).values(): walk(v['shape'])
    for k in ('member', 'key', 'value'):
        if k in sh: walk(sh[k]['shape'])
ops = {}
for o in names:
    if o not in raw['operations']:
        continue
    op = raw['operations'][o]
    p = pag.get(o)
    ops[o] = {'input': op['input']['shape'], 'output': op['output']['shape'],
              'errors': [e['shape'] for e in op.get('errors', [])],
              'paginator': {'inputToken': p['input_token'], 'outputToken': p['output_token'], 'resultKey': p['result_key']} if p else None}
    walk(op['input']['shape']); walk(op['output']['shape'])
    for e in op.get('errors', []): walk(e['shape'])
print(json.dumps({'targetPrefix': raw['metadata']['targetPrefix'], 'operations': ops, 'shapes': shapes}))
`;

/** Spawns python3 to read botocore's facts for the given operation names. Throws with python's stderr on failure. */
export function botocoreFacts(operationNames: readonly string[]): ModelFacts {
  const r = spawnSync('python3', ['-c', PYTHON], { input: JSON.stringify(operationNames), encoding: 'utf8', timeout: 60_000 });
  if (r.error) throw new Error(`could not run python3 to read botocore's model: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`python3 failed reading botocore's Lightsail model (exit ${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout) as ModelFacts;
}

function shapeFacts(shape: ShapeModel): ShapeFacts {
  const f: ShapeFacts = { type: shape.type };
  if (shape.members) {
    f.members = {};
    for (const [m, v] of Object.entries(shape.members)) f.members[m] = v.deprecated ? { shape: v.shape, deprecated: true } : { shape: v.shape };
  }
  if (shape.required) f.required = [...shape.required];
  if (shape.enum) f.enum = [...shape.enum];
  if (shape.min !== undefined) f.min = shape.min;
  if (shape.max !== undefined) f.max = shape.max;
  if (shape.pattern !== undefined) f.pattern = shape.pattern;
  if (shape.sensitive) f.sensitive = true;
  if (shape.exception) f.exception = true;
  if (shape.fault) f.fault = true;
  if (shape.member) f.member = shape.member.shape;
  if (shape.key) f.key = shape.key.shape;
  if (shape.value) f.value = shape.value.shape;
  return f;
}

/** The same facts from our model, leaving out extension operations and shapes, documentation and 'sailbucket' fields. */
export function ourFacts(model: ServiceModel): ModelFacts {
  const operations: Record<string, OperationFacts> = {};
  for (const [name, op] of Object.entries(model.operations)) {
    if (op.extension) continue;
    operations[name] = {
      input: op.input, output: op.output, errors: [...op.errors],
      paginator: op.paginator ? { inputToken: op.paginator.inputToken, outputToken: op.paginator.outputToken, resultKey: op.paginator.resultKey } : null,
    };
  }
  const shapes: Record<string, ShapeFacts> = {};
  for (const [name, shape] of Object.entries(model.shapes)) if (!shape.extension) shapes[name] = shapeFacts(shape);
  return { targetPrefix: model.metadata.targetPrefix, operations, shapes };
}

/** Every difference between two fact sets, one line each ("shape Bucket: member 'x' ..."). */
export function diffFacts(ours: ModelFacts, theirs: ModelFacts): string[] {
  const out: string[] = [];
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  if (ours.targetPrefix !== theirs.targetPrefix) out.push(`targetPrefix: ours '${ours.targetPrefix}', botocore '${theirs.targetPrefix}'`);
  for (const kind of ['operations', 'shapes'] as const) {
    const a = ours[kind] as Record<string, object>;
    const b = theirs[kind] as Record<string, object>;
    for (const n of Object.keys(b)) if (!(n in a)) out.push(`${kind}: '${n}' is in botocore but missing from our model`);
    for (const n of Object.keys(a)) if (!(n in b)) out.push(`${kind}: '${n}' is in our model but not in botocore (or not reachable from our operations)`);
    for (const n of Object.keys(a)) {
      if (!(n in b)) continue;
      const x = a[n] as Record<string, unknown>;
      const y = b[n] as Record<string, unknown>;
      for (const k of new Set([...Object.keys(x), ...Object.keys(y)])) {
        if (!same(x[k], y[k])) out.push(`${kind} ${n}.${k}: ours ${JSON.stringify(x[k])}, botocore ${JSON.stringify(y[k])}`);
      }
    }
  }
  return out;
}
