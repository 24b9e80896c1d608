/**
 * Which operations paginate: the model's `paginator` entries, and (documented in
 * docs/compat/cli.md) any operation whose input has `pageToken` and output `nextPageToken`,
 * e.g. GetBuckets, so `get-buckets` follows pages the way the spec asks.
 */
import { shapeOf, type CliModel, type CliOperation, type CliPaginator } from './model/types.js';

export function paginatorFor(model: CliModel, op: CliOperation): CliPaginator | undefined {
  if (op.paginator) return op.paginator;
  if (!op.input || !op.output) return undefined;
  const input = shapeOf(model, op.input);
  const output = shapeOf(model, op.output);
  if (!input.members.some((m) => m.name === 'pageToken') || !output.members.some((m) => m.name === 'nextPageToken'))
    return undefined;
  const resultKeys = output.members.filter((m) => shapeOf(model, m.shape).type === 'list').map((m) => m.name);
  return resultKeys.length ? { inputToken: 'pageToken', outputToken: 'nextPageToken', resultKeys } : undefined;
}
