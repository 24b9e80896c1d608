/**
 * `--generate-cli-skeleton input|yaml-input|output`, with the AWS CLI's placeholder rules
 * (botocore ArgumentGenerator): strings '' (the member name for output), enums their first
 * value, numbers 0, booleans true, timestamps 1970-01-01T00:00:00, one list element, maps
 * `KeyName`, a structure already being expanded becomes {}.
 */
import { shapeOf, type CliModel, type CliShape } from './model/types.js';

/** Marks a float placeholder so JSON skeletons print `0.0` like the AWS CLI (JSON.stringify would print 0). */
const FLOAT_ZERO = '\u0000float-zero';

/** JSON text of a skeleton value, floats as 0.0 */
export function skeletonJson(v: unknown): string {
  return JSON.stringify(v, null, 4).replaceAll(JSON.stringify(FLOAT_ZERO), '0.0') + '\n';
}

/** The skeleton as plain data (float placeholders become 0), for YAML/text/table rendering. */
export function plainSkeleton(v: unknown): unknown {
  const plain: unknown = JSON.parse(JSON.stringify(v), (_k, x: unknown) => (x === FLOAT_ZERO ? 0 : x));
  return plain;
}

export function skeletonValue(
  model: CliModel,
  shapeName: string,
  useMemberNames: boolean,
  name = '',
  stack: string[] = [],
): unknown {
  const shape = shapeOf(model, shapeName);
  stack.push(shapeName);
  try {
    switch (shape.type) {
      case 'structure': {
        if (stack.filter((s) => s === shapeName).length > 1) return {};
        const out: Record<string, unknown> = {};
        for (const m of shape.members) out[m.name] = skeletonValue(model, m.shape, useMemberNames, m.name, stack);
        return out;
      }
      case 'list':
        return [skeletonValue(model, shape.member!, useMemberNames, useMemberNames ? shape.member! : '', stack)];
      case 'map':
        return { KeyName: skeletonValue(model, shape.value!, useMemberNames, '', stack) };
      case 'string':
        if (useMemberNames) return name;
        return shape.enum?.[0] ?? '';
      case 'integer':
      case 'long':
        return 0;
      case 'float':
      case 'double':
        return FLOAT_ZERO;
      case 'boolean':
        return true;
      case 'timestamp':
        return '1970-01-01T00:00:00';
      default:
        return '';
    }
  } finally {
    stack.pop();
  }
}

export function jsonInputSkeleton(model: CliModel, inputShape: string | undefined): string {
  return skeletonJson(inputShape ? skeletonValue(model, inputShape, false) : {});
}

const oneLine = (s: string): string => s.replace(/\s+/g, ' ').trim();

function comment(model: CliModel, shape: CliShape, doc: string, required: boolean): string {
  const parts: string[] = [];
  if (required) parts.push('[REQUIRED]');
  if (doc) parts.push(oneLine(doc));
  if (shape.enum) parts.push(`Valid values are: ${shape.enum.join(', ')}.`);
  return parts.length ? `  # ${parts.join(' ')}` : '';
}

function scalarYaml(model: CliModel, shape: CliShape): string {
  const v = plainSkeleton(skeletonValue(model, shape.name, false));
  if (typeof v === 'string') return v === '' ? "''" : /^[A-Za-z][\w./-]*$/.test(v) ? v : JSON.stringify(v);
  return JSON.stringify(v);
}

function emitStructure(model: CliModel, shape: CliShape, indent: number, stack: string[], out: string[]): void {
  const pad = ' '.repeat(indent);
  for (const m of shape.members) {
    const s = shapeOf(model, m.shape);
    const c = comment(model, s, m.doc || s.doc, shape.required.includes(m.name));
    emitValue(model, s, `${pad}${m.name}:`, indent, c, stack, out);
  }
}

function emitValue(
  model: CliModel,
  s: CliShape,
  head: string,
  indent: number,
  c: string,
  stack: string[],
  out: string[],
): void {
  const pad = ' '.repeat(indent);
  if (s.type === 'structure') {
    if (stack.includes(s.name)) return void out.push(`${head} {}${c}`);
    out.push(`${head}${c}`);
    emitStructure(model, s, indent + 2, [...stack, s.name], out);
  } else if (s.type === 'list') {
    out.push(`${head}${c}`);
    const el = shapeOf(model, s.member!);
    if (el.type === 'structure' && !stack.includes(el.name)) {
      const inner: string[] = [];
      emitStructure(model, el, indent + 2, [...stack, el.name], inner);
      inner.forEach((line, i) => out.push(i === 0 ? `${pad}- ${line.slice(indent + 2)}` : line));
    } else if (el.type === 'structure' || el.type === 'list' || el.type === 'map') {
      out.push(`${pad}- {}`);
    } else {
      out.push(`${pad}- ${scalarYaml(model, el)}${comment(model, el, '', false)}`);
    }
  } else if (s.type === 'map') {
    out.push(`${head}${c}`);
    const v = shapeOf(model, s.value!);
    emitValue(model, v, `${pad}  KeyName:`, indent + 2, '', stack, out);
  } else {
    out.push(`${head} ${scalarYaml(model, s)}${c}`);
  }
}

/** The YAML input skeleton, with `# [REQUIRED]`, each member's meaning and its valid values as comments. */
export function yamlInputSkeleton(model: CliModel, inputShape: string | undefined): string {
  if (!inputShape) return '{}\n';
  const out: string[] = [];
  emitStructure(model, shapeOf(model, inputShape), 0, [inputShape], out);
  return out.length ? out.join('\n') + '\n' : '{}\n';
}

export function outputSkeleton(model: CliModel, outputShape: string | undefined): unknown {
  return outputShape ? skeletonValue(model, outputShape, true) : {};
}
