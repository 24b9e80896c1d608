/**
 * POST object: a browser form upload (multipart/form-data) signed with a SigV4 POST policy. The
 * fields before the file are read (bounded), the form's signature is verified and its signer
 * authorized as for PutObject (a bucket key only for its own bucket; anonymous forms are refused:
 * Lightsail buckets never allow public writes), the policy's conditions are checked, and then the
 * file streams into the same write path as PutObject — MD5, checksums, the default CRC64NVME, the
 * size range of the policy — committed only once the whole file arrived and passed every check.
 */
import { Transform, type TransformCallback } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import { OBJECT_LIMITS } from '../../../domain/objects/limits.js';
import type { PutObjectResult } from '../../../domain/objects/objects.js';
import type { Principal } from '../../../domain/keys/principals.js';
import type { BucketRecord, Tag } from '../../../domain/ports/records.js';
import { createBodyVerifier } from '../../../sigv4/bodyVerifier.js';
import type { VerifiedSignature } from '../../../sigv4/types.js';
import { S3Error } from '../../errors.js';
import { chunkSource, formBoundary, readForm, type Form } from '../../postObject/multipartForm.js';
import { checkPolicy, parsePolicy, type SizeRange } from '../../postObject/postPolicy.js';
import type { PostFormCredentials, S3Call, S3Handler, S3Reply } from '../../types.js';
import { XmlWriter } from '../../xml.js';
import { quoteEtag, setExpirationHeader, setWriteVersionHeader } from '../object/objectResponseHeaders.js';
import { headerValue, readWriteAttributes } from '../object/writeHeaders.js';
import { bodyFacts, checkAclAllowed, echoChecksum } from '../object/writeRequest.js';

/** Form fields that are object headers, by the header name PutObject reads them from. */
const HEADER_FIELDS: ReadonlyArray<[field: string, header: string]> = [
  ['content-type', 'content-type'],
  ['cache-control', 'cache-control'],
  ['content-disposition', 'content-disposition'],
  ['content-encoding', 'content-encoding'],
  ['content-language', 'content-language'],
  ['expires', 'expires'],
  ['acl', 'x-amz-acl'],
  ['x-amz-storage-class', 'x-amz-storage-class'],
  ['content-md5', 'content-md5'],
  ['x-amz-checksum-algorithm', 'x-amz-sdk-checksum-algorithm'],
];

const argument = (message: string, name: string): S3Error =>
  new S3Error('InvalidArgument', message, { ArgumentName: name });

const missing = (field: string): S3Error =>
  argument(
    `Bucket POST must contain a field named '${field}'. If it is specified, please check the order of the fields (it must come before the file).`,
    field,
  );

/** The form's SigV4 fields: algorithm, credential, date, policy and signature. */
function formCredentials(fields: ReadonlyMap<string, string>): PostFormCredentials {
  const policy = fields.get('policy');
  const v2Key = fields.get('awsaccesskeyid');
  if (v2Key !== undefined) {
    const v2Signature = fields.get('signature');
    if (policy === undefined) throw missing('policy');
    if (v2Signature === undefined) throw missing('signature');
    return { version: 2, accessKeyId: v2Key, date: '', region: '', service: '', policy, signature: v2Signature };
  }
  const signature = fields.get('x-amz-signature');
  const credential = fields.get('x-amz-credential');
  if (policy === undefined && signature === undefined && credential === undefined)
    throw new S3Error(
      'AccessDenied',
      'Access Denied: anonymous POST uploads are not allowed on Lightsail buckets; sign the form with a POST policy (x-amz-credential, x-amz-signature).',
    );
  if (policy === undefined) throw missing('policy');
  if (signature === undefined) throw missing('x-amz-signature');
  if (credential === undefined) throw missing('x-amz-credential');
  const algorithm = fields.get('x-amz-algorithm');
  if (algorithm === undefined) throw missing('x-amz-algorithm');
  if (algorithm !== 'AWS4-HMAC-SHA256')
    throw argument(
      `x-amz-algorithm '${algorithm.slice(0, 40)}' is not supported; use AWS4-HMAC-SHA256.`,
      'x-amz-algorithm',
    );
  const date = fields.get('x-amz-date');
  if (date === undefined) throw missing('x-amz-date');
  if (!/^\d{8}T\d{6}Z$/.test(date))
    throw argument(
      `x-amz-date '${date.slice(0, 40)}' must be in the ISO8601 basic format YYYYMMDD'T'HHMMSS'Z'.`,
      'x-amz-date',
    );
  const parts = credential.split('/');
  if (parts.length !== 5 || parts[0] === '' || !/^\d{8}$/.test(parts[1]) || parts[4] !== 'aws4_request')
    throw argument(
      `x-amz-credential '${credential.slice(0, 120)}' must be ACCESS_KEY_ID/YYYYMMDD/REGION/s3/aws4_request.`,
      'x-amz-credential',
    );
  if (parts[1] !== date.slice(0, 8))
    throw argument(`x-amz-credential's date ${parts[1]} is not the date of x-amz-date ${date}.`, 'x-amz-credential');
  if (!/^[0-9a-fA-F]{64}$/.test(signature))
    throw argument('x-amz-signature must be 64 hexadecimal characters.', 'x-amz-signature');
  return { version: 4, accessKeyId: parts[0], date: parts[1], region: parts[2], service: parts[3], policy, signature };
}

/** Counts the file's bytes against the policy's range (and S3's single-upload limit) as it streams. */
class SizeCheck extends Transform {
  private size = 0;
  constructor(private readonly range: SizeRange) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.size += chunk.length;
    const max = Math.min(this.range.max, OBJECT_LIMITS.maxSinglePutBytes);
    if (this.size > max)
      return done(
        new S3Error('EntityTooLarge', `Your proposed upload exceeds the maximum allowed size of ${max} bytes.`, {
          MaxSizeAllowed: String(max),
        }),
      );
    done(null, chunk);
  }
  override _flush(done: TransformCallback): void {
    if (this.size < this.range.min)
      return done(
        new S3Error(
          'EntityTooSmall',
          `Your proposed upload is smaller than the minimum allowed size: ${this.size} bytes < ${this.range.min} bytes.`,
          { ProposedSize: String(this.size), MinSizeAllowed: String(this.range.min) },
        ),
      );
    done();
  }
}

/** Form fields as the headers PutObject reads its attributes from. */
function objectHeaders(fields: ReadonlyMap<string, string>): Record<string, string> {
  const h: Record<string, string> = {};
  for (const [field, header] of HEADER_FIELDS) {
    const v = fields.get(field);
    if (v !== undefined) h[header] = v;
  }
  for (const [name, v] of fields) {
    // x-amz-checksum-algorithm is the SDK header's form field (HEADER_FIELDS), not a checksum value.
    const checksumValue = name.startsWith('x-amz-checksum-') && name !== 'x-amz-checksum-algorithm';
    if (name.startsWith('x-amz-meta-') || checksumValue) h[name] = v;
  }
  return h;
}

/** The verifier's view of a form file: no payload signature (the policy is what was signed). */
function unsignedFile(creds: PostFormCredentials, now: number): VerifiedSignature {
  return {
    kind: 'header',
    accessKeyId: creds.accessKeyId,
    scope: { date: creds.date, region: creds.region, service: creds.service },
    scopeString: `${creds.date}/${creds.region}/${creds.service}/aws4_request`,
    signingKey: Buffer.alloc(0),
    seedSignature: creds.signature,
    payloadMode: 'UNSIGNED-PAYLOAD',
    timestamp: new Date(now).toISOString().replace(/[-:]|\.\d{3}/g, ''),
    requestTime: new Date(now),
  };
}

function objectUrl(call: S3Call, reply: S3Reply, bucket: string, key: string): string {
  const secure = (reply.raw.socket as TLSSocket | null)?.encrypted === true;
  const host = headerValue(call.headers, 'host') ?? '127.0.0.1';
  const path = `/${encodeURIComponent(bucket)}/${key.split('/').map(encodeURIComponent).join('/')}`;
  return `${secure ? 'https' : 'http'}://${host}${path}`;
}

/** `success_action_redirect` (or the older `redirect`) when it is an http(s) URL. */
function redirectTarget(fields: ReadonlyMap<string, string>): URL | undefined {
  const v = fields.get('success_action_redirect') ?? fields.get('redirect');
  if (v === undefined || v === '') return undefined;
  try {
    const u = new URL(v);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u : undefined;
  } catch {
    return undefined;
  }
}

async function store(
  call: S3Call,
  form: Form,
  signer: { principal: Principal; bucket: BucketRecord },
  creds: PostFormCredentials,
  key: string,
  range: SizeRange,
): Promise<PutObjectResult & { tags: Tag[] }> {
  const headers = objectHeaders(form.fields);
  const attrs = readWriteAttributes(headers);
  checkAclAllowed({ ...call, principal: signer.principal, bucket: signer.bucket }, attrs.acl);
  const verifier = createBodyVerifier({
    verified: unsignedFile(creds, call.now),
    headers,
    computeChecksums: ['CRC64NVME'],
  });
  verifier.on('error', () => undefined);
  const size = new SizeCheck(range);
  size.on('error', (err) => verifier.destroy(err));
  form.file.content.on('error', (err) => size.destroy(err));
  form.file.content.pipe(size).pipe(verifier);
  const result = await call.services.objects.putObject(signer.bucket, key, verifier, {
    ...attrs,
    verified: bodyFacts(verifier.result),
  });
  return { ...result, tags: attrs.tags ?? [] };
}

export const postObject: S3Handler<S3Call> = async (call, reply) => {
  const access = call.postForm;
  if (access === undefined || call.endpoint.bucket === undefined) throw new Error('PostObject without its form');
  const boundary = formBoundary(headerValue(call.headers, 'content-type'));
  const source = chunkSource(access.request);
  let form: Form | undefined;
  try {
    form = await readForm(source, boundary);
    const creds = formCredentials(form.fields);
    const submittedKey = form.fields.get('key');
    if (submittedKey === undefined) throw missing('key');
    const key = submittedKey.replaceAll('${filename}', form.file.filename);
    if (key === '') throw argument('The key of a POST upload must not be empty.', 'key');
    const signer = await access.authorize(creds, key);
    // Conditions on the key see it with ${filename} already replaced, as S3 checks them.
    const checked = new Map(form.fields).set('key', key);
    const range = checkPolicy(parsePolicy(creds.policy), checked, signer.bucket.name, call.now);
    const result = await store(call, form, signer, creds, key, range);

    if (!access.complete()) reply.header('Connection', 'close');
    const location = objectUrl(call, reply, signer.bucket.name, key);
    reply.header('ETag', quoteEtag(result.etag));
    reply.header('Location', location);
    echoChecksum(reply, result.checksum);
    setWriteVersionHeader(reply, signer.bucket, result.versionId);
    setExpirationHeader(reply, call.services.lifecycle, signer.bucket, { key, ...result });
    const redirect = redirectTarget(form.fields);
    if (redirect !== undefined) {
      redirect.searchParams.append('bucket', signer.bucket.name);
      redirect.searchParams.append('key', key);
      redirect.searchParams.append('etag', quoteEtag(result.etag));
      reply.header('Location', redirect.toString());
      return reply.empty(303);
    }
    const status = form.fields.get('success_action_status');
    if (status === '200') return reply.empty(200);
    if (status === '201') {
      const doc = new XmlWriter('PostResponse')
        .elem('Location', location)
        .elem('Bucket', signer.bucket.name)
        .elem('Key', key)
        .elem('ETag', quoteEtag(result.etag));
      return reply.xml(doc.done(), 201);
    }
    reply.empty(204);
  } catch (err) {
    // A form refused before (or while) its file was read: the rest of a small request is read so
    // that the client gets the answer (a larger one is cut: the connection closes).
    if (form !== undefined && !form.file.content.readableEnded) form.file.content.destroy();
    await source.drain(MAX_DRAINED_BYTES);
    throw err;
  }
};

/** How much of a refused form is read (and thrown away) so that its sender sees the error. */
const MAX_DRAINED_BYTES = 1024 * 1024;
