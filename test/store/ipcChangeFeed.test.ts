/**
 * The IPC change feed and the worker's cluster (src/store/changes/IpcChangeFeed.ts,
 * src/workers/workerCluster.ts) over an in-memory stand-in for a worker's IPC channel.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { CacheInvalidation } from '../../src/domain/ports/ChangeFeed.js';
import { CHANGE_MESSAGE, IpcChangeFeed, type IpcChannel } from '../../src/store/changes/IpcChangeFeed.js';
import { workerCluster } from '../../src/workers/workerCluster.js';

/** A channel whose sent messages are recorded and whose incoming messages the test emits. */
function fakeChannel(): IpcChannel & { sent: unknown[]; emit(event: 'message', m: unknown): boolean } {
  const sent: unknown[] = [];
  const send = (message: unknown, _h?: undefined, _o?: undefined, cb?: (err: Error | null) => void) => {
    sent.push(message);
    cb?.(null);
    return true;
  };
  return Object.assign(new EventEmitter(), { sent, send });
}

test('published invalidations go to the primary; relayed ones reach the subscribers; junk is ignored', async () => {
  const channel = fakeChannel();
  const feed = new IpcChangeFeed(channel);
  const heard: CacheInvalidation[] = [];
  feed.subscribe((c) => heard.push(c));
  feed.publish({ kind: 'accessKey', accessKeyId: 'AKIAEXAMPLE' });
  assert.deepEqual(channel.sent, [{ type: CHANGE_MESSAGE, change: { kind: 'accessKey', accessKeyId: 'AKIAEXAMPLE' } }]);
  assert.equal(heard.length, 0, 'its own change is not heard back (the primary relays to the others only)');
  channel.emit('message', { type: CHANGE_MESSAGE, change: { kind: 'bucket', bucketName: 'b1' } });
  channel.emit('message', { type: CHANGE_MESSAGE, change: { kind: 'bucket' } });
  channel.emit('message', { type: 'prom-client:getMetricsReq', requestId: 1 });
  channel.emit('message', 'text');
  assert.deepEqual(heard, [{ kind: 'bucket', bucketName: 'b1' }]);
  await feed.close();
  channel.emit('message', { type: CHANGE_MESSAGE, change: { kind: 'all' } });
  feed.publish({ kind: 'all' });
  assert.equal(heard.length, 1, 'nothing heard after close');
  assert.equal(channel.sent.length, 1, 'nothing sent after close');
});

test('a worker leads when the primary says so, before or after it campaigns, and stops on close', async () => {
  const channel = fakeChannel();
  const cluster = workerCluster(channel);
  const events: string[] = [];
  channel.emit('message', { type: 'sailbucket:lead', on: true });
  assert.equal(events.length, 0, 'no hooks yet');
  await cluster.lead({ gain: () => events.push('gain'), lose: () => events.push('lose') });
  assert.deepEqual(events, ['gain'], 'told before it campaigned: it leads once it does');
  channel.emit('message', { type: 'sailbucket:lead', on: true });
  assert.deepEqual(events, ['gain'], 'told twice: still one gain');
  channel.emit('message', { type: 'sailbucket:lead', on: false });
  channel.emit('message', { type: 'sailbucket:lead', on: true });
  await cluster.close();
  assert.deepEqual(events, ['gain', 'lose', 'gain', 'lose']);
  channel.emit('message', { type: 'sailbucket:lead', on: true });
  assert.equal(events.length, 4, 'nothing after close');
});
