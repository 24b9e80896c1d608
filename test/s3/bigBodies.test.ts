/**
 * Blob-backed bodies over HTTP: reads reuse pooled buffers once the socket wrote them, so many
 * concurrent GETs (whole, ranged, abandoned mid-body) of different objects must each get exactly
 * their own bytes.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { request, type ClientRequest, type IncomingMessage } from 'node:http';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { startDataPlane, bodyBytes, type DataPlaneFixture } from './clientsHarness.js';
import { signRequest, EMPTY_SHA256 } from './rawSigner.js';

let fx: DataPlaneFixture;
const SIZE = 6.5 * 1024 * 1024; // read pieces of 1 MiB, the last one partial
const bodies = [randomBytes(SIZE), randomBytes(SIZE), randomBytes(SIZE)];

before(async () => {
  fx = await startDataPlane();
  for (const [i, b] of bodies.entries())
    await fx.s3.send(new PutObjectCommand({ Bucket: fx.bucket, Key: `big-${i}`, Body: b }));
});
after(async () => {
  await fx?.close();
});

async function get(i: number, range?: [number, number]): Promise<Buffer> {
  const r = await fx.s3.send(
    new GetObjectCommand({
      Bucket: fx.bucket,
      Key: `big-${i}`,
      ...(range ? { Range: `bytes=${range[0]}-${range[1]}` } : {}),
    }),
  );
  return bodyBytes(r.Body);
}

function rawGet(
  i: number,
  onResponse: (res: IncomingMessage, req: ClientRequest, resolve: (b?: Buffer) => void) => void,
): Promise<Buffer | undefined> {
  const url = new URL(fx.server.endpoint);
  const path = `/${fx.bucket}/big-${i}`;
  const signed = signRequest({
    method: 'GET',
    path,
    creds: fx.key,
    payloadHash: EMPTY_SHA256,
    headers: { host: url.host },
  });
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, method: 'GET', path, headers: signed.headers, agent: false },
      (res) => {
        assert.equal(res.statusCode, 200);
        onResponse(res, req, resolve);
      },
    );
    req.on('error', (err) => (req.destroyed ? resolve(undefined) : reject(err)));
    req.end();
  });
}

/** A GET whose client goes away after the first bytes of the body. */
const abandonedGet = (i: number) =>
  rawGet(i, (res, req, resolve) =>
    res.once('data', () => {
      req.destroy();
      resolve();
    }),
  );

/**
 * A GET whose client reads nothing for a while: the socket's buffers fill, so the server's writes
 * queue up holding their chunks (which must not be reused meanwhile).
 */
const slowGet = (i: number) =>
  rawGet(i, (res, _req, resolve) => {
    res.pause();
    setTimeout(() => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(Buffer.concat(chunks)));
      res.resume();
    }, 300);
  });

test('concurrent whole, slowly read, ranged and abandoned GETs of different big objects each get exactly their bytes', async () => {
  for (let round = 0; round < 3; round++) {
    const jobs: Promise<void>[] = [];
    for (let j = 0; j < 12; j++) {
      const i = j % 3;
      if (j % 4 === 3) {
        jobs.push(abandonedGet(i).then(() => undefined));
      } else if (j % 4 === 1) {
        jobs.push(slowGet(i).then((got) => assert.ok(got?.equals(bodies[i]), `slowly read big-${i}`)));
      } else if (j % 4 === 2) {
        const start = 1000 + j * 4099;
        const end = SIZE - 1 - j * 333;
        jobs.push(
          get(i, [start, end]).then((got) =>
            assert.ok(got.equals(bodies[i].subarray(start, end + 1)), `range of big-${i}`),
          ),
        );
      } else {
        jobs.push(get(i).then((got) => assert.ok(got.equals(bodies[i]), `big-${i}`)));
      }
    }
    await Promise.all(jobs);
  }
});
