/**
 * Follows nextPageToken the way the AWS CLI does: every page unless --no-paginate, result lists
 * merged, --page-size as the limit member (when the model has one), --max-items truncating with
 * a `NextToken` that --starting-token resumes from.
 */
import { CliFailure, UsageError } from './errors.js';
import type { CliPaginator } from './model/types.js';

/** Upper bound on pages followed in one command, so a server that never stops cannot loop us forever. */
export const MAX_PAGES = 10_000;

export interface PageOptions {
  pageSize?: number;
  maxItems?: number;
  startingToken?: string;
  onPage?: (page: Record<string, unknown>) => Promise<void>;
}

interface ResumeToken {
  token?: string;
  skip: number;
}

export function encodeNextToken(t: ResumeToken): string {
  return Buffer.from(JSON.stringify(t)).toString('base64');
}

export function decodeStartingToken(s: string): ResumeToken {
  try {
    const j = JSON.parse(Buffer.from(s, 'base64').toString('utf8')) as ResumeToken;
    if (typeof j === 'object' && j && typeof j.skip === 'number') return j;
  } catch {
    // not one of ours: a raw service page token
  }
  if (!s) throw new UsageError("argument --starting-token: '' is not a token");
  return { token: s, skip: 0 };
}

export async function paginate(
  pag: CliPaginator,
  input: Record<string, unknown>,
  call: (input: Record<string, unknown>) => Promise<Record<string, unknown>>,
  o: PageOptions,
): Promise<Record<string, unknown>> {
  const start = o.startingToken !== undefined ? decodeStartingToken(o.startingToken) : { skip: 0 };
  let token = start.token;
  let skip = start.skip;
  let merged: Record<string, unknown> | undefined;
  let items = 0;
  const seen = new Set<string>();
  for (let page = 0; page < MAX_PAGES; page++) {
    const req = { ...input };
    if (token !== undefined) req[pag.inputToken] = token;
    if (o.pageSize !== undefined && pag.limitKey) req[pag.limitKey] = o.pageSize;
    const res = await call(req);
    const next =
      typeof res[pag.outputToken] === 'string' && res[pag.outputToken] !== ''
        ? (res[pag.outputToken] as string)
        : undefined;
    const pageOut: Record<string, unknown> = { ...res };
    delete pageOut[pag.outputToken];
    for (const k of pag.resultKeys)
      if (Array.isArray(pageOut[k]) && skip) pageOut[k] = (pageOut[k] as unknown[]).slice(skip);
    const pageItems = Math.max(
      0,
      ...pag.resultKeys.map((k) => (Array.isArray(pageOut[k]) ? (pageOut[k] as unknown[]).length : 0)),
    );
    let truncatedAt: number | undefined;
    if (o.maxItems !== undefined && items + pageItems > o.maxItems) {
      truncatedAt = o.maxItems - items;
      for (const k of pag.resultKeys)
        if (Array.isArray(pageOut[k])) pageOut[k] = (pageOut[k] as unknown[]).slice(0, truncatedAt);
    }
    items += truncatedAt ?? pageItems;
    await o.onPage?.(pageOut);
    merged = merged ? mergePage(merged, pageOut, pag) : pageOut;
    if (truncatedAt !== undefined) {
      merged.NextToken = encodeNextToken({ token, skip: skip + truncatedAt });
      return merged;
    }
    if (next === undefined) return merged;
    if (o.maxItems !== undefined && items >= o.maxItems) {
      merged.NextToken = encodeNextToken({ token: next, skip: 0 });
      return merged;
    }
    if (seen.has(next))
      throw new CliFailure(`the service returned the same ${pag.outputToken} twice ('${next}'); stopping pagination`);
    seen.add(next);
    token = next;
    skip = 0;
  }
  throw new CliFailure(`stopped after ${MAX_PAGES} pages; use --max-items and --starting-token to page further`);
}

function mergePage(
  acc: Record<string, unknown>,
  page: Record<string, unknown>,
  pag: CliPaginator,
): Record<string, unknown> {
  const out = { ...acc };
  for (const k of pag.resultKeys) {
    if (Array.isArray(page[k])) out[k] = [...((out[k] as unknown[]) ?? []), ...(page[k] as unknown[])];
  }
  return out;
}
