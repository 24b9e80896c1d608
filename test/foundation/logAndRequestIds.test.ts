/**
 * The per-request pieces of the listener: request ids (pooled random bytes), the JSON logger
 * (base fields encoded once, exact object semantics when a field repeats), and one access-log line
 * per request whose request id is the one the plane answered with.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { createHttpServer, createRequestIds } from '../../src/http/server.js';
import { createBufferedSink, createLogger } from '../../src/log.js';
import type { PlaneHandler } from '../../src/http/types.js';

test('request ids: 16 upper-case hex characters, distinct across pool refills', () => {
  const next = createRequestIds();
  const seen = new Set<string>();
  for (let i = 0; i < 5000; i++) {
    const id = next();
    assert.match(id, /^[0-9A-F]{16}$/);
    seen.add(id);
  }
  assert.equal(seen.size, 5000);
  const other = createRequestIds();
  assert.notEqual(other(), createRequestIds()(), 'each source draws its own random bytes');
});

const capture = () => {
  const lines: string[] = [];
  return {
    lines,
    sink: {
      write: (l: string) => {
        lines.push(l);
        return true;
      },
    },
    parsed: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>),
  };
};

test('logger: one JSON object per line, base fields after msg, secrets redacted, errors reduced', () => {
  const c = capture();
  const log = createLogger(c.sink, 'info', { service: 'sb' }).child({ requestId: 'R1', secretAccessKey: 'never' });
  log.debug('hidden');
  log.info('request', { method: 'GET', path: '/b/"k"', status: 200, ms: 0.5, skipped: undefined });
  log.error('failed', { error: new Error('boom'), Authorization: 'AWS4-HMAC-SHA256 x' });
  assert.equal(c.lines.length, 2, 'debug is below the level');
  for (const l of c.lines) assert.ok(l.endsWith('}\n') && !l.slice(0, -1).includes('\n'));
  const [a, b] = c.parsed();
  assert.deepEqual(Object.keys(a), [
    'time',
    'level',
    'msg',
    'service',
    'requestId',
    'secretAccessKey',
    'method',
    'path',
    'status',
    'ms',
  ]);
  assert.equal(a.secretAccessKey, '[redacted]');
  assert.equal(a.path, '/b/"k"');
  assert.equal(new Date(String(a.time)).toISOString(), a.time);
  assert.deepEqual(b.error, { name: 'Error', message: 'boom' });
  assert.equal(b.Authorization, '[redacted]');
  assert.ok(!c.lines.join('').includes('never') && !c.lines.join('').includes('AWS4-HMAC'), 'no secret in any line');
});

test('logger: a field repeating a base field or a line key appears once, with the call value', () => {
  const c = capture();
  const log = createLogger(c.sink, 'debug').child({ requestId: 'R1', where: 'base' });
  log.warn('dup', { requestId: 'R2', msg: 'not the message', extra: 1 });
  assert.equal((c.lines[0].match(/"requestId"/g) ?? []).length, 1);
  assert.deepEqual(JSON.parse(c.lines[0]), {
    time: JSON.parse(c.lines[0]).time,
    level: 'warn',
    msg: 'not the message',
    requestId: 'R2',
    where: 'base',
    extra: 1,
  });
});

test('server: one access line per request, with the request id the plane saw, and no query string', async () => {
  const c = capture();
  const seen: string[] = [];
  const plane: PlaneHandler = async (_req, res, ctx) => {
    seen.push(ctx.requestId);
    if (_req.url?.startsWith('/fail')) ctx.log.warn('plane note', { n: 1 });
    res.setHeader('x-amz-request-id', ctx.requestId);
    res.setHeader('content-length', 0);
    res.end();
  };
  const server = createHttpServer({ log: createLogger(c.sink, 'info'), controlPlane: plane, s3: plane });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  try {
    const headerIds: string[] = [];
    for (const path of ['/b/k?X-Amz-Signature=abc', '/fail/x', '/b/other']) {
      headerIds.push(
        await new Promise<string>((resolve, reject) => {
          request({ host: '127.0.0.1', port, path, method: 'GET' }, (res) => {
            res.resume();
            res.on('end', () => resolve(String(res.headers['x-amz-request-id'])));
          })
            .on('error', reject)
            .end();
        }),
      );
    }
    await new Promise((resolve) => setImmediate(resolve));
    const access = c.parsed().filter((e) => e.msg === 'request');
    assert.deepEqual(
      access.map((e) => e.requestId),
      seen,
    );
    assert.deepEqual(headerIds, seen);
    assert.deepEqual(
      access.map((e) => e.path),
      ['/b/k', '/fail/x', '/b/other'],
    );
    for (const e of access) {
      assert.equal(e.method, 'GET');
      assert.equal(e.status, 200);
      assert.equal(typeof e.ms, 'number');
    }
    const note = c.parsed().find((e) => e.msg === 'plane note');
    assert.equal(note?.requestId, seen[1], "a plane's own lines carry its request id");
    assert.ok(!c.lines.join('').includes('X-Amz-Signature'));
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

test('buffered sink: the lines of one event-loop turn reach the target in one write, in order', async () => {
  const writes: string[] = [];
  const sink = createBufferedSink({
    write: (s: string) => {
      writes.push(s);
      return true;
    },
  });
  const log = createLogger(sink, 'info').child({ requestId: 'R1' });
  log.info('one', { n: 1 });
  log.info('two', { n: 2 });
  log.error('three', { secretAccessKey: 'never' });
  assert.equal(writes.length, 0, 'nothing is written before the turn ends');
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(writes.length, 1);
  const lines = writes[0].split('\n');
  assert.equal(lines.pop(), '', 'the write ends with a newline');
  assert.deepEqual(
    lines.map((l) => (JSON.parse(l) as { msg: string }).msg),
    ['one', 'two', 'three'],
  );
  assert.ok(!writes[0].includes('never'));
  log.info('four');
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(writes.length, 2, 'a later turn writes again');
  assert.equal((JSON.parse(writes[1]) as { msg: string }).msg, 'four');
});

test('buffered sink: flush writes what it holds at once; 64 KiB held is written without waiting', () => {
  const writes: string[] = [];
  const sink = createBufferedSink({
    write: (s: string) => {
      writes.push(s);
      return true;
    },
  });
  sink.write('a\n');
  sink.write('b\n');
  sink.flush();
  assert.deepEqual(writes, ['a\nb\n']);
  sink.flush();
  assert.equal(writes.length, 1, 'an empty flush writes nothing');
  const line = 'x'.repeat(1023) + '\n';
  for (let i = 0; i < 64; i++) sink.write(line);
  assert.equal(writes.length, 2, '64 KiB held: written in the same turn');
  assert.equal(writes[1], line.repeat(64));
});
