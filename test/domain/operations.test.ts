import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OTHER_ACCOUNT, caller, domainError, withFixture } from './support.js';

test('operations: get, NotFound, oldest first, paged with tokens, per resource', () =>
  withFixture(
    async (f) => {
      const ids: string[] = [];
      for (const n of ['op-a', 'op-b', 'op-c']) {
        f.time.now += 1000;
        ids.push((await f.buckets.create(caller, { bucketName: n, bundleId: 'small_1_0' })).operations[0].id);
      }
      f.time.now += 1000;
      ids.push((await f.buckets.update(caller, 'op-a', { versioning: 'Enabled' })).operations[0].id);
      f.time.now += 1000;
      ids.push((await f.keys.create(caller, 'op-b')).operations[0].id);
      await f.buckets.create(
        { accountId: OTHER_ACCOUNT, region: 'us-east-1' },
        { bucketName: 'theirs', bundleId: 'small_1_0' },
      );

      const all: string[] = [];
      let token: string | undefined;
      for (let i = 0; i < 10; i++) {
        const page = await f.operations.list(caller, { pageToken: token });
        assert.ok(page.operations.length <= 2);
        all.push(...page.operations.map((o) => o.id));
        token = page.nextPageToken;
        if (!token) break;
      }
      assert.deepEqual(all, ids);
      const forA = await f.operations.listForResource(caller, 'op-a');
      assert.deepEqual(
        forA.operations.map((o) => o.operationType),
        ['CreateBucket', 'UpdateBucket'],
      );
      assert.equal(forA.nextPageToken, undefined);
      assert.deepEqual((await f.operations.listForResource(caller, 'nothing')).operations, []);
      await assert.rejects(
        f.operations.get(caller, 'no-such-op'),
        domainError('NotFound', "Operation 'no-such-op' does not exist in us-east-1."),
      );
      await assert.rejects(
        f.operations.get({ accountId: OTHER_ACCOUNT, region: 'us-east-1' }, ids[0]),
        domainError('NotFound', /does not exist/),
      );
      await assert.rejects(
        f.operations.get({ ...caller, region: 'eu-west-1' }, ids[0]),
        domainError('NotFound', /in eu-west-1/),
      );
      await assert.rejects(
        f.operations.list(caller, { pageToken: 'garbage' }),
        domainError('InvalidInput', /pageToken 'garbage'/),
      );
      const bucketsToken = (await f.buckets.list(caller)).nextPageToken;
      assert.equal(bucketsToken, undefined);
    },
    { operationPageSize: 2 },
  ));
