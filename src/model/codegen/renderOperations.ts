import type { ServiceModel } from '../types.js';
import { jsDoc, sortedKeys } from './tsNames.js';

const q = (s: string) => JSON.stringify(s);

/** Operation names, the operation table and the input/output type map. */
export function renderOperations(model: ServiceModel): string {
  const names = Object.keys(model.operations);
  const out: string[] = [];
  out.push(`export type OperationName =\n${names.map((n) => `  | ${q(n)}`).join('\n')};\n`);
  out.push(`export const OPERATION_NAMES: readonly OperationName[] = [${names.map(q).join(', ')}];\n`);
  out.push('/** Input and output types of each operation. */\nexport interface OperationTypes {\n' +
    names.map((n) => {
      const op = model.operations[n];
      return `  ${n}: { input: ${op.input}; output: ${op.output} };\n`;
    }).join('') + '}\n');
  out.push('export interface OperationTableEntry {\n  readonly name: OperationName;\n  /** Full X-Amz-Target value. */\n' +
    '  readonly target: string;\n  readonly targetPrefix: string;\n  readonly input: string;\n  readonly output: string;\n' +
    '  readonly errors: readonly LightsailErrorName[];\n' +
    '  readonly paginator: { readonly inputToken: string; readonly outputToken: string; readonly resultKey: string } | null;\n' +
    '  readonly extension: boolean;\n}\n');
  const rows = names.map((n) => {
    const op = model.operations[n];
    const p = op.paginator;
    const pag = p ? `{ inputToken: ${q(p.inputToken)}, outputToken: ${q(p.outputToken)}, resultKey: ${q(p.resultKey)} }` : 'null';
    return `${jsDoc([op.documentation], '  ')}  ${n}: {\n    name: ${q(n)},\n    target: ${q(`${op.targetPrefix}.${n}`)},\n` +
      `    targetPrefix: ${q(op.targetPrefix)},\n    input: ${q(op.input)},\n    output: ${q(op.output)},\n` +
      `    errors: [${op.errors.map(q).join(', ')}],\n    paginator: ${pag},\n    extension: ${op.extension === true},\n  },\n`;
  });
  out.push(`/** Every operation: its target, shapes, errors and paginator. */\nexport const OPERATIONS: { readonly [N in OperationName]: OperationTableEntry } = {\n${rows.join('')}};\n`);
  return out.join('\n');
}

/** The error name union, HTTP statuses and one typed error class per exception shape. */
export function renderErrors(model: ServiceModel): string {
  const errs = sortedKeys(model.shapes).filter((n) => model.shapes[n].exception === true);
  const out: string[] = [];
  out.push(`export type LightsailErrorName =\n${errs.map((n) => `  | ${q(n)}`).join('\n')};\n`);
  out.push(`export const ERROR_NAMES: readonly LightsailErrorName[] = [${errs.map(q).join(', ')}];\n`);
  out.push(`/** HTTP status of each error on the wire. */\nexport const ERROR_HTTP_STATUS: { readonly [E in LightsailErrorName]: number } = {\n` +
    errs.map((n) => `  ${n}: ${model.shapes[n].httpStatus ?? 400},\n`).join('') + '};\n');
  out.push(
    '/** Base of the typed control-plane errors; `name` and `code` are the wire `__type`. */\n' +
    'export abstract class LightsailServiceError extends Error {\n' +
    '  abstract override readonly name: LightsailErrorName;\n' +
    '  readonly docs?: string;\n  readonly tip?: string;\n' +
    '  constructor(message: string, extras: { docs?: string; tip?: string } = {}) {\n' +
    '    super(message);\n    if (extras.docs !== undefined) this.docs = extras.docs;\n    if (extras.tip !== undefined) this.tip = extras.tip;\n  }\n' +
    '  get code(): LightsailErrorName { return this.name; }\n' +
    '  get httpStatus(): number { return ERROR_HTTP_STATUS[this.name]; }\n}\n');
  for (const n of errs) {
    out.push(`${jsDoc([model.shapes[n].documentation])}export class ${n} extends LightsailServiceError {\n  override readonly name = ${q(n)};\n}\n`);
  }
  out.push('/** Builds the typed error for a wire error name. */\n' +
    'export function createLightsailError(name: LightsailErrorName, message: string, extras: { docs?: string; tip?: string } = {}): LightsailServiceError {\n' +
    '  switch (name) {\n' + errs.map((n) => `    case ${q(n)}: return new ${n}(message, extras);\n`).join('') + '  }\n}\n');
  return out.join('\n');
}
