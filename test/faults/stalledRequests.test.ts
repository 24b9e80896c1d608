/**
 * Network bounds (issue 10, item 1): stalled request bodies are answered and cut after the body idle
 * timeout, nothing of them is stored, many stalled unauthenticated connections hold bounded memory,
 * the connection cap refuses the excess with one log line, and a client that goes away mid-upload is
 * logged once at info as `client aborted`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request, type ClientRequest } from 'node:http';
import { connect, type Socket } from 'node:net';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateBucketCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startServer, type TestServer } from '../helpers/server.js';
import { sendRaw, signRequest } from '../s3/rawSigner.js';

const s3Of = (server: TestServer) =>
  new S3Client({
    endpoint: server.endpoint,
    region: server.region,
    credentials: server.credentials,
    forcePathStyle: true,
  });

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Sends the headers and the first bytes of a body, then stalls; resolves with the answer, if any. */
function stalledRequest(
  server: TestServer,
  opts: { method: string; path: string; headers: Record<string, string>; sent: Buffer },
): { answer: Promise<Answer>; req: ClientRequest } {
  const url = new URL(server.endpoint);
  let req!: ClientRequest;
  const answer = new Promise<Answer>((resolve, reject) => {
    req = request(
      { host: url.hostname, port: url.port, method: opts.method, path: opts.path, headers: opts.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }),
        );
      },
    );
    req.on('error', reject);
    req.write(opts.sent);
  });
  return { answer, req };
}

const waitFor = async (what: string, check: () => boolean, ms = 10_000): Promise<void> => {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

test('a stalled signed S3 upload is answered 400 RequestTimeout, closed, and leaves nothing behind', async () => {
  const server = await startServer({ args: ['--body-idle-timeout', '1'] });
  try {
    const s3 = s3Of(server);
    await s3.send(new CreateBucketCommand({ Bucket: 'stalled' }));
    const host = new URL(server.endpoint).host;
    const signed = signRequest({
      method: 'PUT',
      path: '/stalled/object',
      headers: { host, 'content-length': '100000' },
      payloadHash: 'UNSIGNED-PAYLOAD',
      creds: server.credentials,
    });
    const { answer } = stalledRequest(server, {
      method: 'PUT',
      path: '/stalled/object',
      headers: signed.headers,
      sent: Buffer.alloc(70_000, 1), // past the inline limit: a blob temp file is being written
    });
    const got = await answer;
    assert.equal(got.status, 400);
    assert.match(got.body, /<Code>RequestTimeout<\/Code>/);
    assert.match(got.body, /Idle connections will be closed/);
    assert.equal(got.headers.connection, 'close');
    await assert.rejects(s3.send(new HeadObjectCommand({ Bucket: 'stalled', Key: 'object' })), { name: 'NotFound' });
    await waitFor('temp files removed', () => readdirSync(join(server.dataDir, 'blobs', 'tmp')).length === 0).catch(
      (e: Error) => {
        throw new Error(
          `${e.message}: ${readdirSync(join(server.dataDir, 'blobs', 'tmp')).join(',')} ${server.stderr()}`,
        );
      },
    );
    assert.doesNotMatch(server.stderr(), /"level":"error"/);
  } finally {
    await server.stop();
  }
});

test('a stalled control-plane body is answered InvalidInputException before any authentication', async () => {
  const server = await startServer({ args: ['--body-idle-timeout', '1'] });
  try {
    const { answer } = stalledRequest(server, {
      method: 'POST',
      path: '/',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'Lightsail_20161128.GetBuckets',
        'content-length': '1000',
      },
      sent: Buffer.from('{"pageTo'),
    });
    const got = await answer;
    assert.equal(got.status, 400);
    assert.equal(got.headers['x-amzn-errortype'], 'InvalidInputException');
    assert.match(JSON.parse(got.body).message as string, /timed out/);
    assert.equal(got.headers.connection, 'close');
  } finally {
    await server.stop();
  }
});

test('a control-plane body over the 128 KiB cap is refused from its Content-Length', async () => {
  const server = await startServer();
  try {
    const got = await sendRaw(server.endpoint, {
      method: 'POST',
      path: '/',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'Lightsail_20161128.GetBuckets',
        'content-length': String(128 * 1024 + 1),
      },
      body: [Buffer.alloc(128 * 1024 + 1, 0x20)],
    });
    assert.equal(got.status, 400);
    assert.match(got.body.toString(), /exceeds the control-plane limit of 131072 bytes/);
  } finally {
    await server.stop();
  }
});

const rssMiB = (pid: number): number => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m![1]) / 1024;
};

test('1500 stalled unauthenticated connections at the body cap hold bounded memory and are all closed', async () => {
  const server = await startServer({ args: ['--body-idle-timeout', '3'] });
  const sockets: Socket[] = [];
  try {
    const url = new URL(server.endpoint);
    const before = rssMiB(server.pid()!);
    const head =
      'POST / HTTP/1.1\r\nHost: ' +
      url.host +
      '\r\nContent-Type: application/x-amz-json-1.1\r\nX-Amz-Target: Lightsail_20161128.GetBuckets\r\n' +
      `Content-Length: ${128 * 1024}\r\n\r\n`;
    const body = Buffer.alloc(128 * 1024 - 1, 0x20);
    let closed = 0;
    for (let i = 0; i < 1500; i++) {
      const socket = connect(Number(url.port), url.hostname);
      socket.on('error', () => undefined);
      socket.on('close', () => (closed += 1));
      socket.on('data', () => undefined);
      socket.write(head);
      socket.write(body);
      sockets.push(socket);
    }
    await waitFor('bodies sent', () => sockets.every((s) => s.bytesWritten >= head.length + body.length));
    // The peak RSS from here until the server closed every connection (it reads the bodies meanwhile).
    let peak = rssMiB(server.pid()!);
    await waitFor(
      'every stalled connection closed by the server',
      () => {
        peak = Math.max(peak, rssMiB(server.pid()!));
        return closed === 1500;
      },
      30_000,
    );
    console.log(
      `server RSS: ${before.toFixed(0)} MiB before, peak ${peak.toFixed(0)} MiB with 1500 stalled connections`,
    );
    assert.ok(peak < 300, `server RSS peaked at ${peak.toFixed(0)} MiB with 1500 stalled connections`);
  } finally {
    for (const s of sockets) s.destroy();
    await server.stop();
  }
});

test('the connection cap refuses the excess and says so once', async () => {
  const server = await startServer({ args: ['--max-connections', '3'] });
  const sockets: Socket[] = [];
  try {
    const url = new URL(server.endpoint);
    let closed = 0;
    for (let i = 0; i < 8; i++) {
      const socket = connect(Number(url.port), url.hostname);
      socket.on('error', () => undefined);
      socket.on('close', () => (closed += 1));
      sockets.push(socket);
    }
    await waitFor('excess connections refused', () => closed >= 5);
    await waitFor('one log line', () => server.stderr().includes('connection limit reached'));
    const lines = server
      .stderr()
      .split('\n')
      .filter((l) => l.includes('connection limit reached'));
    assert.equal(lines.length, 1, server.stderr());
    assert.match(lines[0], /"maxConnections":3/);
  } finally {
    for (const s of sockets) s.destroy();
    await server.stop();
  }
});

test('a client that goes away mid-upload is logged once at info as client aborted', async () => {
  const server = await startServer();
  try {
    const s3 = s3Of(server);
    await s3.send(new CreateBucketCommand({ Bucket: 'aborts' }));
    const host = new URL(server.endpoint).host;
    const signed = signRequest({
      method: 'PUT',
      path: '/aborts/object',
      headers: { host, 'content-length': '200000' },
      payloadHash: 'UNSIGNED-PAYLOAD',
      creds: server.credentials,
    });
    const from = server.stderr().length;
    await sendRaw(server.endpoint, {
      method: 'PUT',
      path: '/aborts/object',
      headers: signed.headers,
      body: [Buffer.alloc(200_000, 2)],
      destroyAfter: 100_000,
    });
    const line = await server.waitForStderrLine((l) => l.includes('client aborted'), from);
    assert.match(line, /"level":"info"/);
    const after = server.stderr().slice(from);
    assert.equal(after.split('\n').filter((l) => l.includes('client aborted')).length, 1);
    assert.doesNotMatch(after, /"level":"error"/);
    assert.doesNotMatch(after, /"stack"/);
  } finally {
    await server.stop();
  }
});

test('control-plane bodies awaiting authentication past the budget get 503 ServiceException; the budget comes back', async () => {
  // 1 MiB holds 16 bodies at the 128 KiB cap.
  const server = await startServer({ args: ['--unauthenticated-budget', '2', '--body-idle-timeout', '2'] });
  const stalled: { answer: Promise<Answer>; req: ClientRequest }[] = [];
  try {
    const headers = {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': 'Lightsail_20161128.GetBuckets',
      'content-length': String(128 * 1024),
    };
    for (let i = 0; i < 16; i++)
      stalled.push(stalledRequest(server, { method: 'POST', path: '/', headers, sent: Buffer.from('{') }));
    const from = server.stderr().length;
    // The 16 may reach the server after the first extra requests: try until one is refused.
    let refused: Answer | undefined;
    for (let tries = 0; tries < 50 && refused === undefined; tries++) {
      const extra = await sendRaw(server.endpoint, {
        method: 'POST',
        path: '/',
        headers: { ...headers, 'content-length': '2' },
        body: [Buffer.from('{}')],
      });
      if (extra.status === 503) refused = { status: 503, headers: extra.headers, body: extra.body.toString() };
    }
    assert.ok(refused, 'a request past the budget is refused');
    assert.equal(refused.headers['x-amzn-errortype'], 'ServiceException');
    assert.match(JSON.parse(refused.body).message as string, /waiting to be authenticated/);
    await server.waitForStderrLine((l) => l.includes('over budget'), from);
    // The stalled ones time out and give their share back: a new request is authenticated (and
    // refused for its missing signature), not turned away.
    for (const s of stalled) assert.equal((await s.answer).status, 400);
    const after = await sendRaw(server.endpoint, {
      method: 'POST',
      path: '/',
      headers: { ...headers, 'content-length': '2' },
      body: [Buffer.from('{}')],
    });
    assert.equal(after.status, 400);
    assert.notEqual(after.headers['x-amzn-errortype'], 'ServiceException');
  } finally {
    for (const s of stalled) s.req.destroy();
    await server.stop();
  }
});
