import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { FsBlobStore } from '../../src/store/blob/fs/FsBlobStore.js';
import { openSegments } from '../../src/domain/objects/body.js';

async function collect(r: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of r) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

test('a range that ends before the last segment reads only the segments it covers', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-seg-'));
  const blobs = new FsBlobStore({ root: dir, fsync: false });
  try {
    const parts = [Buffer.alloc(10, 'a'), Buffer.alloc(10, 'b'), Buffer.alloc(5, 'c')];
    const segments = [];
    for (const [i, p] of parts.entries()) {
      const { blobId, size } = await blobs.put(Readable.from([p]));
      segments.push({ blobId, offset: 0, length: size, partNumber: i + 1 });
    }
    const whole = Buffer.concat(parts);
    for (const [start, end] of [
      [0, 9],
      [0, 4],
      [5, 14],
      [10, 19],
      [20, 24],
      [0, 24],
      [9, 20],
    ] as const) {
      const got = await collect(openSegments(blobs, segments, whole.length, { start, end }));
      assert.deepEqual(got, whole.subarray(start, end + 1), `range ${start}-${end}`);
    }
  } finally {
    await blobs.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
