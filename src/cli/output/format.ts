/** Applies --query, then renders in the chosen --output format (json, yaml, yaml-stream, text, table). */
import { UsageError } from '../errors.js';
import { formatText } from './text.js';
import { formatTable } from './table.js';

export interface FormatOptions {
  output: string;
  query?: string;
  /** title for tables: the operation name */
  title: string;
  color: boolean;
}

export async function applyQuery(data: unknown, query: string | undefined): Promise<unknown> {
  if (query === undefined) return data;
  const jmespath = (await import('jmespath')).default;
  try {
    return jmespath.search(data, query);
  } catch (e) {
    throw new UsageError(`Bad value for --query ${query}: ${(e as Error).message}`);
  }
}

export async function render(data: unknown, o: FormatOptions): Promise<string> {
  const v = await applyQuery(data, o.query);
  switch (o.output) {
    case 'json':
      // like the AWS CLI: an empty response prints nothing, unless a query asked for something
      if (o.query === undefined && isEmptyObject(v)) return '';
      return JSON.stringify(v ?? null, null, 4) + '\n';
    case 'yaml':
    case 'yaml-stream': {
      if (o.query === undefined && isEmptyObject(v)) return '';
      const { stringify } = await import('yaml');
      return stringify(o.output === 'yaml-stream' ? [v ?? null] : (v ?? null), { lineWidth: 0 });
    }
    case 'text':
      if (v === null || v === undefined) return o.query !== undefined ? 'None\n' : '';
      return formatText(v);
    case 'table':
      if (v === null || v === undefined || isEmptyObject(v)) return '';
      return formatTable(o.title, v, o.color);
    default:
      throw new UsageError(`argument --output: Invalid choice '${o.output}'`);
  }
}

const isEmptyObject = (v: unknown): boolean =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0;
