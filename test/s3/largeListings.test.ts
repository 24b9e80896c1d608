/**
 * Listings whose XML document is larger than one of XmlWriter's 256 KiB spill buffers are sent as
 * several buffers in one writev (S3Reply.xml with XmlWriter.parts): ListObjectsV2, ListObjects,
 * ListObjectVersions and DeleteObjects of 1000 keys of 400 characters, read back whole by the JS SDK;
 * concurrent pages (whose spill buffers are reused once each response is written), some aborted.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DeleteObjectsCommand,
  ListObjectsCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { startServer, uniqueBucketName, type TestServer } from '../helpers/server.js';
import { accountsFor, REGION, type Accounts } from './support/accounts.js';

let server: TestServer;
let accounts: Accounts;
let client: S3Client;
const bucket = uniqueBucketName('biglist');
/** 1000 keys of 400 characters (some of them multi-byte): each listing is about 0.5 MiB of XML. */
const KEYS = Array.from({ length: 1000 }, (_, i) =>
  `${String(i).padStart(4, '0')}/${i % 7 === 0 ? 'é日本&<>' : 'plain'}-`.padEnd(400, 'k'),
).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));

before(async () => {
  server = await startServer();
  accounts = accountsFor(server.endpoint, server.credentials);
  await accounts.createBucket(bucket);
  const creds = await accounts.createKey(bucket);
  client = new S3Client({ endpoint: server.endpoint, region: REGION, credentials: creds, forcePathStyle: true });
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < KEYS.length) {
        const k = KEYS[next++];
        await client.send(new PutObjectCommand({ Bucket: bucket, Key: k, Body: k.slice(0, 4) }));
      }
    }),
  );
});

after(async () => {
  client?.destroy();
  accounts?.close();
  await server?.stop();
});

test('ListObjectsV2, ListObjects and ListObjectVersions of 1000 long keys arrive whole', async () => {
  const v2 = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
  assert.equal(v2.KeyCount, 1000);
  assert.deepEqual(
    v2.Contents?.map((o) => o.Key),
    KEYS,
  );
  assert.ok(v2.Contents?.every((o) => o.Size === 4));
  const v1 = await client.send(new ListObjectsCommand({ Bucket: bucket }));
  assert.deepEqual(
    v1.Contents?.map((o) => o.Key),
    KEYS,
  );
  const versions = await client.send(new ListObjectVersionsCommand({ Bucket: bucket }));
  assert.deepEqual(
    versions.Versions?.map((o) => o.Key),
    KEYS,
  );
});

test('concurrent listings of different pages (their spill buffers reused between responses), some aborted by the client, each arrive whole and their own', async () => {
  // Each page starts after a different key, so pages differ in content and length; most are
  // larger than one 256 KiB spill buffer. Aborted requests close their connection mid-response.
  const starts = Array.from({ length: 48 }, (_, i) => (i * 37) % 400);
  let next = 0;
  let aborted = 0;
  let checked = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < starts.length) {
        const n = next++;
        const from = starts[n];
        const input = { Bucket: bucket, StartAfter: KEYS[from] };
        if (n % 6 === 5) {
          const abort = new AbortController();
          setTimeout(() => abort.abort(), 1 + (n % 4));
          await client.send(new ListObjectsV2Command(input), { abortSignal: abort.signal }).then(
            () => undefined,
            (err: Error) => {
              assert.equal(err.name, 'AbortError', err.message);
              aborted++;
            },
          );
          continue;
        }
        const page = await client.send(new ListObjectsV2Command(input));
        assert.deepEqual(
          page.Contents?.map((o) => o.Key),
          KEYS.slice(from + 1),
          `page after key ${from}`,
        );
        checked++;
      }
    }),
  );
  assert.equal(checked, 40);
  // What was aborted or not depends on timing; the pages after it must be whole either way.
  assert.ok(aborted <= 8);
  const again = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
  assert.deepEqual(
    again.Contents?.map((o) => o.Key),
    KEYS,
  );
});

test('DeleteObjects of 1000 long keys answers every key (not quiet), and the bucket is empty after', async () => {
  const out = await client.send(
    new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: KEYS.map((Key) => ({ Key })), Quiet: false } }),
  );
  assert.equal(out.Errors, undefined);
  assert.deepEqual(
    out.Deleted?.map((d) => d.Key).sort((a, b) => Buffer.compare(Buffer.from(a!), Buffer.from(b!))),
    KEYS,
  );
  const after = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
  assert.equal(after.KeyCount, 0);
});
