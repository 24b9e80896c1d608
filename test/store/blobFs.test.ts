import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { fanOut } from '../../src/store/blob/fs/blobPaths.js';
import { FsBlobStore } from '../../src/store/blob/fs/FsBlobStore.js';
import { ReadBufferPool } from '../../src/store/blob/fs/readBufferPool.js';
import { isRecycling } from '../../src/domain/ports/BlobStore.js';

describe('FsBlobStore specifics', () => {
  it('writes a batch of many small chunks (more than IOV_MAX) whole and in order', async () => {
    const root = await mkdtemp(join(tmpdir(), 'sb-blob-'));
    try {
      const s = new FsBlobStore({ root, highWaterMark: 1 << 20 });
      const chunks = Array.from({ length: 3000 }, (_, i) => Buffer.from(`${i},`));
      const { blobId, size } = await s.put(Readable.from(chunks));
      const whole = Buffer.concat(chunks);
      assert.equal(size, whole.length);
      const got: Buffer[] = [];
      for await (const c of s.get(blobId)) got.push(c as Buffer);
      assert.deepEqual(Buffer.concat(got), whole);
      await s.close();
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('fans blobs out by id, never by anything else, and keeps tmp empty', async () => {
    const root = await mkdtemp(join(tmpdir(), 'sb-blob-'));
    try {
      const s = new FsBlobStore({ root });
      const { blobId } = await s.put(Readable.from([Buffer.from('x')]));
      assert.deepEqual(await readdir(join(root, 'blobs', ...fanOut(blobId))), [blobId]);
      assert.deepEqual(await readdir(join(root, 'tmp')), []);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('refuses ids that are not blob ids (no path traversal)', async () => {
    const root = await mkdtemp(join(tmpdir(), 'sb-blob-'));
    try {
      const s = new FsBlobStore({ root });
      assert.throws(() => s.get('../../etc/passwd'), /not a blob id/);
      await assert.rejects(s.delete(['../x']), /not a blob id/);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('deletes many blobs concurrently; one that cannot be removed does not stop the others', async () => {
    const root = await mkdtemp(join(tmpdir(), 'sb-blob-'));
    try {
      const s = new FsBlobStore({ root, fsync: false });
      const ids: string[] = [];
      for (let i = 0; i < 40; i++) ids.push((await s.put(Readable.from([Buffer.from(`blob ${i}`)]))).blobId);
      // A directory where a blob file was: unlink fails (EISDIR) for that one id.
      const stuck = ids[7];
      const stuckPath = join(root, 'blobs', ...fanOut(stuck), stuck);
      await rm(stuckPath);
      await mkdir(stuckPath);
      const unknown = (await s.put(Readable.from([Buffer.from('gone')]))).blobId;
      await s.delete([unknown]);
      await assert.rejects(
        s.delete([unknown, ...ids]),
        (err: NodeJS.ErrnoException) => err.code === 'EISDIR' || err.code === 'EPERM',
      );
      for (const id of ids) {
        const left = await readdir(join(root, 'blobs', ...fanOut(id)));
        assert.equal(left.includes(id), id === stuck, `blob ${id} after delete: ${left.join(', ')}`);
      }
      await rm(stuckPath, { recursive: true });
      await s.close();
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('removes stale temporary files only past their age', async () => {
    const root = await mkdtemp(join(tmpdir(), 'sb-blob-'));
    try {
      const s = new FsBlobStore({ root });
      await writeFile(join(root, 'tmp', 'old'), 'crash leftover');
      await writeFile(join(root, 'tmp', 'new'), 'in flight');
      const hourAgo = new Date(Date.now() - 3600_000);
      await utimes(join(root, 'tmp', 'old'), hourAgo, hourAgo);
      assert.equal(await s.removeStaleTemp(600_000), 1);
      assert.deepEqual(await readdir(join(root, 'tmp')), ['new']);
      assert.equal(await s.removeStaleTemp(0), 1);
      assert.deepEqual(await readdir(join(root, 'tmp')), []);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it("with a node id, also removes another node's temporary files once they are old, and never its directory", async () => {
    const root = await mkdtemp(join(tmpdir(), 'sb-blob-'));
    try {
      const dead = new FsBlobStore({ root, nodeId: 'node-b' });
      await dead.close();
      const s = new FsBlobStore({ root, nodeId: 'node-a' });
      await writeFile(join(root, 'tmp', 'node-b', 'old'), 'left by a node that died');
      await writeFile(join(root, 'tmp', 'node-b', 'young'), 'maybe still being written');
      await writeFile(join(root, 'tmp', 'node-a', 'mine'), 'own leftover');
      const hourAgo = new Date(Date.now() - 3600_000);
      await utimes(join(root, 'tmp', 'node-b', 'old'), hourAgo, hourAgo);
      // Start-up (grace 0) clears this node's own files at once, another node's only once they are old.
      assert.equal(await s.removeStaleTemp(0), 2);
      assert.deepEqual(await readdir(join(root, 'tmp', 'node-a')), []);
      assert.deepEqual(await readdir(join(root, 'tmp', 'node-b')), ['young']);
      assert.deepEqual((await readdir(join(root, 'tmp'))).sort(), ['node-a', 'node-b']);
      await s.close();
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('reads in pieces of the buffer size, reuses a released buffer, and ranges across pieces stay exact', async () => {
    const root = await mkdtemp(join(tmpdir(), 'sb-blob-'));
    try {
      const s = new FsBlobStore({ root, highWaterMark: 64 * 1024 });
      const body = Buffer.alloc(200 * 1024);
      for (let i = 0; i < body.length; i++) body[i] = (i * 7) & 0xff;
      const { blobId } = await s.put(Readable.from([body]));
      const first = s.get(blobId);
      assert.ok(isRecycling(first));
      const chunks: Buffer[] = [];
      for await (const c of first) chunks.push(Buffer.from(c as Buffer)); // copies: the originals go back
      assert.deepEqual(
        chunks.map((c) => c.length),
        [65536, 65536, 65536, 8192],
      );
      assert.deepEqual(Buffer.concat(chunks), body);
      // A released chunk's memory serves the next read; its bytes are the new blob range's.
      const a = s.get(blobId, { start: 1000, end: 1000 + 65535 });
      const [chunkA] = (await a.toArray()) as Buffer[];
      assert.deepEqual(chunkA, body.subarray(1000, 1000 + 65536));
      (a as typeof first).release(chunkA);
      const b = s.get(blobId, { start: 70000, end: 200 * 1024 - 1 });
      const got = (await b.toArray()) as Buffer[];
      assert.equal(got[0].buffer, chunkA.buffer);
      assert.deepEqual(Buffer.concat(got), body.subarray(70000));
      await s.close();
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('fails a read (instead of ending short) when the blob file is shorter than the range', async () => {
    const root = await mkdtemp(join(tmpdir(), 'sb-blob-'));
    try {
      const s = new FsBlobStore({ root });
      const { blobId } = await s.put(Readable.from([Buffer.alloc(100, 1)]));
      await assert.rejects(s.get(blobId, { start: 0, end: 199 }).toArray(), /ended at byte 100, before byte 200/);
      await s.close();
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});

describe('FsBlobStore put: sources that stop early', () => {
  it('rejects (never hangs) on a source closed without an error or destroyed before put, and leaves nothing', async () => {
    const root = await mkdtemp(join(tmpdir(), 'sb-blob-'));
    try {
      const s = new FsBlobStore({ root, highWaterMark: 64 * 1024 });
      // Closed (no error) as soon as put has taken what was pushed and asks for more.
      const closing = new Readable({
        read() {
          this.destroy();
        },
      });
      closing.push(Buffer.alloc(100 * 1024, 1));
      await assert.rejects(s.put(closing), { code: 'ERR_STREAM_PREMATURE_CLOSE' });
      const dead = new Readable({
        read() {
          /* never */
        },
      });
      dead.on('error', () => undefined);
      dead.destroy(new Error('client went away'));
      await new Promise((r) => setImmediate(r));
      await assert.rejects(s.put(dead), /client went away/);
      assert.deepEqual(await readdir(join(root, 'tmp')), []);
      assert.deepEqual(await readdir(join(root, 'blobs')), []);
      await s.close();
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});

describe('ReadBufferPool', () => {
  it('hands a released buffer out again, ignores foreign and repeated releases, keeps at most maxFree', () => {
    const pool = new ReadBufferPool(1024, 1);
    const a = pool.take();
    const b = pool.take();
    assert.equal(a.length, 1024);
    assert.notEqual(a.buffer, b.buffer);
    pool.release(Buffer.alloc(1024)); // never lent: ignored
    pool.release(a.subarray(10, 20)); // a view of a lent buffer returns the whole buffer
    pool.release(a); // already back: ignored
    pool.release(b); // the pool is full (maxFree 1): dropped
    const c = pool.take();
    assert.equal(c.buffer, a.buffer);
    assert.equal(c.length, 1024);
    assert.notEqual(pool.take().buffer, b.buffer);
  });
});
