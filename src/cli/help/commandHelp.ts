/**
 * `sailbucket <command> help` / `--help`: the AWS CLI reference layout — NAME, DESCRIPTION,
 * SYNOPSIS, OPTIONS (type, meaning, valid values, shorthand and JSON syntax), GLOBAL OPTIONS and
 * OUTPUT as a tree — all from the model.
 */
import { shapeOf, type CliModel, type CliShape } from '../model/types.js';
import type { CommandSpec, FlagSpec } from '../commandTable.js';
import { paginatorFor } from '../paginators.js';
import { globalOptionsHelp } from './globalHelp.js';
import { wrap } from './wrap.js';

const typeLabel = (s: CliShape): string => (s.type === 'long' ? 'long' : s.type);

export function commandHelp(model: CliModel, spec: CommandSpec): string {
  const out: string[] = [];
  const pag = paginatorFor(model, spec.operation);
  const hidden = new Set(pag ? [pag.inputToken] : []);
  const flags = spec.flags.filter((f) => !hidden.has(f.member));
  out.push(`${spec.command.toUpperCase()}()`, '', 'NAME', `       ${spec.command} -`, '', 'DESCRIPTION');
  out.push(...wrap(spec.operation.doc || spec.operation.name, 7));
  if (pag)
    out.push(
      '',
      ...wrap(
        `${spec.command} is a paginated operation: it follows ${pag.outputToken} and prints every page unless --no-paginate is given. Use --max-items, --page-size and --starting-token to page by hand.`,
        7,
      ),
    );
  if (spec.operation.target.split('.')[0] !== 'Lightsail_20161128')
    out.push(
      '',
      ...wrap(
        `This command is a Sailbucket extension (X-Amz-Target ${spec.operation.target}); the AWS CLI has no equivalent.`,
        7,
      ),
    );
  out.push('', 'SYNOPSIS', `            ${spec.command}`);
  for (const f of flags) {
    const usage = f.type === 'boolean' ? `${f.flag} | ${f.negated}` : `${f.flag} <value>`;
    out.push(`          ${f.required ? usage : `[${usage}]`}`);
  }
  out.push('          [--cli-input-json <value> | --cli-input-yaml <value>]');
  if (pag)
    out.push(
      '          [--starting-token <value>]',
      '          [--page-size <value>]',
      '          [--max-items <value>]',
    );
  out.push(
    '          [--generate-cli-skeleton <value>]',
    '          [--debug]',
    '          [--endpoint-url <value>]',
    '          [--no-paginate]',
    '          [--output <value>]',
    '          [--query <value>]',
    '          [--profile <value>]',
    '          [--region <value>]',
    '          [--color <value>]',
    '          [--no-cli-pager]',
    '          [--cli-read-timeout <value>]',
    '          [--cli-connect-timeout <value>]',
  );
  out.push('', 'OPTIONS');
  if (flags.length === 0) out.push('       None');
  for (const f of flags) out.push(...optionHelp(model, f), '');
  out.push(...globalOptionsHelp(), '', 'OUTPUT');
  const output = spec.operation.output ? shapeOf(model, spec.operation.output) : undefined;
  if (!output || output.members.length === 0) out.push('       None');
  else for (const m of output.members) outputTree(model, m.name, m.shape, m.doc, 7, [output.name], out);
  return out.join('\n') + '\n';
}

function optionHelp(model: CliModel, f: FlagSpec): string[] {
  const s = shapeOf(model, f.shape);
  const out = [
    `       ${f.type === 'boolean' ? `${f.flag} | ${f.negated}` : f.flag} (${typeLabel(s)})${f.required ? ' [required]' : ''}`,
  ];
  out.push(...wrap(f.doc || `The ${f.member} member.`, 10));
  if (s.enum) out.push('', '          Possible values:', ...s.enum.map((v) => `          o ${v}`));
  if (s.type === 'list' && shapeOf(model, s.member!).enum)
    out.push('', '          Possible values:', ...shapeOf(model, s.member!).enum!.map((v) => `          o ${v}`));
  if (s.type === 'timestamp') out.push('', '          ISO 8601 (2026-01-31T12:00:00Z) or epoch seconds.');
  if (s.type === 'structure' || s.type === 'list' || s.type === 'map') {
    const sh = shorthandSyntax(model, s);
    if (sh) out.push('', '       Shorthand Syntax:', '', `          ${sh}`);
    out.push(
      '',
      '       JSON Syntax:',
      '',
      ...JSON.stringify(typeSkeleton(model, s.name, []), null, 2)
        .split('\n')
        .map((l) => `          ${l}`),
    );
  }
  return out;
}

function scalarName(s: CliShape): string {
  return s.enum ? s.enum.join('|') : s.type;
}

function shorthandSyntax(model: CliModel, s: CliShape): string | undefined {
  const flat = (st: CliShape): string | undefined => {
    const parts: string[] = [];
    for (const m of st.members) {
      const ms = shapeOf(model, m.shape);
      if (ms.type === 'structure' || ms.type === 'map') return undefined;
      if (ms.type === 'list') {
        const el = shapeOf(model, ms.member!);
        if (el.type === 'structure') return undefined;
        parts.push(`${m.name}=${scalarName(el)},${scalarName(el)}`);
      } else parts.push(`${m.name}=${scalarName(ms)}`);
    }
    return parts.join(',');
  };
  if (s.type === 'structure') return flat(s);
  if (s.type === 'map')
    return `KeyName1=${scalarName(shapeOf(model, s.value!))},KeyName2=${scalarName(shapeOf(model, s.value!))}`;
  const el = shapeOf(model, s.member!);
  if (el.type === 'structure') {
    const one = flat(el);
    return one ? `${one} ...` : undefined;
  }
  if (el.type === 'list' || el.type === 'map') return undefined;
  return `${scalarName(el)} ${scalarName(el)} ...`;
}

function typeSkeleton(model: CliModel, name: string, stack: string[]): unknown {
  const s = shapeOf(model, name);
  if (s.type === 'structure') {
    if (stack.includes(name)) return {};
    return Object.fromEntries(s.members.map((m) => [m.name, typeSkeleton(model, m.shape, [...stack, name])]));
  }
  if (s.type === 'list') return [typeSkeleton(model, s.member!, stack), '...'];
  if (s.type === 'map') return { string: typeSkeleton(model, s.value!, stack) };
  if (s.type === 'boolean') return 'true|false';
  return scalarName(s);
}

function outputTree(
  model: CliModel,
  name: string,
  shapeName: string,
  doc: string,
  indent: number,
  stack: string[],
  out: string[],
): void {
  const s = shapeOf(model, shapeName);
  out.push(`${' '.repeat(indent)}${name} -> (${typeLabel(s)})`);
  const d = doc || s.doc;
  if (d) out.push(...wrap(d, indent + 3));
  if (s.enum) out.push(...wrap(`Possible values: ${s.enum.join(', ')}`, indent + 3));
  if (stack.includes(shapeName)) return;
  if (s.type === 'structure')
    for (const m of s.members) outputTree(model, m.name, m.shape, m.doc, indent + 3, [...stack, shapeName], out);
  else if (s.type === 'list') outputTree(model, '', s.member!, '', indent + 3, [...stack, shapeName], out);
  else if (s.type === 'map') outputTree(model, 'value', s.value!, '', indent + 3, [...stack, shapeName], out);
  out.push('');
}
