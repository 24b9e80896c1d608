/**
 * `rotate-bucket-access-key --bucket-name B [--access-key-id OLD] [--s3-endpoint-url URL]`:
 * create a new key, print it once, prove it authenticates to the bucket (signed S3 HeadBucket,
 * retried briefly), then delete the old key. Any failure keeps the old key and says why.
 * With no --access-key-id the old key is the bucket's existing key (the older of the two after
 * the create). A bucket already at its two-key limit is refused before anything changes.
 */
import type { ParsedLine } from './argv.js';
import { CliFailure, UsageError } from './errors.js';
import type { CliIo } from './io.js';
import type { CliModel, CliOperation } from './model/types.js';
import { render } from './output/format.js';
import { openSession, type Session } from './session.js';
import { headBucketWith, type S3CheckResult } from './transport/s3Check.js';
import { ROTATE_FLAGS } from './rotateHelp.js';

const VERIFY_ATTEMPTS = 4;
const VERIFY_FIRST_DELAY_MS = 250;

interface KeyInfo {
  accessKeyId: string;
  createdAt?: unknown;
  status?: string;
}

function opNamed(model: CliModel, name: string): CliOperation {
  const op = model.operations.find((o) => o.name === name);
  if (!op) throw new CliFailure(`the model has no ${name} operation, which rotate-bucket-access-key needs`);
  return op;
}

function one(line: ParsedLine, flag: string): string | undefined {
  const v = line.flags.get(flag);
  if (v === undefined) return undefined;
  if (v.length !== 1) throw new UsageError(`argument ${flag}: expected one argument`);
  return v[0];
}

export async function runRotate(model: CliModel, line: ParsedLine, io: CliIo): Promise<number> {
  const unknown = [...line.flags.keys()].filter((f) => !(ROTATE_FLAGS as readonly string[]).includes(f));
  if (unknown.length || line.positionals.length > 1)
    throw new UsageError(`Unknown options: ${[...unknown, ...line.positionals.slice(1)].join(', ')}`);
  const bucketName = one(line, '--bucket-name');
  if (!bucketName) throw new UsageError('the following arguments are required: --bucket-name');
  const wanted = one(line, '--access-key-id');
  const s3Endpoint = one(line, '--s3-endpoint-url');
  if (s3Endpoint !== undefined && !/^https?:\/\/[^/]/.test(s3Endpoint))
    throw new UsageError(
      `Bad value for --s3-endpoint-url "${s3Endpoint}": must be http://<host>[:port] or https://...`,
    );
  const say = (m: string) => void io.stderr.write(`${m}\n`);
  const session = await openSession(model, line.globals, io);
  try {
    return await rotate(model, session, { bucketName, wanted, s3Endpoint, say, line, io });
  } finally {
    session.close();
  }
}

interface RotateArgs {
  bucketName: string;
  wanted?: string;
  s3Endpoint?: string;
  say(m: string): void;
  line: ParsedLine;
  io: CliIo;
}

async function rotate(model: CliModel, s: Session, a: RotateArgs): Promise<number> {
  const buckets = await s.invoke(opNamed(model, 'GetBuckets'), { bucketName: a.bucketName });
  const bucket = (buckets.buckets as { location?: { regionName?: string } }[] | undefined)?.[0];
  const region = bucket?.location?.regionName ?? s.settings.region;
  const keys = ((await s.invoke(opNamed(model, 'GetBucketAccessKeys'), { bucketName: a.bucketName })).accessKeys ??
    []) as KeyInfo[];
  let old: KeyInfo | undefined;
  if (a.wanted) {
    old = keys.find((k) => k.accessKeyId === a.wanted);
    if (!old)
      throw new CliFailure(
        `bucket '${a.bucketName}' has no access key '${a.wanted}' (its keys: ${keys.map((k) => k.accessKeyId).join(', ') || 'none'}); nothing was changed`,
      );
  } else if (keys.length === 1) {
    old = keys[0];
  }
  if (keys.length >= 2) {
    throw new CliFailure(
      `bucket '${a.bucketName}' already has ${keys.length} access keys (${keys.map((k) => k.accessKeyId).join(', ')}), the limit; a new key cannot be created. Delete the key you no longer use with delete-bucket-access-key, then rotate. Nothing was changed`,
    );
  }

  const created = await s.invoke(opNamed(model, 'CreateBucketAccessKey'), { bucketName: a.bucketName });
  const key = created.accessKey as { accessKeyId?: string; secretAccessKey?: string } | undefined;
  if (!key?.accessKeyId || !key.secretAccessKey)
    throw new CliFailure(
      `CreateBucketAccessKey for '${a.bucketName}' returned no key id and secret; the old key ${old?.accessKeyId ?? '(none)'} was kept`,
    );
  const color = a.line.globals.color === 'on';
  a.io.stdout.write(
    await render(
      { accessKey: created.accessKey },
      { output: s.settings.output, query: a.line.globals.query, title: 'RotateBucketAccessKey', color },
    ),
  );
  a.say(
    `Created access key ${key.accessKeyId} for bucket '${a.bucketName}'. Its secret is printed above, once: store it now.`,
  );

  const endpoint = a.s3Endpoint ?? originOf(s.transport.lastEndpoint() ?? s.settings.endpointUrl);
  if (a.line.globals.debug)
    a.say(
      `${new Date().toISOString()} DEBUG rotate: HEAD ${endpoint}/${a.bucketName} signed with the new key for region ${region}`,
    );
  const check = await verify(
    endpoint,
    a.bucketName,
    region,
    { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey },
    s.settings.readTimeoutMs,
  );
  if (!check.ok) {
    throw new CliFailure(
      `The new key ${key.accessKeyId} could not be verified against bucket '${a.bucketName}': ${check.why}. ${old ? `The old key ${old.accessKeyId} was kept. ` : ''}The new key still exists: delete it with 'sailbucket delete-bucket-access-key --bucket-name ${a.bucketName} --access-key-id ${key.accessKeyId}' if you do not want it.`,
    );
  }
  a.say(`Verified: the new key authenticates to bucket '${a.bucketName}' (${check.why}).`);
  if (!old) {
    a.say(`Bucket '${a.bucketName}' had no other key: nothing to delete.`);
    return 0;
  }
  try {
    await s.invoke(opNamed(model, 'DeleteBucketAccessKey'), { bucketName: a.bucketName, accessKeyId: old.accessKeyId });
  } catch (e) {
    throw new CliFailure(
      `The new key ${key.accessKeyId} works, but deleting the old key ${old.accessKeyId} failed: ${(e as Error).message}. Both keys are active.`,
    );
  }
  a.say(`Deleted the old key ${old.accessKeyId}.`);
  return 0;
}

function originOf(url: string | undefined): string {
  if (!url) throw new CliFailure('cannot tell which endpoint to verify the new key against: pass --s3-endpoint-url');
  const u = new URL(url);
  return `${u.protocol}//${u.host}`;
}

async function verify(
  endpoint: string,
  bucket: string,
  region: string,
  creds: { accessKeyId: string; secretAccessKey: string },
  timeoutMs: number,
): Promise<S3CheckResult> {
  let last: S3CheckResult = { ok: false, why: 'not tried' };
  for (let i = 0; i < VERIFY_ATTEMPTS; i++) {
    if (i > 0) await new Promise((r) => setTimeout(r, VERIFY_FIRST_DELAY_MS * 2 ** (i - 1)));
    last = await headBucketWith(endpoint, bucket, region, creds, Math.min(timeoutMs || 10_000, 10_000));
    if (last.ok) return last;
  }
  return { ok: false, status: last.status, why: `${last.why} (after ${VERIFY_ATTEMPTS} attempts)` };
}
