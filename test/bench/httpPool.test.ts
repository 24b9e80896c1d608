/**
 * The bench's keep-alive pool: a request that meets the server's close of an idle kept-alive socket
 * (no answer, reused socket) is sent once more; a failure on a fresh socket is not.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHttpPool } from '../../bench/httpPool.js';

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

test('a request cut off on a reused socket is retried once on a new one', async () => {
  // The second request on each connection is dropped without an answer, like a server closing an
  // idle keep-alive socket just as the client reuses it.
  const seen = new WeakMap<object, number>();
  let requests = 0;
  const server = createServer((req, res) => {
    requests++;
    const n = (seen.get(req.socket) ?? 0) + 1;
    seen.set(req.socket, n);
    if (n === 2) {
      req.socket.destroy();
      return;
    }
    req.resume();
    req.on('end', () => res.end(`ok ${req.method} ${req.url}`));
  });
  const port = await listen(server);
  const pool = createHttpPool({ host: '127.0.0.1', port, maxSockets: 1, timeoutMs: 5000 });
  try {
    const first = await pool.send({
      method: 'PUT',
      url: '/a',
      headers: {},
      body: Buffer.from('one'),
      keepBodyBytes: 100,
    });
    assert.equal(first.body.toString(), 'ok PUT /a');
    const second = await pool.send({
      method: 'PUT',
      url: '/b',
      headers: {},
      body: Buffer.from('two'),
      keepBodyBytes: 100,
    });
    assert.equal(second.body.toString(), 'ok PUT /b');
    assert.equal(requests, 3, 'the dropped request was sent again, once');
  } finally {
    pool.close();
    server.close();
  }
});

test('a request cut off on a fresh socket is not retried', async () => {
  let requests = 0;
  const server = createServer((req) => {
    requests++;
    req.socket.destroy();
  });
  const port = await listen(server);
  const pool = createHttpPool({ host: '127.0.0.1', port, maxSockets: 1, timeoutMs: 5000 });
  try {
    await assert.rejects(pool.send({ method: 'GET', url: '/x', headers: {} }), /socket hang up|ECONNRESET/);
    assert.equal(requests, 1);
  } finally {
    pool.close();
    server.close();
  }
});
