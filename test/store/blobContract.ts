import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { BlobTooLarge, type BlobStore } from '../../src/domain/ports/BlobStore.js';

export interface BlobStoreFixture {
  store: BlobStore;
  cleanup(): Promise<void>;
}

/** Reads a stream whole (test bodies are small). */
export async function readAll(r: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of r) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

/** A source that yields `total` bytes in fresh `chunk`-sized buffers, filled from a counter. */
export function patternSource(total: number, chunk = 64 * 1024): Readable {
  async function* gen() {
    for (let sent = 0; sent < total; sent += chunk) {
      const n = Math.min(chunk, total - sent);
      const b = Buffer.allocUnsafe(n);
      for (let i = 0; i < n; i += 4096) b[i] = (sent + i) & 0xff;
      yield b;
    }
  }
  return Readable.from(gen(), { objectMode: false });
}

/** A source that sends `before` bytes, then fails the way a verifier does. */
export function failingSource(before: number, message = 'signature mismatch'): Readable {
  async function* gen() {
    yield Buffer.alloc(before, 7);
    await new Promise((r) => setImmediate(r));
    throw new Error(message);
  }
  return Readable.from(gen(), { objectMode: false });
}

async function listIds(store: BlobStore): Promise<string[]> {
  const ids: string[] = [];
  for await (const b of store.list()) ids.push(b.blobId);
  return ids.sort();
}

/** The contract every BlobStore passes. `make` builds an empty store. */
export function blobStoreContract(name: string, make: () => Promise<BlobStoreFixture>): void {
  const withStore = (fn: (s: BlobStore) => Promise<void>) => async () => {
    const f = await make();
    try {
      await fn(f.store);
    } finally {
      await f.store.close();
      await f.cleanup();
    }
  };

  describe(`BlobStore contract: ${name}`, () => {
    it(
      'stores and reads back a body, with size and md5',
      withStore(async (s) => {
        const body = Buffer.from('hello, blob store');
        const r = await s.put(Readable.from([body]), { md5: true });
        assert.equal(r.size, body.length);
        assert.equal(r.md5?.toString('hex'), createHash('md5').update(body).digest('hex'));
        assert.deepEqual(await readAll(s.get(r.blobId)), body);
        assert.deepEqual(await listIds(s), [r.blobId]);
      }),
    );

    it(
      'stores an empty body',
      withStore(async (s) => {
        const r = await s.put(Readable.from([]), { md5: true });
        assert.equal(r.size, 0);
        assert.equal(r.md5?.toString('hex'), 'd41d8cd98f00b204e9800998ecf8427e');
        assert.equal((await readAll(s.get(r.blobId))).length, 0);
      }),
    );

    it(
      'reads inclusive byte ranges',
      withStore(async (s) => {
        const body = Buffer.from('0123456789abcdef');
        const { blobId } = await s.put(Readable.from([body]));
        assert.equal((await readAll(s.get(blobId, { start: 3, end: 7 }))).toString(), '34567');
        assert.equal((await readAll(s.get(blobId, { start: 0, end: 0 }))).toString(), '0');
        assert.equal((await readAll(s.get(blobId, { start: 15, end: 15 }))).toString(), 'f');
      }),
    );

    it(
      'a failing source rejects with its error and leaves no blob',
      withStore(async (s) => {
        await assert.rejects(s.put(failingSource(100_000, 'payload hash mismatch')), /payload hash mismatch/);
        assert.deepEqual(await listIds(s), []);
        assert.equal(await s.removeStaleTemp(0), 0, 'no temporary file may be left behind');
      }),
    );

    it(
      'refuses a body over maxBytes and leaves nothing',
      withStore(async (s) => {
        await assert.rejects(
          s.put(patternSource(300_000), { maxBytes: 200_000 }),
          (e: unknown) => e instanceof BlobTooLarge && e.maxBytes === 200_000,
        );
        assert.deepEqual(await listIds(s), []);
        assert.equal(await s.removeStaleTemp(0), 0);
      }),
    );

    it(
      'concurrent puts get distinct ids and keep their own bytes',
      withStore(async (s) => {
        const bodies = Array.from({ length: 16 }, (_, i) => Buffer.alloc(10_000 + i * 1000, i + 1));
        const results = await Promise.all(
          bodies.map((b) => s.put(Readable.from([b.subarray(0, 5000), b.subarray(5000)]))),
        );
        assert.equal(new Set(results.map((r) => r.blobId)).size, bodies.length);
        for (let i = 0; i < bodies.length; i++) {
          assert.deepEqual(await readAll(s.get(results[i].blobId)), bodies[i], `body ${i}`);
        }
      }),
    );

    it(
      'delete is idempotent and ignores unknown ids',
      withStore(async (s) => {
        const a = await s.put(Readable.from([Buffer.from('a')]));
        const b = await s.put(Readable.from([Buffer.from('b')]));
        await s.delete([a.blobId]);
        await s.delete([a.blobId]);
        assert.deepEqual(await listIds(s), [b.blobId]);
        await assert.rejects(readAll(s.get(a.blobId)));
        assert.equal((await readAll(s.get(b.blobId))).toString(), 'b');
      }),
    );

    it(
      'lists blobs with modification times',
      withStore(async (s) => {
        const before = Date.now() - 5000;
        const r = await s.put(Readable.from([Buffer.from('x')]));
        const listed: { blobId: string; mtimeMs: number }[] = [];
        for await (const b of s.list()) listed.push(b);
        assert.equal(listed.length, 1);
        assert.equal(listed[0].blobId, r.blobId);
        assert.ok(listed[0].mtimeMs >= before, `mtime ${listed[0].mtimeMs} is before ${before}`);
      }),
    );

    it(
      'streams a large body with bounded memory',
      withStore(async (s) => {
        const total = 160 * 1024 * 1024;
        const base = process.memoryUsage().arrayBuffers;
        let peak = 0;
        const timer = setInterval(() => {
          peak = Math.max(peak, process.memoryUsage().arrayBuffers - base);
        }, 5);
        try {
          const r = await s.put(patternSource(total), { md5: true });
          assert.equal(r.size, total);
          let read = 0;
          for await (const c of s.get(r.blobId, { start: 1024, end: total - 1 })) read += (c as Buffer).length;
          assert.equal(read, total - 1024);
        } finally {
          clearInterval(timer);
        }
        assert.ok(peak < 64 * 1024 * 1024, `external memory grew by ${peak} bytes for a ${total}-byte body`);
      }),
    );
  });
}
