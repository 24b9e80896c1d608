/**
 * The S3 plane: parse → SigV4 verify → authorize → (100 Continue) → handler with a verified body.
 * Every request takes this one path; the operation table (operations.ts) says who may call what,
 * so a handler cannot be reached without authorization.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PlaneHandler, RequestContext, RequestFacts } from '../http/types.js';
import { clientGone } from '../http/clientGone.js';
import type { CredentialResolver, Principal } from '../domain/keys/principals.js';
import type { BucketRecord } from '../domain/ports/records.js';
import { parseAuthentication, SIGV2_HELP } from '../sigv4/parseAuthentication.js';
import { verifySignature } from '../sigv4/verifySignature.js';
import { verifySigV2 } from '../sigv4/sigV2.js';
import { deriveSigningKey, type SigningKeyCache } from '../sigv4/signingKey.js';
import type { VerifiedSignature } from '../sigv4/types.js';
import { authorizeSourceRead, createAuthorizer, type AuthorizeDeps } from './authorize.js';
import { createVerifiedBody } from './body.js';
import { applyCorsHeaders, findCorsRule } from './cors.js';
import { mapToS3Error, S3Error } from './errors.js';
import { OPERATIONS, type HandlerTable } from './operationTable.js';
import { createReply, writeError } from './reply.js';
import { createRouter } from './router.js';
import { signingHeaders } from './signingHeaders.js';
import type { S3Services } from './services.js';
import type { PostFormAccess, S3Call, S3Endpoint, S3Handler } from './types.js';
import { createXmlReader } from './xml.js';

export interface LastUsedToucher {
  touch(accessKeyId: string, region: string, service: string): void;
}

export interface S3PlaneDeps {
  /** Domains for virtual-hosted addressing (`<bucket>.<domain>`). */
  baseDomains: readonly string[];
  /** The server's region. */
  region: string;
  credentials: CredentialResolver;
  lastUsed: LastUsedToucher;
  services: S3Services;
  handlers: HandlerTable;
  /** Whether an object carries the public-read ACL (anonymous reads where overrides are allowed); default: the object index. */
  isObjectPublicRead?: AuthorizeDeps['isObjectPublicRead'];
  /** Epoch ms. */
  clock: () => number;
  keyCache?: SigningKeyCache;
  /** Accept Signature Version 2 (`--sigv2 on`); otherwise it is refused with how to fix the client. */
  sigV2?: boolean;
}

const ANONYMOUS: Principal = { kind: 'anonymous' };

const resourceOf = (e: S3Endpoint | undefined, req: IncomingMessage): string => {
  if (e === undefined) {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    return q === -1 ? url : url.slice(0, q);
  }
  if (e.bucket === undefined) return '/';
  if (e.key === undefined) return `/${e.bucket}`;
  // A (stored) key with a character XML 1.0 cannot carry is shown percent-encoded: the error stays a well-formed document.
  return `/${e.bucket}/${e.key.replace(NOT_XML_CHAR, (c) => encodeURIComponent(c))}`;
};
// eslint-disable-next-line no-control-regex -- finding characters XML 1.0 cannot carry is the point
const NOT_XML_CHAR = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

/** Actual (non-preflight) cross-origin requests get the headers of the first matching rule. */
function addCorsHeaders(req: IncomingMessage, res: ServerResponse, bucket: BucketRecord): void {
  const origin = req.headers.origin;
  if (origin === undefined || origin === '') return;
  const rule = findCorsRule(bucket.cors, origin, req.method ?? 'GET');
  if (rule !== undefined) applyCorsHeaders(res, rule, origin);
}

/** A declared body that was not read to its end (closing beats reading it only to throw it away). */
const hasUnreadBody = (req: IncomingMessage): boolean => {
  if (req.complete) return false;
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
};

const wantsContinue = (req: IncomingMessage): boolean => {
  const expect = req.headers.expect;
  return expect !== undefined && expect.toLowerCase() === '100-continue';
};

export function createS3Plane(deps: S3PlaneDeps): PlaneHandler {
  const router = createRouter({ baseDomains: deps.baseDomains });
  // BucketService keeps a short-lived record cache that its own changes invalidate at once.
  const getBucket = (name: string): Promise<BucketRecord | undefined> => deps.services.buckets.findByName(name);
  const isObjectPublicRead =
    deps.isObjectPublicRead ??
    ((bucket: BucketRecord, key: string, versionId: string | undefined) =>
      deps.services.objects.isPublicRead(bucket, key, versionId));
  const authDeps: AuthorizeDeps = { getBucket, isObjectPublicRead };
  const authorize = createAuthorizer(authDeps);
  const xml = createXmlReader();

  /** The credential of an access key id, when it exists and is active; otherwise InvalidAccessKeyId. */
  async function activeCredential(accessKeyId: string) {
    const cred = await deps.credentials.resolve(accessKeyId);
    if (cred === undefined) {
      throw new S3Error(
        'InvalidAccessKeyId',
        `The AWS Access Key Id you provided does not exist in our records: '${accessKeyId}'.`,
        { AWSAccessKeyId: accessKeyId },
      );
    }
    if (cred.status !== 'Active') {
      throw new S3Error('InvalidAccessKeyId', `The AWS Access Key Id you provided is inactive: '${accessKeyId}'.`, {
        AWSAccessKeyId: accessKeyId,
      });
    }
    return cred;
  }

  /**
   * PostObject: the form's signature is the HMAC of its policy under the credential's SigV4 signing
   * key; its signer is then authorized to write `key` as for PutObject.
   */
  function postFormAccess(
    req: IncomingMessage,
    res: ServerResponse,
    e: S3Endpoint,
    facts: RequestFacts,
  ): PostFormAccess {
    return {
      request: req,
      complete: () => req.complete,
      authorize: async (f, key) => {
        if (f.version === 2 && deps.sigV2 !== true)
          throw new S3Error(
            'InvalidArgument',
            `Signature Version 2 POST forms (AWSAccessKeyId, signature) are not accepted by this server: sign the policy with AWS4-HMAC-SHA256 (x-amz-algorithm, x-amz-credential, x-amz-date, x-amz-signature), as @aws-sdk/s3-presigned-post does, and boto3's generate_presigned_post with signature_version s3v4. ${SIGV2_HELP}`,
            { ArgumentName: 'AWSAccessKeyId' },
          );
        facts.accessKeyId = f.accessKeyId;
        facts.signatureVersion = f.version === 2 ? 'SigV2' : 'SigV4';
        const cred = await activeCredential(f.accessKeyId);
        if (f.version === 2) {
          if (!sameSignature(f.signature, createHmac('sha1', cred.secretAccessKey).update(f.policy).digest('base64')))
            throw new S3Error(
              'SignatureDoesNotMatch',
              "The request signature we calculated does not match the signature you provided: the form's signature is not the base64 HMAC-SHA1 of its policy under the secret of its AWSAccessKeyId.",
            );
          return authorizeSigner(cred.principal, key, undefined);
        }
        if (f.service !== 's3')
          throw new S3Error('InvalidArgument', `The form's x-amz-credential names service '${f.service}'; use 's3'.`, {
            ArgumentName: 'x-amz-credential',
          });
        const signingKey = deps.keyCache
          ? deps.keyCache.signingKey(f.accessKeyId, cred.secretAccessKey, f.date, f.region, f.service)
          : deriveSigningKey(cred.secretAccessKey, f.date, f.region, f.service);
        if (
          !sameSignature(f.signature.toLowerCase(), createHmac('sha256', signingKey).update(f.policy).digest('hex'))
        ) {
          throw new S3Error(
            'SignatureDoesNotMatch',
            "The request signature we calculated does not match the signature you provided: the form's x-amz-signature is not the HMAC-SHA256 of its policy under the signing key of its x-amz-credential.",
          );
        }
        return authorizeSigner(cred.principal, key, f.region);
      },
    };

    /** The signer may write `key` as with PutObject; a SigV4 scope must name the bucket's region. */
    async function authorizeSigner(principal: Principal, key: string, region: string | undefined) {
      facts.principal = principal.kind;
      if (principal.kind !== 'anonymous') facts.requesterAccountId = principal.accountId;
      const bucket = await authorize(OPERATIONS.PutObject, principal, { ...e, operation: 'PutObject', key });
      if (bucket === undefined) throw new Error('PutObject authorized without a bucket');
      if (region !== undefined && region !== bucket.region)
        throw new S3Error(
          'InvalidArgument',
          `The form's x-amz-credential names region '${region}'; bucket '${bucket.name}' is in '${bucket.region}'.`,
          { ArgumentName: 'x-amz-credential', Region: bucket.region },
        );
      if (bucket.cors.length > 0) addCorsHeaders(req, res, bucket);
      if (principal.kind === 'bucketKey') deps.lastUsed.touch(principal.accessKeyId, bucket.region, 's3');
      return { principal, bucket };
    }
  }

  /** Verifies the signature; an unsigned request is the anonymous principal (authorization decides what it may do). */
  async function authenticate(
    req: IncomingMessage,
    e: S3Endpoint,
    now: number,
    facts: RequestFacts,
  ): Promise<{ principal: Principal; verified?: VerifiedSignature }> {
    // Repeated headers are signed value by value (joined with ','), which req.headers cannot give.
    const sreq = { method: e.method, path: e.rawPath, query: e.rawQuery, headers: signingHeaders(req) };
    const auth = parseAuthentication(sreq, { sigV2: deps.sigV2 === true });
    if (auth.kind === 'anonymous') return { principal: ANONYMOUS };
    // Logged also when it does not verify: "which key failed" is the question an operator asks.
    facts.accessKeyId = auth.accessKeyId;
    facts.signatureVersion = auth.kind === 'sigv2' ? 'SigV2' : 'SigV4';
    facts.authType = (auth.kind === 'sigv2' ? auth.via : auth.kind) === 'header' ? 'AuthHeader' : 'QueryString';
    const cred = await activeCredential(auth.accessKeyId);
    if (auth.kind === 'sigv2') {
      const hostBucket = e.addressing === 'virtual' ? e.bucket : undefined;
      const verified = verifySigV2(sreq, auth, cred.secretAccessKey, deps.region, {
        now: new Date(now),
        bucketOnly: e.bucket !== undefined && e.key === undefined,
        ...(hostBucket !== undefined ? { hostBucket } : {}),
      });
      return { principal: cred.principal, verified };
    }
    const verified = verifySignature(sreq, auth, cred.secretAccessKey, {
      now: new Date(now),
      service: 's3',
      keyCache: deps.keyCache,
    });
    return { principal: cred.principal, verified };
  }

  return async (req: IncomingMessage, res: ServerResponse, ctx: RequestContext): Promise<void> => {
    res.setHeader('x-amz-request-id', ctx.requestId);
    res.setHeader('x-amz-id-2', Buffer.from(`sailbucket/${ctx.requestId}`).toString('base64'));
    const isHead = req.method === 'HEAD';
    const expectContinue = wantsContinue(req);
    let continued = false;
    let endpoint: S3Endpoint | undefined;
    try {
      endpoint = router({
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        host: req.headers.host,
        hasCopySource: req.headers['x-amz-copy-source'] !== undefined,
      });
      const op = endpoint.operation;
      const facts = ctx.facts;
      facts.operation = op;
      if (endpoint.bucket !== undefined) facts.bucket = endpoint.bucket;
      if (endpoint.key !== undefined) facts.key = endpoint.key;
      const now = deps.clock();
      // A CORS preflight is never authenticated: S3 ignores a presigned URL's query (or any
      // Authorization) on OPTIONS; the bucket's CORS rules alone decide.
      const { principal, verified } =
        OPERATIONS[op].access === 'corsPreflight'
          ? { principal: ANONYMOUS, verified: undefined }
          : await authenticate(req, endpoint, now, facts);
      facts.principal = principal.kind;
      if (principal.kind !== 'anonymous') facts.requesterAccountId = principal.accountId;
      const expectedOwner = req.headers['x-amz-expected-bucket-owner'];
      const bucket = await authorize(
        OPERATIONS[op],
        principal,
        endpoint,
        typeof expectedOwner === 'string' ? expectedOwner : undefined,
      );
      // SigV2 names no region: any bucket's region is fine.
      if (verified !== undefined && verified.version !== 2) checkScopeRegion(verified, bucket?.region ?? deps.region);
      const handler = deps.handlers[op] as S3Handler | undefined;
      if (handler === undefined) throw new S3Error('NotImplemented', `${op} is not implemented by Sailbucket.`);
      if (bucket !== undefined && bucket.cors.length > 0 && op !== 'OptionsObject') addCorsHeaders(req, res, bucket);
      if (expectContinue) {
        res.writeContinue();
        continued = true;
      }
      let body: S3Call['body'] | undefined;
      const call: S3Call = {
        endpoint,
        principal,
        bucket,
        key: endpoint.key,
        headers: req.headers,
        // Made when a handler asks for it (GET, HEAD and most other operations never do).
        get body() {
          return (body ??= createVerifiedBody(req, verified));
        },
        requestId: ctx.requestId,
        // The request's logger is made only if a handler logs.
        get log() {
          return ctx.log;
        },
        now,
        region: deps.region,
        services: deps.services,
        xml,
        authorizeSourceRead: (name) => authorizeSourceRead(authDeps, principal, name),
        ...(op === 'PostObject' ? { postForm: postFormAccess(req, res, endpoint, facts) } : {}),
      };
      await handler(call, createReply(res, isHead));
      if (!res.headersSent) throw new Error(`${op} handler returned without answering`);
      if (principal.kind === 'bucketKey')
        deps.lastUsed.touch(principal.accessKeyId, bucket?.region ?? deps.region, 's3');
    } catch (err) {
      const s3err = mapToS3Error(err);
      ctx.facts.errorCode ??= s3err.code;
      if (clientGone(req)) {
        ctx.log.info('client aborted', { operation: endpoint?.operation });
        writeError(res, s3err, ctx.requestId, resourceOf(endpoint, req), isHead);
        return;
      }
      if (s3err.code === 'InternalError')
        ctx.log.error('S3 request failed', {
          operation: endpoint?.operation,
          error: err instanceof Error ? err : String(err),
          stack: err instanceof Error ? err.stack : undefined,
        });
      // The body was never asked for: do not wait for it on this connection.
      if (!res.headersSent && ((expectContinue && !continued) || hasUnreadBody(req)))
        res.setHeader('connection', 'close');
      writeError(res, s3err, ctx.requestId, resourceOf(endpoint, req), isHead);
    }
  };
}

/**
 * S3 answers a signature scoped to another region than the bucket's (or, without a bucket, the
 * endpoint's) with the region it expected, which SDKs use to re-sign. Checked once the signature is
 * verified and the bucket authorized, so only its own callers learn a bucket's region.
 */
function checkScopeRegion(verified: VerifiedSignature, expected: string): void {
  const region = verified.scope.region;
  if (region === expected) return;
  const detail = `the region '${region}' is wrong; expecting '${expected}'`;
  if (verified.kind === 'query') {
    throw new S3Error('AuthorizationQueryParametersError', `Error parsing the X-Amz-Credential parameter; ${detail}`, {
      Region: expected,
    });
  }
  throw new S3Error('AuthorizationHeaderMalformed', `The authorization header is malformed; ${detail}`, {
    Region: expected,
  });
}

/** Constant-time comparison of a signature a client sent with the one computed here. */
function sameSignature(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
