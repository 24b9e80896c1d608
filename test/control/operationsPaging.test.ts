/** GetOperations through the real server: more than one page of 200, oldest first, via nextPageToken. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateBucketCommand,
  GetOperationsCommand,
  TagResourceCommand,
  type LightsailClient,
  type Operation,
} from '@aws-sdk/client-lightsail';
import { startServer, uniqueBucketName, type TestServer } from '../helpers/server.js';
import { expectError, lightsailClient } from './support.js';

const PAGE_SIZE = 200;
const TAG_CALLS = 210;

describe('control plane: GetOperations paging', () => {
  let server: TestServer;
  let ls: LightsailClient;
  before(async () => {
    server = await startServer();
    ls = lightsailClient(server);
  });
  after(async () => {
    ls?.destroy();
    await server?.stop();
  });

  it('pages past 200 operations, oldest first, following nextPageToken', async () => {
    const name = uniqueBucketName('opspage');
    const made: string[] = [];
    const created = await ls.send(new CreateBucketCommand({ bucketName: name, bundleId: 'small_1_0' }));
    made.push(created.operations![0].id!);
    const deadline = Date.now() + 120_000;
    for (let i = 0; i < TAG_CALLS; i++) {
      // bounded in count and time
      assert.ok(Date.now() < deadline, `${i} of ${TAG_CALLS} TagResource calls took over 120 s`);
      const out = await ls.send(
        new TagResourceCommand({ resourceName: name, tags: [{ key: 'round', value: String(i) }] }),
      );
      assert.equal(out.operations?.length, 1);
      made.push(out.operations[0].id!);
    }

    const pages: Operation[][] = [];
    let token: string | undefined;
    do {
      const page = await ls.send(new GetOperationsCommand(token === undefined ? {} : { pageToken: token }));
      pages.push(page.operations ?? []);
      token = page.nextPageToken;
      assert.ok(pages.length <= 5, 'paging terminates');
    } while (token);

    assert.deepEqual(
      pages.map((p) => p.length),
      [PAGE_SIZE, made.length - PAGE_SIZE],
      'a full first page, the rest on the second',
    );
    const all = pages.flat();
    assert.deepEqual(
      all.map((o) => o.id),
      made,
      'every operation once, oldest first, in the order they were made',
    );
    assert.equal(all[0].operationType, 'CreateBucket');
    assert.ok(
      all
        .slice(1)
        .every(
          (o) => (o.operationType as string) === 'TagResource' && o.resourceName === name && o.status === 'Succeeded',
        ),
    );
    const times = all.map((o) => o.createdAt!.getTime());
    assert.deepEqual(
      times,
      [...times].sort((a, b) => a - b),
      'createdAt never goes back',
    );

    await expectError(
      ls.send(new GetOperationsCommand({ pageToken: 'bogus-token' })),
      'InvalidInputException',
      'bogus-token',
    );
  });
});
