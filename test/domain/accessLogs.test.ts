/**
 * The access-log spooler (memory → spool every second, bounded, one warning per minute with a
 * count) and delivery (one log object per destination and prefix, written through the object
 * service; missing destinations dropped with a warning; failed writes keep their records).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AccessLogSpooler } from '../../src/domain/accessLogs/spooler.js';
import { AccessLogDelivery, logObjectKey } from '../../src/domain/accessLogs/delivery.js';
import type { AccessLogRecordInput } from '../../src/domain/ports/AccessLogSpoolRepo.js';
import type { Logger } from '../../src/log.js';
import { objectsFixture, text } from './objectsFixture.js';

interface Logged {
  level: string;
  msg: string;
  fields: Record<string, unknown>;
}

function captureLog(): { log: Logger; lines: Logged[] } {
  const lines: Logged[] = [];
  const at =
    (level: string) =>
    (msg: string, fields: Record<string, unknown> = {}) =>
      lines.push({ level, msg, fields });
  const log: Logger = {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: () => log,
  };
  return { log, lines };
}

const OWNER = '123456789012';
const rec = (line: string, destination: string, prefix = 'logs/', accountId = OWNER): AccessLogRecordInput => ({
  accountId,
  destination,
  prefix,
  line,
});

test('spooler: appends what it holds; over the cap new records are dropped, one warning a minute with the count', async () => {
  const f = await objectsFixture();
  try {
    const { log, lines } = captureLog();
    const now = { ms: 1_000_000 };
    const spool = new AccessLogSpooler({ store: f.store, log, clock: () => now.ms, maxSpooled: 3 });
    for (let i = 1; i <= 5; i++) spool.add(rec(`r${i}`, 'd'));
    await spool.flush();
    const kept = await f.store.read((tx) => tx.accessLogs.oldest(10));
    assert.deepEqual(
      kept.map((r) => r.line),
      ['r1', 'r2', 'r3'],
      'the oldest records are kept, the newest dropped',
    );
    const warnings = () => lines.filter((l) => l.msg === 'access-log records dropped');
    assert.equal(warnings().length, 1);
    assert.equal(warnings()[0].fields.dropped, 2);
    assert.match(String(warnings()[0].fields.reason), /limit of 3 records/);

    spool.add(rec('r6', 'd'));
    await spool.flush();
    assert.equal(warnings().length, 1, 'no second warning within a minute');
    now.ms += 61_000;
    spool.add(rec('r7', 'd'));
    await spool.flush();
    assert.equal(warnings().length, 2);
    assert.equal(warnings()[1].fields.dropped, 2, 'the count since the last warning');
    assert.equal(await f.store.read((tx) => tx.accessLogs.count()), 3);
  } finally {
    await f.cleanup();
  }
});

test('spooler: stop() waits for records still being looked up and appends them', async () => {
  const f = await objectsFixture();
  try {
    const { log } = captureLog();
    const spool = new AccessLogSpooler({ store: f.store, log, clock: () => 0 });
    spool.start();
    let release!: () => void;
    const later = new Promise<AccessLogRecordInput>((resolve) => {
      release = () => resolve(rec('late', 'd'));
    });
    spool.add(rec('early', 'd'));
    spool.addLater(later);
    spool.addLater(Promise.resolve(undefined));
    const stopped = spool.stop();
    setTimeout(release, 50);
    await stopped;
    const lines = (await f.store.read((tx) => tx.accessLogs.oldest(10))).map((r) => r.line);
    assert.deepEqual(lines, ['early', 'late']);
  } finally {
    await f.cleanup();
  }
});

test('delivery: one object per destination and prefix, lines in order; missing or foreign destinations dropped with a warning', async () => {
  const f = await objectsFixture();
  try {
    const { log, lines } = captureLog();
    const dest = 'name-bucket-1';
    await f.store.transaction((tx) =>
      tx.accessLogs.append([
        rec('a1', dest),
        rec('gone1', 'no-such-bucket'),
        rec('b1', dest, 'other/'),
        rec('a2', dest),
        rec('foreign', dest, 'logs/', '999999999999'),
        rec('gone2', 'no-such-bucket'),
      ]),
    );
    const delivery = new AccessLogDelivery({
      store: f.store,
      objects: f.objects,
      log,
      clock: () => f.now.ms,
      intervalMs: 1000,
    });
    assert.equal(await delivery.deliver(), 2);
    assert.equal(await f.store.read((tx) => tx.accessLogs.count()), 0, 'the spool is empty');
    const listed = await f.objects.listObjectsV2(f.bucket, { maxKeys: 10 });
    const keys = listed.contents.map((o) => o.key);
    assert.equal(keys.length, 2);
    const logsKey = keys.find((k) => k.startsWith('logs/'))!;
    const otherKey = keys.find((k) => k.startsWith('other/'))!;
    assert.match(logsKey, /^logs\/2025-06-15-15-06-40-[0-9A-F]{16}$/);
    assert.equal(await text((await f.objects.getObject(f.bucket, logsKey)).open()), 'a1\na2\n');
    assert.equal(await text((await f.objects.getObject(f.bucket, otherKey)).open()), 'b1\n');
    const dropped = lines.filter((l) => l.msg === 'access-log destination bucket missing: records dropped');
    assert.deepEqual(
      dropped.map((l) => [l.fields.destination, l.fields.records]),
      [
        ['no-such-bucket', 2],
        [dest, 1],
      ],
    );
    assert.equal(await delivery.deliver(), 0, 'nothing left to deliver');
  } finally {
    await f.cleanup();
  }
});

test('delivery: a write that fails keeps its records for the next interval', async () => {
  const f = await objectsFixture();
  try {
    const { log, lines } = captureLog();
    await f.store.transaction((tx) => tx.accessLogs.append([rec('x', 'name-bucket-1')]));
    let fail = true;
    const objects = {
      putObject: (...args: Parameters<typeof f.objects.putObject>) => {
        if (fail) return Promise.reject(new Error('disk full'));
        return f.objects.putObject(...args);
      },
    };
    const delivery = new AccessLogDelivery({ store: f.store, objects, log, clock: () => f.now.ms, intervalMs: 1000 });
    assert.equal(await delivery.deliver(), 0);
    assert.equal(await f.store.read((tx) => tx.accessLogs.count()), 1);
    const warned = lines.find((l) => l.msg === 'access-log delivery failed: records kept for the next interval');
    assert.equal(warned?.fields.error, 'disk full');
    fail = false;
    assert.equal(await delivery.deliver(), 1);
    assert.equal(await f.store.read((tx) => tx.accessLogs.count()), 0);
  } finally {
    await f.cleanup();
  }
});

test('log object names: prefix, UTC time to the second, 16 upper-case hex characters, unique', () => {
  const at = Date.UTC(2019, 1, 6, 0, 0, 38);
  const a = logObjectKey('p/', at);
  assert.match(a, /^p\/2019-02-06-00-00-38-[0-9A-F]{16}$/);
  assert.notEqual(a, logObjectKey('p/', at));
});
