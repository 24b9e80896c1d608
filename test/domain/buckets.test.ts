import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bucketNameProblem } from '../../src/domain/buckets/names.js';
import { bucketArn } from '../../src/domain/buckets/access.js';
import { ACCOUNT, OTHER_ACCOUNT, caller, domainError, putObject, withFixture } from './support.js';

test('bucket names: length, pattern, double hyphen, IP forms', () => {
  for (const ok of ['abc', 'my-bucket-1', '0ab', 'a'.repeat(54), '1-2-3'])
    assert.equal(bucketNameProblem(ok), undefined, ok);
  const bad: [string, RegExp][] = [
    ['ab', /3 to 54/],
    ['a'.repeat(55), /3 to 54/],
    ['My-bucket', /lowercase/],
    ['-abc', /start and end/],
    ['abc-', /start and end/],
    ['a_b', /lowercase/],
    ['a.b.c', /lowercase/],
    ['a--b', /two hyphens/],
    ['192-168-1-10', /IP address/],
  ];
  for (const [name, re] of bad) assert.match(bucketNameProblem(name) ?? '', re, name);
});

test('create: record, defaults, operation in the same transaction', () =>
  withFixture(async (f) => {
    const { bucket, operations } = await f.buckets.create(caller, {
      bucketName: 'photos',
      bundleId: 'small_1_0',
      tags: [{ key: 'env', value: '' }],
    });
    assert.equal(bucket.name, 'photos');
    assert.equal(bucket.accountId, ACCOUNT);
    assert.equal(bucket.region, 'us-east-1');
    assert.equal(bucket.createdAt, f.time.now);
    assert.equal(bucket.objectVersioning, 'NeverEnabled');
    assert.deepEqual(bucket.accessRules, { getObject: 'private', allowPublicOverrides: false });
    assert.deepEqual(bucket.accessLogConfig, { enabled: false });
    assert.deepEqual(bucket.tags, [{ key: 'env', value: '' }]);
    assert.match(bucketArn(bucket), new RegExp(`^arn:aws:lightsail:us-east-1:${ACCOUNT}:Bucket/[0-9a-f-]{36}$`));
    assert.equal(operations.length, 1);
    const op = operations[0];
    assert.deepEqual(
      { ...op, id: 'x' },
      {
        id: 'x',
        accountId: ACCOUNT,
        region: 'us-east-1',
        resourceName: 'photos',
        resourceType: 'Bucket',
        operationType: 'CreateBucket',
        status: 'Succeeded',
        isTerminal: true,
        createdAt: f.time.now,
        statusChangedAt: f.time.now,
      },
    );
    assert.deepEqual(await f.operations.get(caller, op.id), op);
    assert.deepEqual(await f.buckets.get(caller, 'photos'), bucket);
    const versioned = await f.buckets.create(caller, {
      bucketName: 'versioned',
      bundleId: 'medium_1_0',
      enableObjectVersioning: true,
    });
    assert.equal(versioned.bucket.objectVersioning, 'Enabled');
  }));

test('create: refuses bad names, unknown bundles, bad tags and taken names (server-wide)', () =>
  withFixture(async (f) => {
    await assert.rejects(
      f.buckets.create(caller, { bucketName: 'Bad_Name', bundleId: 'small_1_0' }),
      domainError('InvalidInput', /Bucket name 'Bad_Name' is not valid/),
    );
    await assert.rejects(
      f.buckets.create(caller, { bucketName: 'ok-name', bundleId: 'huge_9_9' }),
      domainError('InvalidInput', /Bundle 'huge_9_9' does not exist/),
    );
    await assert.rejects(
      f.buckets.create(caller, { bucketName: 'ok-name', bundleId: 'small_1_0', tags: [{ key: '', value: 'v' }] }),
      domainError('InvalidInput', /Tag key ''/),
    );
    await assert.rejects(
      f.buckets.create(caller, {
        bucketName: 'ok-name',
        bundleId: 'small_1_0',
        tags: [{ key: 'k', value: 'v'.repeat(257) }],
      }),
      domainError('InvalidInput', /at most 256/),
    );
    const tooMany = Array.from({ length: 51 }, (_, i) => ({ key: `k${i}`, value: '' }));
    await assert.rejects(
      f.buckets.create(caller, { bucketName: 'ok-name', bundleId: 'small_1_0', tags: tooMany }),
      domainError('InvalidInput', /at most 50 tags/),
    );
    await f.buckets.create(caller, { bucketName: 'taken', bundleId: 'small_1_0' });
    await assert.rejects(
      f.buckets.create(caller, { bucketName: 'taken', bundleId: 'small_1_0' }),
      (e: unknown) =>
        domainError('InvalidInput', /'taken' already exists and is owned by you/)(e) &&
        (e as { details: { reason: string } }).details.reason === 'bucket_owned_by_you',
    );
    await assert.rejects(
      f.buckets.create(
        { accountId: OTHER_ACCOUNT, region: 'eu-west-1' },
        { bucketName: 'taken', bundleId: 'small_1_0' },
      ),
      (e: unknown) =>
        domainError('InvalidInput', /'taken' is already in use/)(e) &&
        (e as { details: { reason: string } }).details.reason === 'bucket_name_taken',
    );
    const page = await f.buckets.list(caller);
    assert.deepEqual(
      page.buckets.map((b) => b.name),
      ['taken'],
    );
    assert.equal((await f.operations.list(caller)).operations.length, 1);
  }));

test('get: scoped to the caller account and region, NotFound names bucket and region', () =>
  withFixture(async (f) => {
    await f.buckets.create(caller, { bucketName: 'mine', bundleId: 'small_1_0' });
    await assert.rejects(
      f.buckets.get(caller, 'nope'),
      domainError('NotFound', "Bucket 'nope' does not exist in us-east-1."),
    );
    await assert.rejects(
      f.buckets.get({ accountId: ACCOUNT, region: 'eu-west-2' }, 'mine'),
      domainError('NotFound', "Bucket 'mine' does not exist in eu-west-2."),
    );
    await assert.rejects(
      f.buckets.get({ accountId: OTHER_ACCOUNT, region: 'us-east-1' }, 'mine'),
      domainError('NotFound', /'mine' does not exist/),
    );
    assert.equal((await f.buckets.findByName('mine'))?.name, 'mine');
  }));

test('list: pages by name with an opaque token; a forged token is refused', () =>
  withFixture(
    async (f) => {
      for (const n of ['echo', 'alpha', 'delta', 'charlie', 'bravo'])
        await f.buckets.create(caller, { bucketName: n, bundleId: 'small_1_0' });
      await f.buckets.create(
        { accountId: OTHER_ACCOUNT, region: 'us-east-1' },
        { bucketName: 'foreign', bundleId: 'small_1_0' },
      );
      const seen: string[] = [];
      let token: string | undefined;
      for (let i = 0; i < 5; i++) {
        const page = await f.buckets.list(caller, { pageToken: token });
        seen.push(...page.buckets.map((b) => b.name));
        token = page.nextPageToken;
        if (!token) break;
        assert.ok(!token.includes(page.buckets.at(-1)!.name), 'token is opaque');
      }
      assert.deepEqual(seen, ['alpha', 'bravo', 'charlie', 'delta', 'echo']);
      assert.equal(token, undefined);
      await assert.rejects(
        f.buckets.list(caller, { pageToken: 'alpha' }),
        domainError('InvalidInput', /pageToken 'alpha' is not a valid/),
      );
    },
    { bucketPageSize: 2 },
  ));

test('update: versioning, access rules, readonly accounts, CORS and access logs', () =>
  withFixture(async (f) => {
    await f.buckets.create(caller, { bucketName: 'site', bundleId: 'small_1_0' });
    await f.buckets.create(caller, { bucketName: 'logs', bundleId: 'small_1_0' });
    let r = await f.buckets.update(caller, 'site', {
      accessRules: { getObject: 'public', allowPublicOverrides: true },
    });
    assert.deepEqual(r.bucket.accessRules, { getObject: 'public', allowPublicOverrides: true });
    assert.equal(r.operations[0].operationType, 'UpdateBucket');
    r = await f.buckets.update(caller, 'site', { versioning: 'Enabled' });
    assert.equal(r.bucket.objectVersioning, 'Enabled');
    assert.deepEqual(
      r.bucket.accessRules,
      { getObject: 'public', allowPublicOverrides: false },
      'changing versioning turns overrides off',
    );
    r = await f.buckets.update(caller, 'site', { versioning: 'Suspended' });
    assert.equal(r.bucket.objectVersioning, 'Suspended');
    r = await f.buckets.update(caller, 'site', { versioning: 'Enabled', accessRules: { allowPublicOverrides: true } });
    assert.deepEqual(
      r.bucket.accessRules,
      { getObject: 'public', allowPublicOverrides: true },
      'an explicit allowPublicOverrides in the same call stands',
    );
    r = await f.buckets.update(caller, 'site', { versioning: 'Suspended' });
    assert.equal(r.bucket.accessRules.allowPublicOverrides, false);
    await assert.rejects(
      f.buckets.update(caller, 'site', { versioning: 'NeverEnabled' }),
      domainError('InvalidInput', /versioning 'NeverEnabled' is not valid/),
    );
    await f.buckets.update(caller, 'site', { accessRules: { allowPublicOverrides: true } });
    r = await f.buckets.update(caller, 'site', { versioning: 'Suspended' });
    assert.equal(r.bucket.accessRules.allowPublicOverrides, true, 'same versioning is no change');

    r = await f.buckets.update(caller, 'site', { readonlyAccessAccounts: ['999988887777', '444455556666'] });
    assert.deepEqual(r.bucket.readonlyAccessAccounts, ['999988887777', '444455556666']);
    r = await f.buckets.update(caller, 'site', { readonlyAccessAccounts: ['123456789012'] });
    assert.deepEqual(r.bucket.readonlyAccessAccounts, ['123456789012'], 'the list is replaced');
    const eleven = Array.from({ length: 11 }, (_, i) => String(100000000000 + i));
    await assert.rejects(
      f.buckets.update(caller, 'site', { readonlyAccessAccounts: eleven }),
      domainError('InvalidInput', /has 11 accounts; the limit is 10/),
    );
    await assert.rejects(
      f.buckets.update(caller, 'site', { readonlyAccessAccounts: ['abc'] }),
      domainError('InvalidInput', /'abc' is not a 12-digit/),
    );

    const rule = { allowedMethods: ['GET'], allowedOrigins: ['https://example.com'] };
    r = await f.buckets.update(caller, 'site', { cors: [rule, { ...rule, id: 'second', maxAgeSeconds: 60 }] });
    assert.equal(r.bucket.cors.length, 2);
    r = await f.buckets.update(caller, 'site', { cors: [rule] });
    assert.deepEqual(r.bucket.cors, [rule], 'the rules are replaced');
    await assert.rejects(
      f.buckets.update(caller, 'site', { cors: Array.from({ length: 21 }, () => rule) }),
      domainError('InvalidInput', /21 rules; the limit is 20/),
    );
    await assert.rejects(
      f.buckets.update(caller, 'site', { cors: [{ ...rule, allowedMethods: ['PATCH'] }] }),
      domainError('InvalidInput', /'PATCH'/),
    );

    r = await f.buckets.update(caller, 'site', {
      accessLogConfig: { enabled: true, destination: 'logs', prefix: 'site/' },
    });
    assert.deepEqual(r.bucket.accessLogConfig, { enabled: true, destination: 'logs', prefix: 'site/' });
    await assert.rejects(
      f.buckets.update(caller, 'site', { accessLogConfig: { enabled: true, destination: 'ghost' } }),
      domainError('InvalidInput', /'ghost' does not exist/),
    );
    await assert.rejects(
      f.buckets.update(caller, 'site', { accessLogConfig: { enabled: true } }),
      domainError('InvalidInput', /destination is required/),
    );
    r = await f.buckets.update(caller, 'site', { accessLogConfig: { enabled: false, destination: 'logs' } });
    assert.deepEqual(r.bucket.accessLogConfig, { enabled: false });

    assert.deepEqual(await f.buckets.get(caller, 'site'), r.bucket, 'what update returned is what is stored');
    await assert.rejects(
      f.buckets.update(caller, 'ghost', { versioning: 'Enabled' }),
      domainError('NotFound', "Bucket 'ghost' does not exist in us-east-1."),
    );
  }));

test('updateBundle: a fresh bucket may change once, then not until the next UTC month', () =>
  withFixture(async (f) => {
    f.time.now = Date.UTC(2026, 10, 30, 23, 0, 0);
    const { bucket } = await f.buckets.create(caller, { bucketName: 'plan', bundleId: 'small_1_0' });
    assert.equal(f.buckets.ableToUpdateBundle(bucket), true);
    await assert.rejects(
      f.buckets.updateBundle(caller, 'plan', 'tiny_0_0'),
      domainError('InvalidInput', /Bundle 'tiny_0_0' does not exist/),
    );
    await assert.rejects(
      f.buckets.updateBundle(caller, 'plan', 'small_1_0'),
      domainError('InvalidInput', /already uses bundle 'small_1_0'/),
    );
    const changed = await f.buckets.updateBundle(caller, 'plan', 'medium_1_0');
    assert.equal(changed.bucket.bundleId, 'medium_1_0');
    assert.equal(changed.operations[0].operationType, 'UpdateBucketBundle');
    assert.equal(f.buckets.ableToUpdateBundle(changed.bucket), false);
    f.time.now = Date.UTC(2026, 10, 30, 23, 59, 59);
    await assert.rejects(
      f.buckets.updateBundle(caller, 'plan', 'large_1_0'),
      domainError('InvalidInput', /again from 2026-12-01/),
    );
    f.time.now = Date.UTC(2026, 11, 1, 0, 0, 0);
    assert.equal(f.buckets.ableToUpdateBundle(await f.buckets.get(caller, 'plan')), true);
    assert.equal((await f.buckets.updateBundle(caller, 'plan', 'large_1_0')).bucket.bundleId, 'large_1_0');
  }));

test('delete: refuses a bucket with objects or keys unless forced; force frees blobs after the commit', () =>
  withFixture(async (f) => {
    const { bucket } = await f.buckets.create(caller, { bucketName: 'full', bundleId: 'small_1_0' });
    const blob = await putObject(f.store, bucket.id, 'a.txt', 5);
    await assert.rejects(
      f.buckets.delete(caller, 'full'),
      (e: unknown) =>
        domainError('InvalidInput', /Bucket 'full' is not empty/)(e) &&
        (e as { details: { reason: string } }).details.reason === 'bucket_not_empty',
    );
    const created = await f.keys.create(caller, 'full');
    assert.ok(await f.credentials.resolve(created.accessKey.accessKeyId));
    // objects and a key: one refusal names both blockers (and the key)
    await assert.rejects(
      f.buckets.delete(caller, 'full'),
      (e: unknown) =>
        domainError(
          'InvalidInput',
          new RegExp(
            `Bucket 'full' is not empty and has 1 access key\\(s\\) \\(${created.accessKey.accessKeyId}\\): delete its objects.* and its access keys first`,
          ),
        )(e) && (e as { details: { reason: string } }).details.reason === 'bucket_not_empty',
    );
    await f.store.transaction((tx) => tx.objects.deleteAllInBucket(bucket.id));
    await assert.rejects(
      f.buckets.delete(caller, 'full'),
      domainError('InvalidInput', new RegExp(`has 1 access key\\(s\\) \\(${created.accessKey.accessKeyId}\\)`)),
    );
    assert.ok(await f.buckets.get(caller, 'full'), 'refusals change nothing');

    const blob2 = await putObject(f.store, bucket.id, 'b.txt', 7);
    const { operations } = await f.buckets.delete(caller, 'full', { force: true });
    assert.equal(operations[0].operationType, 'DeleteBucket');
    assert.deepEqual(f.freedBlobs, [blob2]);
    assert.ok(!f.freedBlobs.includes(blob), 'blobs removed earlier are not freed twice');
    await assert.rejects(f.buckets.get(caller, 'full'), domainError('NotFound', /'full' does not exist/));
    assert.equal(
      await f.credentials.resolve(created.accessKey.accessKeyId),
      undefined,
      'the key stops resolving at once',
    );
    await assert.rejects(
      f.buckets.delete(caller, 'full'),
      domainError('NotFound', "Bucket 'full' does not exist in us-east-1."),
    );
    await f.buckets.create(caller, { bucketName: 'full', bundleId: 'small_1_0' });
    const empty = await f.buckets.delete(caller, 'full');
    assert.equal(empty.operations[0].resourceName, 'full');
  }));

test('tags: by name or ARN, merge and remove, limits, operations recorded', () =>
  withFixture(async (f) => {
    const { bucket } = await f.buckets.create(caller, {
      bucketName: 'tagged',
      bundleId: 'small_1_0',
      tags: [{ key: 'a', value: '1' }],
    });
    const t = await f.buckets.tag(caller, { resourceName: 'tagged' }, [
      { key: 'a', value: '2' },
      { key: 'b', value: '' },
    ]);
    assert.equal(t.operations[0].operationType, 'TagResource');
    assert.deepEqual((await f.buckets.get(caller, 'tagged')).tags, [
      { key: 'a', value: '2' },
      { key: 'b', value: '' },
    ]);
    await f.buckets.untag(caller, { resourceArn: bucketArn(bucket) }, ['a', 'missing']);
    assert.deepEqual((await f.buckets.get(caller, 'tagged')).tags, [{ key: 'b', value: '' }]);
    const many = Array.from({ length: 50 }, (_, i) => ({ key: `k${i}`, value: 'v' }));
    await assert.rejects(
      f.buckets.tag(caller, { resourceName: 'tagged' }, many),
      domainError('InvalidInput', /would have 51 tags; the limit is 50/),
    );
    await assert.rejects(
      f.buckets.tag(caller, { resourceName: 'tagged' }, [{ key: 'k'.repeat(129), value: '' }]),
      domainError('InvalidInput', /1 to 128/),
    );
    await assert.rejects(
      f.buckets.tag(caller, { resourceName: 'ghost' }, [{ key: 'a', value: '' }]),
      domainError('NotFound', "Resource 'ghost' does not exist in us-east-1."),
    );
    const foreignArn = bucketArn({ ...bucket, accountId: OTHER_ACCOUNT });
    await assert.rejects(
      f.buckets.tag(caller, { resourceArn: foreignArn }, [{ key: 'a', value: '' }]),
      domainError('NotFound', /does not exist/),
    );
    await assert.rejects(
      f.buckets.untag(caller, { resourceArn: 'arn:nope' }, ['a']),
      domainError('InvalidInput', /resourceArn 'arn:nope'/),
    );
    const ops = (await f.operations.listForResource(caller, 'tagged')).operations.map((o) => o.operationType);
    assert.deepEqual(ops, ['CreateBucket', 'TagResource', 'UntagResource']);
  }));
