/**
 * End to end with the real @aws-sdk/client-s3 middleware (checksums, aws-chunked trailers, retries
 * off): a bare node:http server runs parse → verify → body verifier and answers like S3.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { createHash } from 'node:crypto';
import { S3Client, PutObjectCommand, type ChecksumAlgorithm } from '@aws-sdk/client-s3';
import { bytes } from './chunkedBodies.js';
import { startServer } from './verifyingServer.js';

const credentials = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};

test('@aws-sdk/client-s3 PutObject in every checksum mode verifies end to end', async () => {
  const srv = await startServer((akid) => (akid === credentials.accessKeyId ? credentials.secretAccessKey : undefined));
  const client = new S3Client({
    region: 'us-east-1',
    endpoint: srv.url,
    forcePathStyle: true,
    credentials,
    maxAttempts: 1,
  });
  try {
    const data = bytes(200_000, 99);
    const algorithms: Array<ChecksumAlgorithm | undefined> = [
      undefined,
      'CRC32',
      'CRC32C',
      'CRC64NVME',
      'SHA1',
      'SHA256',
    ];
    for (const alg of algorithms) {
      for (const kind of ['buffer', 'stream', 'empty'] as const) {
        const body = kind === 'empty' ? Buffer.alloc(0) : data;
        const Body = kind === 'stream' ? Readable.from([data.subarray(0, 70_000), data.subarray(70_000)]) : body;
        const out = await client.send(
          new PutObjectCommand({
            Bucket: 'photos',
            Key: `dir/${kind} ${alg ?? 'default'}+ü.bin`,
            Body,
            ContentLength: body.length,
            ...(alg ? { ChecksumAlgorithm: alg } : {}),
            Metadata: { note: 'x  y' },
          }),
        );
        assert.equal(out.ETag, `"${createHash('md5').update(body).digest('hex')}"`, `${kind} ${alg}`);
        const last = srv.seen.at(-1)!;
        assert.ok(last.body.equals(body), `${kind} ${alg}: body stored byte-identical (${last.mode})`);
        if (alg)
          assert.ok(last.checksum?.startsWith(alg + ':'), `${kind} ${alg}: checksum ${last.checksum} (${last.mode})`);
      }
    }
    const modes = new Set(srv.seen.map((s) => s.mode));
    // over plain http the SDK signs buffered bodies (SHA256) and streams them with a checksum trailer
    assert.ok(modes.has('STREAMING-UNSIGNED-PAYLOAD-TRAILER') && modes.has('SHA256'), [...modes].join());

    const wrong = new S3Client({
      region: 'us-east-1',
      endpoint: srv.url,
      forcePathStyle: true,
      maxAttempts: 1,
      credentials: { ...credentials, secretAccessKey: credentials.secretAccessKey.replace('w', 'W') },
    });
    await assert.rejects(
      wrong.send(new PutObjectCommand({ Bucket: 'photos', Key: 'k', Body: 'hello' })),
      (e: Error) => e.name === 'SignatureDoesNotMatch',
    );
    wrong.destroy();
  } finally {
    client.destroy();
    await srv.close();
  }
});
