/**
 * The CLI's view of the control-plane model: just what commands, flags, help, skeletons and
 * output formatting need. `loadModel.ts` adapts `model/lightsail.json` to it, so the rest of
 * the CLI never depends on the model file's exact layout.
 */
export type ScalarType = 'string' | 'integer' | 'long' | 'float' | 'double' | 'boolean' | 'timestamp' | 'blob';
export type ShapeType = ScalarType | 'structure' | 'list' | 'map';

export interface CliMember {
  name: string;
  shape: string;
  doc: string;
}

export interface CliShape {
  name: string;
  type: ShapeType;
  doc: string;
  /** structure members in model order */
  members: CliMember[];
  required: string[];
  /** list element shape */
  member?: string;
  /** map key / value shapes */
  key?: string;
  value?: string;
  enum?: string[];
  min?: number;
  max?: number;
  pattern?: string;
  /** a value never to print in --debug output (e.g. secretAccessKey) */
  sensitive?: boolean;
}

export interface CliPaginator {
  inputToken: string;
  outputToken: string;
  limitKey?: string;
  resultKeys: string[];
}

export interface CliOperation {
  name: string;
  /** the full X-Amz-Target header value, e.g. `Lightsail_20161128.GetBuckets` */
  target: string;
  input?: string;
  output?: string;
  doc: string;
  paginator?: CliPaginator;
}

export interface CliModel {
  /** signing name, e.g. `lightsail` */
  signingName: string;
  operations: CliOperation[];
  shapes: Map<string, CliShape>;
}

export function shapeOf(model: CliModel, name: string): CliShape {
  const s = model.shapes.get(name);
  if (!s) throw new Error(`model has no shape '${name}'`);
  return s;
}
