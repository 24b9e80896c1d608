/**
 * Group commit of SqliteMetadataStore: one COMMIT for a batch of concurrent transactions, each in
 * its own savepoint; callers answered only after the COMMIT; reads never see a batch in progress;
 * nothing acknowledged is lost when the process is killed.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { GroupCommitter, MAX_BATCH_JOBS } from '../../src/store/metadata/sqlite/groupCommit.js';
import { SqliteMetadataStore } from '../../src/store/metadata/sqlite/SqliteMetadataStore.js';
import { bucketFixture } from './controlPlaneContract.js';

const dir = mkdtempSync(join(tmpdir(), 'sb-gc-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const newPath = () => join(dir, `meta-${++n}.db`);

/** A raw database whose COMMIT statements are counted. */
function countingDb(path: string): { db: Database.Database; commits: () => number } {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.exec(
    'CREATE TABLE parent (id INTEGER PRIMARY KEY); CREATE TABLE child (id INTEGER PRIMARY KEY, p INTEGER NOT NULL REFERENCES parent (id))',
  );
  let commits = 0;
  const exec = db.exec.bind(db);
  db.exec = (sql: string) => {
    if (sql === 'COMMIT') commits++;
    return exec(sql);
  };
  return { db, commits: () => commits };
}

test('group commit: concurrent transactions share one COMMIT, bounded at MAX_BATCH_JOBS jobs', async () => {
  const { db, commits } = countingDb(newPath());
  try {
    const gc = new GroupCommitter(db, db);
    const total = 2 * MAX_BATCH_JOBS + 10;
    const ids = await Promise.all(
      Array.from({ length: total }, (_, i) =>
        gc.write(async (d) => {
          d.prepare('INSERT INTO parent (id) VALUES (?)').run(i + 1);
          return i + 1;
        }),
      ),
    );
    assert.deepEqual(
      ids,
      Array.from({ length: total }, (_, i) => i + 1),
    );
    assert.equal(commits(), 3, `${total} jobs queued at once take 3 batches of at most ${MAX_BATCH_JOBS}`);
    assert.equal(db.prepare('SELECT count(*) FROM parent').pluck().get(), total);
  } finally {
    db.close();
  }
});

test('group commit: a job that throws rolls back only its own work and rejects only its caller', async () => {
  const { db, commits } = countingDb(newPath());
  try {
    const gc = new GroupCommitter(db, db);
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) =>
        gc.write(async (d) => {
          d.prepare('INSERT INTO parent (id) VALUES (?)').run(i + 1);
          if (i === 4) throw new Error('job 4 fails after its insert');
          if (i === 6) d.prepare('INSERT INTO parent (id) VALUES (?)').run(1); // UNIQUE violation: the statement fails
          return i;
        }),
      ),
    );
    assert.equal(commits(), 1);
    const failed = results.flatMap((r, i) => (r.status === 'rejected' ? [i] : []));
    assert.deepEqual(failed, [4, 6]);
    assert.match(String((results[4] as PromiseRejectedResult).reason), /job 4 fails/);
    assert.match(String((results[6] as PromiseRejectedResult).reason), /UNIQUE/);
    const rows = db.prepare('SELECT id FROM parent ORDER BY id').pluck().all();
    assert.deepEqual(
      rows,
      [1, 2, 3, 4, 6, 8, 9, 10],
      'jobs 4 and 6 (ids 5 and 7) left nothing; the others all committed',
    );
  } finally {
    db.close();
  }
});

test('group commit: a failing COMMIT rejects every job of the batch and keeps nothing', async () => {
  const { db } = countingDb(newPath());
  try {
    const gc = new GroupCommitter(db, db);
    const results = await Promise.allSettled([
      gc.write(async (d) => d.prepare('INSERT INTO parent (id) VALUES (1)').run()),
      // A deferred foreign-key violation is only detected by the COMMIT.
      gc.write(async (d) => {
        d.pragma('defer_foreign_keys = ON');
        d.prepare('INSERT INTO child (id, p) VALUES (1, 999)').run();
      }),
      gc.write(async (d) => d.prepare('INSERT INTO parent (id) VALUES (2)').run()),
    ]);
    assert.deepEqual(
      results.map((r) => r.status),
      ['rejected', 'rejected', 'rejected'],
    );
    for (const r of results) assert.match(String((r as PromiseRejectedResult).reason), /FOREIGN KEY/);
    assert.equal(db.inTransaction, false);
    assert.equal(db.prepare('SELECT count(*) FROM parent').pluck().get(), 0);
    // The committer keeps working after the failure.
    await gc.write(async (d) => d.prepare('INSERT INTO parent (id) VALUES (3)').run());
    assert.equal(db.prepare('SELECT count(*) FROM parent').pluck().get(), 1);
  } finally {
    db.close();
  }
});

/** Turns of the event loop until `cond` holds; fails after `max` turns (never an endless wait). */
async function until(cond: () => boolean, what: string, max = 2000): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (cond()) return;
    await new Promise((r) => setImmediate(r));
  }
  assert.fail(`still waiting for ${what} after ${max} event-loop turns`);
}

test('group commit: with afterCommit (the WAL fsync) callers wait for it, a failure rejects them, writes queued meanwhile share the next batch', async () => {
  const { db, commits } = countingDb(newPath());
  try {
    const syncs: { resolve: () => void; reject: (e: Error) => void }[] = [];
    const gc = new GroupCommitter(
      db,
      db,
      () => new Promise<void>((resolve, reject) => syncs.push({ resolve, reject })),
    );
    let answered = 0;
    const first = gc
      .write(async (d) => d.prepare('INSERT INTO parent (id) VALUES (1)').run())
      .then(() => {
        answered++;
      });
    await until(() => syncs.length === 1, 'the first sync');
    // The first batch committed and waits for its sync; writes queued meanwhile wait for it too.
    const second = gc
      .write(async (d) => d.prepare('INSERT INTO parent (id) VALUES (2)').run())
      .then(() => {
        answered++;
      });
    const third = gc
      .write(async (d) => d.prepare('INSERT INTO parent (id) VALUES (3)').run())
      .then(() => {
        answered++;
      });
    for (let i = 0; i < 50; i++) await new Promise((r) => setImmediate(r));
    assert.equal(commits(), 1, 'no batch commits while an fsync is in flight');
    assert.equal(answered, 0, 'a caller was answered before its commit was durable');
    syncs[0].resolve();
    await first;
    assert.equal(answered, 1);
    await until(() => syncs.length === 2, 'the second sync');
    assert.equal(commits(), 2, 'the two writes queued during the first fsync share one COMMIT');
    syncs[1].reject(new Error('EIO: fsync failed'));
    await assert.rejects(second, /could not be made durable.*EIO/);
    await assert.rejects(third, /could not be made durable.*EIO/);
    assert.equal(answered, 1);
    // A full batch does not wait for the fsync in flight.
    const fourth = gc.write(async (d) => d.prepare('INSERT INTO parent (id) VALUES (4)').run());
    await until(() => syncs.length === 3, 'the third sync');
    const full = Array.from({ length: MAX_BATCH_JOBS }, (_, i) =>
      gc.write(async (d) => d.prepare('INSERT INTO parent (id) VALUES (?)').run(100 + i)),
    );
    await until(() => syncs.length === 4, 'a full batch committing during an fsync');
    assert.equal(commits(), 4);
    syncs[2].resolve();
    syncs[3].resolve();
    await Promise.all([fourth, ...full]);
    await gc.drain();
  } finally {
    db.close();
  }
});

test('group commit: callers are answered only after COMMIT; reads never see a batch in progress', async () => {
  const path = newPath();
  const store = new SqliteMetadataStore({ path });
  const probe = new Database(path, { readonly: true });
  try {
    const first = bucketFixture();
    const second = bucketFixture();
    const seenInsideBatch: { byProbe?: unknown; byRead?: unknown } = {};
    let firstAnswered = false;
    const p1 = store
      .transaction((tx) => tx.control.insertBucket(first))
      .then(() => {
        firstAnswered = true;
        // Once answered, an independent connection sees the bucket: it was committed before the answer.
        return probe.prepare('SELECT name FROM buckets WHERE id = ?').pluck().get(first.id);
      });
    const p2 = store.transaction(async (tx) => {
      await tx.control.insertBucket(second);
      // Same batch: the first job's bucket is written but not committed, and its caller not answered.
      assert.equal(firstAnswered, false, 'the first caller was answered before the batch committed');
      seenInsideBatch.byProbe = probe.prepare('SELECT name FROM buckets WHERE id = ?').pluck().get(first.id);
      seenInsideBatch.byRead = await store.read((r) => r.control.getBucketById(first.id));
    });
    const [visibleAfter] = await Promise.all([p1, p2]);
    assert.equal(seenInsideBatch.byProbe, undefined, 'another connection saw uncommitted data');
    assert.equal(seenInsideBatch.byRead, undefined, 'store.read() saw uncommitted data of another caller');
    assert.equal(visibleAfter, first.name);
    assert.deepEqual(await store.read((r) => r.control.getBucketById(second.id)), second);
  } finally {
    probe.close();
    await store.close();
  }
});

test('reads: one snapshot per read, overlapping reads run one after another, a failed read frees the connection', async () => {
  const store = new SqliteMetadataStore({ path: newPath() });
  try {
    const first = bucketFixture();
    const second = bucketFixture();
    await store.transaction((tx) => tx.control.insertBucket(first));
    const order: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    // A starts at once (idle connection) and keeps its transaction open across an await.
    const a = store.read(async (r) => {
      order.push('a:start');
      const before = await r.control.getBucketById(second.id);
      await gate;
      const after = await r.control.getBucketById(second.id);
      order.push('a:end');
      return { before, after };
    });
    const b = store.read(async (r) => {
      order.push('b');
      return r.control.getBucketById(first.id);
    });
    const failing = store.read(async () => {
      order.push('c');
      throw new Error('read failed');
    });
    await store.transaction((tx) => tx.control.insertBucket(second));
    release();
    const seenByA = await a;
    assert.equal(seenByA.before, undefined);
    assert.equal(seenByA.after, undefined, 'a read saw a commit made while it was open');
    assert.deepEqual(await b, first);
    await assert.rejects(failing, /read failed/);
    assert.deepEqual(order, ['a:start', 'a:end', 'b', 'c']);
    // The connection is free again: a new read starts a new snapshot that sees the commit.
    assert.deepEqual(await store.read((r) => r.control.getBucketById(second.id)), second);
  } finally {
    await store.close();
  }
});

test('group commit: kill -9 of a process that acknowledged writes loses none of them', async () => {
  const path = newPath();
  const child = spawn(
    process.execPath,
    [fileURLToPath(new URL('./groupCommitCrashChild.js', import.meta.url)), path, '20000'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const acked: string[] = [];
  let buffered = '';
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`child acknowledged only ${acked.length} writes in 20 s: ${stderr}`)),
      20_000,
    );
    child.stdout.on('data', (c: Buffer) => {
      buffered += c.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const l of lines) if (l.startsWith('ack ')) acked.push(l.slice(4));
      if (acked.length >= 300) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on('exit', (code) => {
      if (acked.length < 300) {
        clearTimeout(timer);
        reject(new Error(`child exited (${code}) early: ${stderr}`));
      }
    });
  });
  child.kill('SIGKILL');
  await exited;
  // Lines the child wrote before it died are acknowledgements too.
  for (const l of buffered.split('\n')) if (l.startsWith('ack ')) acked.push(l.slice(4));
  const store = new SqliteMetadataStore({ path });
  try {
    const missing: string[] = [];
    for (const name of acked) if (!(await store.read((tx) => tx.control.getBucketByName(name)))) missing.push(name);
    assert.deepEqual(missing, [], `${missing.length} of ${acked.length} acknowledged writes were lost`);
  } finally {
    await store.close();
  }
});
