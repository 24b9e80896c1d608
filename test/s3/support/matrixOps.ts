/**
 * The S3 authorization matrix as data: one signed request per operation, the outcome for the
 * account root and for the bucket's own key, and the fixed outcome for every other principal
 * (including the root of another account, and the root of an account the bucket grants read-only access).
 */
import { md5Base64, type RawRequest } from './s3Requests.js';

export interface Expect {
  status: number;
  code?: string;
}
export interface MatrixOp {
  name: string;
  req: (bucket: string, tag: string) => RawRequest;
  root: Expect;
  /** The bucket's own key; defaults to `root`. */
  own?: Expect;
}

const OK = { status: 200 };
const NO_CONTENT = { status: 204 };
const DENIED = { status: 403, code: 'AccessDenied' };
const NOT_IMPL = { status: 501, code: 'NotImplemented' };
const NO_UPLOAD = { status: 404, code: 'NoSuchUpload' };
const xml = (s: string) => ({ body: s, headers: { 'content-md5': md5Base64(s), 'content-type': 'application/xml' } });
const tagging = '<Tagging><TagSet><Tag><Key>team</Key><Value>blue</Value></Tag></TagSet></Tagging>';
const del = '<Delete><Object><Key>never-existed</Key></Object></Delete>';
const cors =
  '<CORSConfiguration><CORSRule><AllowedMethod>GET</AllowedMethod><AllowedOrigin>*</AllowedOrigin></CORSRule></CORSConfiguration>';
const complete =
  '<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>"0123456789abcdef0123456789abcdef"</ETag></Part></CompleteMultipartUpload>';

export const MATRIX_OPS: MatrixOp[] = [
  { name: 'ListBuckets', req: () => ({ method: 'GET', path: '/' }), root: OK },
  { name: 'HeadBucket', req: (b) => ({ method: 'HEAD', path: `/${b}` }), root: OK },
  { name: 'GetBucketLocation', req: (b) => ({ method: 'GET', path: `/${b}`, query: { location: '' } }), root: OK },
  { name: 'GetBucketVersioning', req: (b) => ({ method: 'GET', path: `/${b}`, query: { versioning: '' } }), root: OK },
  {
    name: 'GetBucketCors',
    req: (b) => ({ method: 'GET', path: `/${b}`, query: { cors: '' } }),
    root: { status: 404, code: 'NoSuchCORSConfiguration' },
  },
  { name: 'ListObjects', req: (b) => ({ method: 'GET', path: `/${b}` }), root: OK },
  { name: 'ListObjectsV2', req: (b) => ({ method: 'GET', path: `/${b}`, query: { 'list-type': '2' } }), root: OK },
  { name: 'ListObjectVersions', req: (b) => ({ method: 'GET', path: `/${b}`, query: { versions: '' } }), root: OK },
  { name: 'ListMultipartUploads', req: (b) => ({ method: 'GET', path: `/${b}`, query: { uploads: '' } }), root: OK },
  {
    name: 'DeleteObjects',
    req: (b) => ({ method: 'POST', path: `/${b}`, query: { delete: '' }, ...xml(del) }),
    root: OK,
  },
  { name: 'PutObject', req: (b, t) => ({ method: 'PUT', path: `/${b}/put-${t}`, body: 'matrix' }), root: OK },
  { name: 'GetObject', req: (b) => ({ method: 'GET', path: `/${b}/obj` }), root: OK },
  { name: 'HeadObject', req: (b) => ({ method: 'HEAD', path: `/${b}/obj` }), root: OK },
  { name: 'DeleteObject', req: (b, t) => ({ method: 'DELETE', path: `/${b}/gone-${t}` }), root: NO_CONTENT },
  {
    name: 'CopyObject',
    req: (b, t) => ({ method: 'PUT', path: `/${b}/copy-${t}`, headers: { 'x-amz-copy-source': `/${b}/obj` } }),
    root: OK,
  },
  {
    name: 'GetObjectAttributes',
    req: (b) => ({
      method: 'GET',
      path: `/${b}/obj`,
      query: { attributes: '' },
      headers: { 'x-amz-object-attributes': 'ETag,ObjectSize' },
    }),
    root: OK,
  },
  {
    name: 'PutObjectTagging',
    req: (b) => ({ method: 'PUT', path: `/${b}/obj`, query: { tagging: '' }, ...xml(tagging) }),
    root: OK,
  },
  { name: 'GetObjectTagging', req: (b) => ({ method: 'GET', path: `/${b}/obj`, query: { tagging: '' } }), root: OK },
  {
    name: 'DeleteObjectTagging',
    req: (b) => ({ method: 'DELETE', path: `/${b}/obj`, query: { tagging: '' } }),
    root: NO_CONTENT,
  },
  { name: 'GetObjectAcl', req: (b) => ({ method: 'GET', path: `/${b}/obj`, query: { acl: '' } }), root: OK },
  {
    name: 'PutObjectAcl',
    req: (b) => ({ method: 'PUT', path: `/${b}/obj`, query: { acl: '' }, headers: { 'x-amz-acl': 'private' } }),
    root: OK,
    own: DENIED,
  },
  {
    name: 'CreateMultipartUpload',
    req: (b, t) => ({ method: 'POST', path: `/${b}/mp-${t}`, query: { uploads: '' } }),
    root: OK,
  },
  {
    name: 'UploadPart',
    req: (b) => ({
      method: 'PUT',
      path: `/${b}/mp`,
      query: { partNumber: '1', uploadId: 'no-such-upload' },
      body: 'part',
    }),
    root: NO_UPLOAD,
  },
  {
    name: 'UploadPartCopy',
    req: (b) => ({
      method: 'PUT',
      path: `/${b}/mp`,
      query: { partNumber: '1', uploadId: 'no-such-upload' },
      headers: { 'x-amz-copy-source': `/${b}/obj` },
    }),
    root: NO_UPLOAD,
  },
  {
    name: 'ListParts',
    req: (b) => ({ method: 'GET', path: `/${b}/mp`, query: { uploadId: 'no-such-upload' } }),
    root: NO_UPLOAD,
  },
  {
    name: 'CompleteMultipartUpload',
    req: (b) => ({ method: 'POST', path: `/${b}/mp`, query: { uploadId: 'no-such-upload' }, body: complete }),
    root: NO_UPLOAD,
  },
  {
    name: 'AbortMultipartUpload',
    req: (b) => ({ method: 'DELETE', path: `/${b}/mp`, query: { uploadId: 'no-such-upload' } }),
    root: NO_UPLOAD,
  },
  { name: 'CreateBucket', req: (_b, t) => ({ method: 'PUT', path: `/new-${t}` }), root: OK, own: DENIED },
  {
    name: 'DeleteBucket',
    req: (b) => ({ method: 'DELETE', path: `/${b}` }),
    root: { status: 409, code: 'BucketNotEmpty' },
    own: DENIED,
  },
  {
    name: 'PutBucketVersioning',
    req: (b) => ({
      method: 'PUT',
      path: `/${b}`,
      query: { versioning: '' },
      ...xml('<VersioningConfiguration><Status>Suspended</Status></VersioningConfiguration>'),
    }),
    root: OK,
    own: DENIED,
  },
  {
    name: 'PutBucketCors',
    req: (b) => ({ method: 'PUT', path: `/${b}`, query: { cors: '' }, ...xml(cors) }),
    root: OK,
    own: DENIED,
  },
  {
    name: 'DeleteBucketCors',
    req: (b) => ({ method: 'DELETE', path: `/${b}`, query: { cors: '' } }),
    root: NO_CONTENT,
    own: DENIED,
  },
  {
    name: 'PutBucketPolicy',
    req: (b) => ({ method: 'PUT', path: `/${b}`, query: { policy: '' }, body: '{}' }),
    root: NOT_IMPL,
    own: DENIED,
  },
  {
    name: 'PutBucketAcl',
    req: (b) => ({ method: 'PUT', path: `/${b}`, query: { acl: '' }, headers: { 'x-amz-acl': 'public-read' } }),
    // A private bucket: only the ACL it has (private) is accepted (a no-op).
    root: { status: 400, code: 'AccessControlListNotSupported' },
    own: DENIED,
  },
  {
    name: 'GetBucketPolicy',
    req: (b) => ({ method: 'GET', path: `/${b}`, query: { policy: '' } }),
    root: NOT_IMPL,
    own: DENIED,
  },
];

/**
 * The matrix's operations of the S3 read class that `readonlyAccessAccounts` opens to another
 * account's root (docs/compatibility.md lists the whole class). Written out, not derived from
 * src/s3/operationTable.ts, so a change of the table fails here.
 */
export const READONLY_OPS: ReadonlySet<string> = new Set([
  'HeadBucket',
  'GetBucketLocation',
  'GetBucketVersioning',
  'GetBucketCors',
  'ListObjects',
  'ListObjectsV2',
  'ListObjectVersions',
  'ListMultipartUploads',
  'GetObject',
  'HeadObject',
  'GetObjectAttributes',
  'GetObjectTagging',
  'GetObjectAcl',
  'ListParts',
]);

export const PRINCIPALS = [
  'root',
  'own',
  'otherBucketKey',
  'deletedKey',
  'inactiveKey',
  'unknownKey',
  'anonymous',
  'wrongSecret',
  'expiredPresign',
  'otherAccountRoot',
  'readonlyAccountRoot',
] as const;
export type PrincipalName = (typeof PRINCIPALS)[number];

export function expectedOutcome(op: MatrixOp, who: PrincipalName): Expect {
  switch (who) {
    case 'root':
      return op.root;
    case 'own':
      return op.own ?? op.root;
    case 'otherBucketKey':
      return op.name === 'ListBuckets' ? OK : DENIED;
    case 'deletedKey':
    case 'inactiveKey':
    case 'unknownKey':
      return { status: 403, code: 'InvalidAccessKeyId' };
    case 'anonymous':
      return DENIED;
    case 'wrongSecret':
      return { status: 403, code: 'SignatureDoesNotMatch' };
    case 'expiredPresign':
      return DENIED;
    case 'otherAccountRoot':
      // Its own ListBuckets and CreateBucket (a new bucket of its account); nothing on this bucket.
      return op.name === 'ListBuckets' || op.name === 'CreateBucket' ? OK : DENIED;
    case 'readonlyAccountRoot':
      // Listed in the bucket's readonlyAccessAccounts: the read class answers as for the owner.
      if (op.name === 'ListBuckets' || op.name === 'CreateBucket') return OK;
      return READONLY_OPS.has(op.name) ? op.root : DENIED;
  }
}
