/**
 * The S3 requests the cases send, signed like a real client (SigV4 header auth), each checking
 * its status and failing with a message that names the operation, the key and the answer.
 */
import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import type { HttpPool, HttpResult } from './httpPool.js';
import { objectPath, sha256Hex, type Signer } from './signer.js';

export type PutMode =
  { kind: 'sha256'; sha256: string } | { kind: 'unsigned-trailer-crc32'; crc32Base64: string } | { kind: 'unsigned' };

export interface S3Ops {
  createBucket(bucket: string): Promise<void>;
  putObject(bucket: string, key: string, body: Buffer, mode: PutMode): Promise<HttpResult>;
  getObject(bucket: string, key: string, keepBodyBytes?: number): Promise<HttpResult>;
  headObject(bucket: string, key: string): Promise<HttpResult>;
  listObjectsV2(bucket: string, prefix: string, maxKeys: number, startAfter?: string): Promise<HttpResult>;
  deleteObjects(bucket: string, keys: string[]): Promise<HttpResult>;
  createMultipartUpload(bucket: string, key: string): Promise<string>;
  uploadPart(
    bucket: string,
    key: string,
    uploadId: string,
    partNumber: number,
    body: Buffer,
    sha256: string,
  ): Promise<string>;
  completeMultipartUpload(bucket: string, key: string, uploadId: string, etags: string[]): Promise<HttpResult>;
}

export class BenchRequestError extends Error {
  override readonly name = 'BenchRequestError';
}

const EMPTY_SHA256 = sha256Hex('');

function expectStatus(op: string, target: string, res: HttpResult, ...ok: number[]): HttpResult {
  if (ok.includes(res.status)) return res;
  const snippet = res.body.toString('utf8', 0, Math.min(res.body.length, 300)).replace(/\s+/g, ' ');
  throw new BenchRequestError(
    `${op} ${target}: HTTP ${res.status} (expected ${ok.join(' or ')})${snippet ? `: ${snippet}` : ''}`,
  );
}

/** `aws-chunked` body of one data chunk and a CRC32 trailer, as STREAMING-UNSIGNED-PAYLOAD-TRAILER sends it. */
export function unsignedTrailerBody(data: Buffer, crc32Base64: string): Buffer[] {
  return [
    Buffer.from(`${data.length.toString(16)}\r\n`),
    data,
    Buffer.from(`\r\n0\r\nx-amz-checksum-crc32:${crc32Base64}\r\n\r\n`),
  ];
}

export const crc32Base64 = (data: Buffer): string => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(crc32(data) >>> 0);
  return b.toString('base64');
};

export function createS3Ops(pool: HttpPool, signer: Signer): S3Ops {
  const keepSmall = 64 * 1024;
  return {
    async createBucket(bucket) {
      const r = signer.sign({ method: 'PUT', path: objectPath(bucket), payloadHash: EMPTY_SHA256 });
      const res = await pool.send({
        method: 'PUT',
        url: r.url,
        headers: r.headers,
        body: Buffer.alloc(0),
        keepBodyBytes: keepSmall,
      });
      expectStatus('CreateBucket', bucket, res, 200);
    },
    async putObject(bucket, key, body, mode) {
      const path = objectPath(bucket, key);
      let res: HttpResult;
      if (mode.kind === 'unsigned-trailer-crc32') {
        const chunks = unsignedTrailerBody(body, mode.crc32Base64);
        const r = signer.sign({
          method: 'PUT',
          path,
          payloadHash: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
          headers: {
            'content-encoding': 'aws-chunked',
            'x-amz-decoded-content-length': String(body.length),
            'x-amz-trailer': 'x-amz-checksum-crc32',
          },
        });
        res = await pool.send({
          method: 'PUT',
          url: r.url,
          headers: r.headers,
          body: chunks,
          keepBodyBytes: keepSmall,
        });
      } else {
        const r = signer.sign({
          method: 'PUT',
          path,
          payloadHash: mode.kind === 'sha256' ? mode.sha256 : 'UNSIGNED-PAYLOAD',
        });
        res = await pool.send({ method: 'PUT', url: r.url, headers: r.headers, body, keepBodyBytes: keepSmall });
      }
      return expectStatus('PutObject', `${bucket}/${key}`, res, 200);
    },
    async getObject(bucket, key, keepBodyBytes = keepSmall) {
      const r = signer.sign({ method: 'GET', path: objectPath(bucket, key), payloadHash: EMPTY_SHA256 });
      return expectStatus(
        'GetObject',
        `${bucket}/${key}`,
        await pool.send({ method: 'GET', url: r.url, headers: r.headers, keepBodyBytes }),
        200,
      );
    },
    async headObject(bucket, key) {
      const r = signer.sign({ method: 'HEAD', path: objectPath(bucket, key), payloadHash: EMPTY_SHA256 });
      return expectStatus(
        'HeadObject',
        `${bucket}/${key}`,
        await pool.send({ method: 'HEAD', url: r.url, headers: r.headers }),
        200,
      );
    },
    async listObjectsV2(bucket, prefix, maxKeys, startAfter) {
      const query: [string, string][] = [
        ['list-type', '2'],
        ['prefix', prefix],
        ['max-keys', String(maxKeys)],
      ];
      if (startAfter !== undefined) query.push(['start-after', startAfter]);
      const r = signer.sign({ method: 'GET', path: objectPath(bucket), query, payloadHash: EMPTY_SHA256 });
      return expectStatus(
        'ListObjectsV2',
        `${bucket} prefix '${prefix}'`,
        await pool.send({ method: 'GET', url: r.url, headers: r.headers, keepBodyBytes: 4096 }),
        200,
      );
    },
    async deleteObjects(bucket, keys) {
      const xml = `<?xml version="1.0" encoding="UTF-8"?><Delete><Quiet>true</Quiet>${keys.map((k) => `<Object><Key>${k}</Key></Object>`).join('')}</Delete>`;
      const body = Buffer.from(xml);
      const r = signer.sign({
        method: 'POST',
        path: objectPath(bucket),
        query: [['delete', '']],
        payloadHash: sha256Hex(body),
        headers: {
          'content-md5': createHash('md5').update(body).digest('base64'),
          'content-type': 'application/xml',
        },
      });
      const res = await pool.send({ method: 'POST', url: r.url, headers: r.headers, body, keepBodyBytes: keepSmall });
      expectStatus('DeleteObjects', `${bucket} (${keys.length} keys)`, res, 200);
      if (res.body.includes('<Error>'))
        throw new BenchRequestError(`DeleteObjects ${bucket}: per-key errors: ${res.body.toString('utf8', 0, 300)}`);
      return res;
    },
    async createMultipartUpload(bucket, key) {
      const r = signer.sign({
        method: 'POST',
        path: objectPath(bucket, key),
        query: [['uploads', '']],
        payloadHash: EMPTY_SHA256,
      });
      const res = expectStatus(
        'CreateMultipartUpload',
        `${bucket}/${key}`,
        await pool.send({
          method: 'POST',
          url: r.url,
          headers: r.headers,
          body: Buffer.alloc(0),
          keepBodyBytes: keepSmall,
        }),
        200,
      );
      const m = /<UploadId>([^<]+)<\/UploadId>/.exec(res.body.toString('utf8'));
      if (!m)
        throw new BenchRequestError(
          `CreateMultipartUpload ${bucket}/${key}: no UploadId in ${res.body.toString('utf8', 0, 300)}`,
        );
      return m[1];
    },
    async uploadPart(bucket, key, uploadId, partNumber, body, sha256) {
      const r = signer.sign({
        method: 'PUT',
        path: objectPath(bucket, key),
        query: [
          ['partNumber', String(partNumber)],
          ['uploadId', uploadId],
        ],
        payloadHash: sha256,
      });
      const res = expectStatus(
        'UploadPart',
        `${bucket}/${key} part ${partNumber}`,
        await pool.send({ method: 'PUT', url: r.url, headers: r.headers, body, keepBodyBytes: keepSmall }),
        200,
      );
      const etag = res.headers.etag;
      if (typeof etag !== 'string')
        throw new BenchRequestError(`UploadPart ${bucket}/${key} part ${partNumber}: no ETag header`);
      return etag;
    },
    async completeMultipartUpload(bucket, key, uploadId, etags) {
      const xml = `<CompleteMultipartUpload>${etags.map((e, i) => `<Part><PartNumber>${i + 1}</PartNumber><ETag>${e}</ETag></Part>`).join('')}</CompleteMultipartUpload>`;
      const body = Buffer.from(xml);
      const r = signer.sign({
        method: 'POST',
        path: objectPath(bucket, key),
        query: [['uploadId', uploadId]],
        payloadHash: sha256Hex(body),
        headers: { 'content-type': 'application/xml' },
      });
      const res = expectStatus(
        'CompleteMultipartUpload',
        `${bucket}/${key}`,
        await pool.send({ method: 'POST', url: r.url, headers: r.headers, body, keepBodyBytes: keepSmall }),
        200,
      );
      if (res.body.includes('<Error>'))
        throw new BenchRequestError(`CompleteMultipartUpload ${bucket}/${key}: ${res.body.toString('utf8', 0, 300)}`);
      return res;
    },
  };
}
