/**
 * ListBuckets: the account's buckets (root), or only its own bucket (bucket access key).
 * Supports prefix, max-buckets (1..10000) and continuation-token (the last name returned).
 */
import type { BucketRecord } from '../../../domain/ports/records.js';
import { S3Error } from '../../errors.js';
import { ownerOf, writeOwner } from '../../owner.js';
import type { S3Call, S3Handler } from '../../types.js';
import { isoMillis, XmlWriter } from '../../xml.js';

const MAX_BUCKETS = 10_000;
const PAGE = 1000;

function maxBuckets(raw: string | undefined): number {
  if (raw === undefined) return MAX_BUCKETS;
  const n = /^\d{1,5}$/.test(raw) ? Number(raw) : NaN;
  if (!(n >= 1 && n <= MAX_BUCKETS)) {
    throw new S3Error('InvalidArgument', `max-buckets must be an integer from 1 to ${MAX_BUCKETS} (got '${raw}')`, {
      ArgumentName: 'max-buckets',
      ArgumentValue: raw,
    });
  }
  return n;
}

async function accountBuckets(
  call: S3Call,
  accountId: string,
  prefix: string,
  after: string | undefined,
  limit: number,
): Promise<{ buckets: BucketRecord[]; more: boolean }> {
  const out: BucketRecord[] = [];
  let cursor = after !== undefined && after >= prefix ? after : undefined;
  for (let pages = 0; pages < MAX_BUCKETS / PAGE + 1; pages++) {
    const rows = await call.services.buckets.listByName(accountId, call.region, cursor, PAGE);
    for (const b of rows) {
      if (!b.name.startsWith(prefix)) {
        if (b.name > prefix) return { buckets: out, more: false };
        continue;
      }
      if (out.length === limit) return { buckets: out, more: true };
      out.push(b);
    }
    if (rows.length < PAGE) break;
    cursor = rows[rows.length - 1].name;
  }
  return { buckets: out, more: false };
}

export const listBuckets: S3Handler = async (call, reply) => {
  const q = call.endpoint.query;
  const prefix = q.get('prefix') ?? '';
  const limit = maxBuckets(q.get('max-buckets'));
  const token = q.get('continuation-token');
  const principal = call.principal;
  if (principal.kind === 'anonymous')
    throw new S3Error('AccessDenied', 'Access Denied: ListBuckets needs a signed request');
  let buckets: BucketRecord[];
  let more = false;
  if (principal.kind === 'bucketKey') {
    const own = await call.services.buckets.findByName(principal.bucketName);
    const visible =
      own !== undefined &&
      own.id === principal.bucketId &&
      own.name.startsWith(prefix) &&
      (token === undefined || own.name > token);
    buckets = visible ? [own] : [];
  } else {
    ({ buckets, more } = await accountBuckets(call, principal.accountId, prefix, token, limit));
  }
  const w = new XmlWriter('ListAllMyBucketsResult');
  writeOwner(w, ownerOf(principal.accountId));
  w.open('Buckets');
  for (const b of buckets) {
    w.open('Bucket')
      .elem('Name', b.name)
      .elem('CreationDate', isoMillis(b.createdAt))
      .elem('BucketRegion', b.region)
      .close('Bucket');
  }
  w.close('Buckets');
  if (more) w.elem('ContinuationToken', buckets[buckets.length - 1].name);
  if (q.has('prefix')) w.elem('Prefix', prefix);
  reply.xml(w);
};
