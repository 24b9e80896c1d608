/** DeletionHold: while held, blob deletions wait; the last release performs them; the blobs stay readable meanwhile. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { DeletionHold } from '../../src/store/blob/deletionHold.js';
import { FsBlobStore } from '../../src/store/blob/fs/FsBlobStore.js';

const readAll = async (r: Readable) => {
  const chunks: Buffer[] = [];
  for await (const c of r) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString();
};

test('deletions wait for the last hold, then happen; without a hold they happen at once', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-hold-'));
  const blobs = new DeletionHold(new FsBlobStore({ root: dir }));
  try {
    const a = (await blobs.put(Readable.from([Buffer.from('aaa')]))).blobId;
    const b = (await blobs.put(Readable.from([Buffer.from('bbb')]))).blobId;
    const c = (await blobs.put(Readable.from([Buffer.from('ccc')]))).blobId;
    const first = blobs.hold();
    const second = blobs.hold();
    await blobs.delete([a, b]);
    assert.equal(await readAll(blobs.get(a)), 'aaa', 'held: still readable');
    assert.deepEqual(await first(), { deleted: 0, leftToSweep: 0 }, 'another hold is still active');
    assert.deepEqual(await first(), { deleted: 0, leftToSweep: 0 }, 'a second release of the same hold is a no-op');
    assert.equal(await readAll(blobs.get(b)), 'bbb');
    assert.deepEqual(await second(), { deleted: 2, leftToSweep: 0 });
    await assert.rejects(readAll(blobs.get(a)), /ENOENT/);
    await assert.rejects(readAll(blobs.get(b)), /ENOENT/);
    await blobs.delete([c]);
    await assert.rejects(readAll(blobs.get(c)), /ENOENT/, 'no hold: deleted at once');
  } finally {
    await blobs.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
