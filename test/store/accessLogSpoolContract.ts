/**
 * Contract suite for the access-log spool (AccessLogSpoolRepo): append order, oldest first, delete
 * by sequence number, count. Every implementation (SQLite, PostgreSQL) registers it in
 * contracts.test.ts; each test gets a fresh store.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AccessLogRecordInput } from '../../src/domain/ports/AccessLogSpoolRepo.js';
import type { StoreFactory } from './controlPlaneContract.js';

const rec = (i: number, destination = 'dest-a', prefix = 'logs/'): AccessLogRecordInput => ({
  accountId: '123456789012',
  destination,
  prefix,
  line: `line ${i} with "quotes" and ünïcode`,
});

export function accessLogSpoolContract(name: string, make: StoreFactory): void {
  test(`${name} access-log spool: append keeps order, oldest first, delete by seq, count`, async () => {
    const store = await make();
    try {
      assert.equal(await store.read((tx) => tx.accessLogs.count()), 0);
      assert.deepEqual(await store.read((tx) => tx.accessLogs.oldest(10)), []);
      await store.transaction((tx) => tx.accessLogs.append([rec(1), rec(2, 'dest-b', ''), rec(3)]));
      await store.transaction((tx) => tx.accessLogs.append([]));
      await store.transaction((tx) => tx.accessLogs.append([rec(4), rec(5)]));
      assert.equal(await store.read((tx) => tx.accessLogs.count()), 5);

      const all = await store.read((tx) => tx.accessLogs.oldest(10));
      assert.deepEqual(
        all.map(({ accountId, destination, prefix, line }) => ({ accountId, destination, prefix, line })),
        [rec(1), rec(2, 'dest-b', ''), rec(3), rec(4), rec(5)],
      );
      for (let i = 1; i < all.length; i++) assert.ok(all[i].seq > all[i - 1].seq, 'seq grows in append order');
      const first2 = await store.read((tx) => tx.accessLogs.oldest(2));
      assert.deepEqual(
        first2.map((r) => r.seq),
        all.slice(0, 2).map((r) => r.seq),
      );

      // Deleting known and unknown seqs: only the known ones count.
      const gone = await store.transaction((tx) => tx.accessLogs.delete([all[0].seq, all[2].seq, all[4].seq + 1000]));
      assert.equal(gone, 2);
      assert.equal(await store.transaction((tx) => tx.accessLogs.delete([])), 0);
      const left = await store.read((tx) => tx.accessLogs.oldest(10));
      assert.deepEqual(
        left.map((r) => r.line),
        [rec(2).line, rec(4).line, rec(5).line],
      );
      assert.equal(await store.read((tx) => tx.accessLogs.count()), 3);

      // A rolled-back transaction leaves nothing behind.
      await assert.rejects(
        store.transaction(async (tx) => {
          await tx.accessLogs.append([rec(6)]);
          throw new Error('roll back');
        }),
        /roll back/,
      );
      assert.equal(await store.read((tx) => tx.accessLogs.count()), 3);

      // New records come after every earlier one, even after deletes.
      await store.transaction((tx) => tx.accessLogs.append([rec(7)]));
      const after = await store.read((tx) => tx.accessLogs.oldest(10));
      assert.equal(after.at(-1)!.line, rec(7).line);
      assert.ok(after.at(-1)!.seq > all[4].seq);
    } finally {
      await store.close();
    }
  });

  test(`${name} access-log spool: a large batch in one append`, async () => {
    const store = await make();
    try {
      const batch = Array.from({ length: 2500 }, (_, i) => rec(i, `dest-${i % 3}`));
      await store.transaction((tx) => tx.accessLogs.append(batch));
      assert.equal(await store.read((tx) => tx.accessLogs.count()), 2500);
      const oldest = await store.read((tx) => tx.accessLogs.oldest(3000));
      assert.deepEqual(
        oldest.map((r) => r.destination),
        batch.map((r) => r.destination),
      );
      await store.transaction((tx) => tx.accessLogs.delete(oldest.map((r) => r.seq)));
      assert.equal(await store.read((tx) => tx.accessLogs.count()), 0);
    } finally {
      await store.close();
    }
  });
}
