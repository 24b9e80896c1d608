import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { fanOut } from '../../src/store/blob/fs/blobPaths.js';
import { FsBlobStore } from '../../src/store/blob/fs/FsBlobStore.js';
import { blobStoreContract } from './blobContract.js';

blobStoreContract('FsBlobStore', async () => {
  const root = await mkdtemp(join(tmpdir(), 'sb-blob-'));
  return { store: new FsBlobStore({ root }), cleanup: () => rm(root, { recursive: true, force: true }) };
});

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
      const stuck = ids[7]!;
      const stuckPath = join(root, 'blobs', ...fanOut(stuck), stuck);
      await rm(stuckPath);
      await mkdir(stuckPath);
      const unknown = (await s.put(Readable.from([Buffer.from('gone')]))).blobId;
      await s.delete([unknown]);
      await assert.rejects(s.delete([unknown, ...ids]), (err: NodeJS.ErrnoException) => err.code === 'EISDIR' || err.code === 'EPERM');
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
});
