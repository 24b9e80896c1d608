/**
 * Put/Get/DeleteBucketLifecycleConfiguration (root only, by the operation table): S3 lifecycle
 * rules, a Sailbucket extension on Lightsail buckets, applied by the leader's lifecycle runner
 * (src/domain/lifecycle). Expiration actions only: Lightsail buckets keep every object in STANDARD,
 * so transitions are refused with a clear error. Rules are answered as they were put (a legacy
 * `Prefix` stays a `Prefix`, a `Filter` a `Filter`). Like S3, a put needs Content-MD5 or a checksum.
 */
import { randomBytes } from 'node:crypto';
import type { LifecycleFilterTerms, LifecycleRule, Tag } from '../../../domain/ports/records.js';
import { S3Error } from '../../errors.js';
import type { BucketCall, S3Handler } from '../../types.js';
import { asList, asText, readBoundedBody, XmlWriter } from '../../xml.js';
import { hasIntegrityHeader } from './DeleteObjects.js';

const MAX_RULES = 1000;
const MAX_ID = 255;
const DAY_MS = 86_400_000;

type Node = Record<string, unknown>;
const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);
/** An element that may be empty (`<Filter/>` parses to ''): its children, or undefined when absent. */
const children = (v: unknown): Node | undefined => (v === undefined ? undefined : isNode(v) ? v : {});

function positive(v: unknown, what: string, max = 2_147_483_647): number {
  const t = asText(v);
  if (t === undefined || !/^\d{1,10}$/.test(t.trim()) || Number(t) < 1 || Number(t) > max)
    throw new S3Error(
      'InvalidArgument',
      `'${what}' must be a positive integer${max < 2_147_483_647 ? ` up to ${max}` : ''} (got '${t ?? ''}').`,
    );
  return Number(t);
}

function size(v: unknown, what: string): number | undefined {
  const t = asText(v);
  if (t === undefined) return undefined;
  if (!/^\d{1,16}$/.test(t.trim()))
    throw new S3Error('InvalidArgument', `'${what}' must be a whole number of bytes (got '${t}').`);
  return Number(t);
}

function midnight(v: unknown, where: string): number {
  const t = asText(v)?.trim() ?? '';
  const ms = /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(t)
    ? Date.parse(t.length === 10 ? `${t}T00:00:00Z` : t)
    : NaN;
  if (!Number.isFinite(ms)) throw new S3Error('InvalidArgument', `${where}: '${t}' is not an ISO 8601 date.`);
  if (ms % DAY_MS !== 0) throw new S3Error('InvalidArgument', `${where}: 'Date' must be at midnight GMT (got '${t}').`);
  return ms;
}

function tag(v: unknown, where: string): Tag {
  const n = children(v) ?? {};
  const key = asText(n.Key);
  if (key === undefined || key === '') throw new S3Error('MalformedXML', `${where}: a Tag needs a Key.`);
  return { key, value: asText(n.Value) ?? '' };
}

/** The conditions of `<Filter>` or of its `<And>`. */
function terms(n: Node, where: string): LifecycleFilterTerms {
  const out: LifecycleFilterTerms = {};
  const prefix = asText(n.Prefix);
  if (prefix !== undefined) out.prefix = prefix;
  const tags = asList(n.Tag).map((t) => tag(t, where));
  if (tags.length > 0) out.tags = tags;
  const gt = size(n.ObjectSizeGreaterThan, 'ObjectSizeGreaterThan');
  if (gt !== undefined) out.objectSizeGreaterThan = gt;
  const lt = size(n.ObjectSizeLessThan, 'ObjectSizeLessThan');
  if (lt !== undefined) out.objectSizeLessThan = lt;
  if (gt !== undefined && lt !== undefined && gt >= lt)
    throw new S3Error(
      'InvalidArgument',
      `${where}: ObjectSizeGreaterThan (${gt}) must be less than ObjectSizeLessThan (${lt}).`,
    );
  return out;
}

function filter(v: unknown, where: string): NonNullable<LifecycleRule['filter']> {
  const n = children(v) ?? {};
  if (n.And !== undefined) {
    if (Object.keys(n).length > 1)
      throw new S3Error('MalformedXML', `${where}: a Filter holds either And or one condition, not both.`);
    return { ...terms(children(n.And) ?? {}, where), and: true };
  }
  const t = terms(n, where);
  if ((t.tags?.length ?? 0) > 1 || Object.keys(t).length > 1)
    throw new S3Error('MalformedXML', `${where}: a Filter with more than one condition must put them in an And.`);
  return t;
}

function parseRule(raw: unknown, i: number): LifecycleRule {
  const r = children(raw) ?? {};
  const given = asText(r.ID);
  const where = `Rule ${i + 1}${given ? ` ('${given.slice(0, 40)}')` : ''}`;
  if (given !== undefined && given.length > MAX_ID)
    throw new S3Error('InvalidArgument', `${where}: ID length should not exceed allowed limit of ${MAX_ID}.`);
  const status = asText(r.Status);
  if (status !== 'Enabled' && status !== 'Disabled')
    throw new S3Error('MalformedXML', `${where}: Status must be Enabled or Disabled (got '${status ?? ''}').`);
  if (r.Transition !== undefined || r.NoncurrentVersionTransition !== undefined) {
    // Checked like S3 first (a bad date is a bad date), then refused.
    for (const t of [...asList(r.Transition), ...asList(r.NoncurrentVersionTransition)]) {
      const n = children(t) ?? {};
      if (n.Date !== undefined) midnight(n.Date, `${where} Transition`);
    }
    throw new S3Error(
      'InvalidRequest',
      `${where}: transitions are not supported: a Lightsail bucket keeps every object in the STANDARD storage class. Use Expiration, NoncurrentVersionExpiration or AbortIncompleteMultipartUpload.`,
    );
  }
  const rule: LifecycleRule = { id: given || randomBytes(24).toString('base64url'), enabled: status === 'Enabled' };
  if (r.Filter !== undefined && r.Prefix !== undefined)
    throw new S3Error('MalformedXML', `${where}: give either Filter or Prefix, not both.`);
  if (r.Filter !== undefined) rule.filter = filter(r.Filter, where);
  else if (r.Prefix !== undefined) rule.prefix = asText(r.Prefix) ?? '';
  else throw new S3Error('MalformedXML', `${where}: a rule needs a Filter (it may be empty) or a Prefix.`);
  const hasTags = (rule.filter?.tags?.length ?? 0) > 0;

  if (r.Expiration !== undefined) {
    const e = children(r.Expiration) ?? {};
    const exp: NonNullable<LifecycleRule['expiration']> = {};
    if (e.Days !== undefined) exp.days = positive(e.Days, 'Days');
    if (e.Date !== undefined) exp.date = midnight(e.Date, `${where} Expiration`);
    const marker = asText(e.ExpiredObjectDeleteMarker);
    if (marker !== undefined) {
      if (marker !== 'true' && marker !== 'false')
        throw new S3Error('MalformedXML', `${where}: ExpiredObjectDeleteMarker must be true or false.`);
      exp.expiredObjectDeleteMarker = marker === 'true';
    }
    const given = [exp.days, exp.date, exp.expiredObjectDeleteMarker].filter((x) => x !== undefined).length;
    if (given !== 1)
      throw new S3Error(
        'MalformedXML',
        `${where}: Expiration takes exactly one of Days, Date or ExpiredObjectDeleteMarker.`,
      );
    if (exp.expiredObjectDeleteMarker !== undefined && hasTags)
      throw new S3Error('InvalidRequest', `${where}: ExpiredObjectDeleteMarker cannot be used with a Tag filter.`);
    rule.expiration = exp;
  }
  if (r.NoncurrentVersionExpiration !== undefined) {
    const n = children(r.NoncurrentVersionExpiration) ?? {};
    const nve: NonNullable<LifecycleRule['noncurrentVersionExpiration']> = {
      noncurrentDays: positive(n.NoncurrentDays, 'NoncurrentDays'),
    };
    if (n.NewerNoncurrentVersions !== undefined)
      nve.newerNoncurrentVersions = positive(n.NewerNoncurrentVersions, 'NewerNoncurrentVersions', 100);
    rule.noncurrentVersionExpiration = nve;
  }
  if (r.AbortIncompleteMultipartUpload !== undefined) {
    const a = children(r.AbortIncompleteMultipartUpload) ?? {};
    if (hasTags || rule.filter?.objectSizeGreaterThan !== undefined || rule.filter?.objectSizeLessThan !== undefined)
      throw new S3Error(
        'InvalidRequest',
        `${where}: AbortIncompleteMultipartUpload cannot be used with a Tag or object size filter (uploads have neither).`,
      );
    rule.abortIncompleteMultipartUpload = {
      daysAfterInitiation: positive(a.DaysAfterInitiation, 'DaysAfterInitiation'),
    };
  }
  if (!rule.expiration && !rule.noncurrentVersionExpiration && !rule.abortIncompleteMultipartUpload)
    throw new S3Error('InvalidRequest', `${where}: at least one action needs to be specified in a rule.`);
  return rule;
}

export function parseLifecycleRules(root: Node): LifecycleRule[] {
  const raw = asList(root.Rule);
  if (raw.length === 0)
    throw new S3Error(
      'MalformedXML',
      'LifecycleConfiguration needs at least one Rule (use DeleteBucketLifecycle to remove them all).',
    );
  if (raw.length > MAX_RULES)
    throw new S3Error('InvalidRequest', `LifecycleConfiguration has ${raw.length} rules; the limit is ${MAX_RULES}.`);
  const rules = raw.map(parseRule);
  const ids = new Set<string>();
  for (const r of rules) {
    if (ids.has(r.id))
      throw new S3Error('InvalidArgument', `Rule ID must be unique. Found same ID for more than one rule: '${r.id}'.`);
    ids.add(r.id);
  }
  return rules;
}

export const putBucketLifecycleConfiguration: S3Handler<BucketCall> = async (call, reply) => {
  if (!hasIntegrityHeader(call.headers))
    throw new S3Error(
      'InvalidRequest',
      'Missing required header for this request: Content-MD5 or x-amz-checksum-* (PutBucketLifecycleConfiguration must carry an integrity check).',
    );
  const rules = parseLifecycleRules(call.xml.parse(await readBoundedBody(call.body.stream), 'LifecycleConfiguration'));
  const b = call.bucket;
  await call.services.buckets.update({ accountId: b.accountId, region: b.region }, b.name, { lifecycle: rules });
  reply.empty(200);
};

export const deleteBucketLifecycle: S3Handler<BucketCall> = async (call, reply) => {
  // Always written: the bucket record in hand may be up to a second old (another node's put).
  const b = call.bucket;
  await call.services.buckets.update({ accountId: b.accountId, region: b.region }, b.name, { lifecycle: [] });
  reply.empty(204);
};

function writeTerms(w: XmlWriter, t: LifecycleFilterTerms): void {
  w.elem('Prefix', t.prefix);
  for (const x of t.tags ?? []) w.open('Tag').elem('Key', x.key).elem('Value', x.value).close('Tag');
  w.elem('ObjectSizeGreaterThan', t.objectSizeGreaterThan).elem('ObjectSizeLessThan', t.objectSizeLessThan);
}

export const getBucketLifecycleConfiguration: S3Handler<BucketCall> = async (call, reply) => {
  const rules = call.bucket.lifecycle;
  if (rules.length === 0)
    throw new S3Error(
      'NoSuchLifecycleConfiguration',
      `The lifecycle configuration does not exist for bucket '${call.bucket.name}'.`,
      {
        BucketName: call.bucket.name,
      },
    );
  const w = new XmlWriter('LifecycleConfiguration');
  for (const r of rules) {
    w.open('Rule').elem('ID', r.id);
    if (r.filter !== undefined) {
      const { and, ...t } = r.filter;
      w.open('Filter');
      if (and) w.open('And');
      writeTerms(w, t);
      if (and) w.close('And');
      w.close('Filter');
    } else w.elem('Prefix', r.prefix ?? '');
    w.elem('Status', r.enabled ? 'Enabled' : 'Disabled');
    if (r.expiration) {
      const e = r.expiration;
      w.open('Expiration')
        .elem('Date', e.date === undefined ? undefined : new Date(e.date).toISOString())
        .elem('Days', e.days)
        .elem('ExpiredObjectDeleteMarker', e.expiredObjectDeleteMarker)
        .close('Expiration');
    }
    if (r.noncurrentVersionExpiration) {
      const n = r.noncurrentVersionExpiration;
      w.open('NoncurrentVersionExpiration')
        .elem('NoncurrentDays', n.noncurrentDays)
        .elem('NewerNoncurrentVersions', n.newerNoncurrentVersions)
        .close('NoncurrentVersionExpiration');
    }
    if (r.abortIncompleteMultipartUpload)
      w.open('AbortIncompleteMultipartUpload')
        .elem('DaysAfterInitiation', r.abortIncompleteMultipartUpload.daysAfterInitiation)
        .close('AbortIncompleteMultipartUpload');
    w.close('Rule');
  }
  reply.xml(w.done());
};
