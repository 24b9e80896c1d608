/**
 * In-process control plane over real services and a real SQLite store: when the store fails
 * underneath (closed), the answer is a 500 ServiceException without internal details, and the
 * internal error is logged with the request id.
 */
import { AccountService } from '../../src/domain/accounts/accounts.js';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteMetadataStore } from '../../src/store/metadata/sqlite/SqliteMetadataStore.js';
import { SecretBox } from '../../src/crypto/secretBox.js';
import { BucketService } from '../../src/domain/buckets/buckets.js';
import { AccessKeyService } from '../../src/domain/keys/accessKeys.js';
import { OperationService } from '../../src/domain/operationRecords/operationService.js';
import { MetricsSampler } from '../../src/domain/buckets/metrics.js';
import { createCredentialResolver } from '../../src/domain/keys/credentials.js';
import { createLogger } from '../../src/log.js';
import { createBucketUrlBuilder, createControlPlane } from '../../src/control/index.js';
import type { TestServer } from '../helpers/server.js';
import { assertRawError, rawCall } from './support.js';

describe('control plane in process: internal failures', () => {
  let dir: string;
  let store: SqliteMetadataStore;
  let http: Server;
  let logged = '';
  let target: Pick<TestServer, 'endpoint' | 'credentials'>;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sailbucket-cp-'));
    store = new SqliteMetadataStore({ path: join(dir, 'metadata.db') });
    const clock = () => Date.now();
    const secretBox = new SecretBox(randomBytes(32));
    const root = {
      accountId: '123456789012',
      rootAccessKeyId: 'SBINPROCESSROOT00001',
      rootSecretAccessKey: randomBytes(30).toString('base64'),
    };
    const credentials = createCredentialResolver({ store, secretBox, root, clock });
    const log = createLogger(
      {
        write: (line: string) => {
          logged += line;
          return true;
        },
      },
      'info',
    );
    let url = '';
    const plane = createControlPlane({
      services: {
        buckets: new BucketService({ store, clock, credentials, log }),
        accessKeys: new AccessKeyService({ store, secretBox, clock, credentials }),
        operations: new OperationService({ store }),
        metrics: new MetricsSampler({ store, clock, intervalMs: 0 }),
        accounts: new AccountService({ store, secretBox, clock, operatorAccountId: root.accountId, credentials }),
      },
      credentials,
      clock,
      log,
      bucketUrl: createBucketUrlBuilder(() => url),
    });
    http = createServer((req, res) => {
      const requestId = randomBytes(8).toString('hex').toUpperCase();
      void plane(req, res, { requestId, log: log.child({ requestId }), startedAt: process.hrtime.bigint(), facts: {} });
    });
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', () => r()));
    const addr = http.address();
    url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
    target = {
      endpoint: url,
      credentials: { accessKeyId: root.rootAccessKeyId, secretAccessKey: root.rootSecretAccessKey },
    };
  });
  after(async () => {
    await new Promise<void>((r) => http.close(() => r()));
    await store.close().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  it('works, then answers 500 ServiceException once the store is gone, logging the cause with the request id', async () => {
    const ok = await rawCall(target, 'CreateBucket', { bucketName: 'inproc-1', bundleId: 'small_1_0' });
    assert.equal(ok.status, 200, ok.text);
    await store.close();
    const r = await rawCall(target, 'GetBuckets', {});
    assertRawError(r, 'ServiceException', 500);
    assert.ok(
      !/sqlite|database|\.db|Error:/i.test(r.json.message as string),
      `no internal detail in '${String(r.json.message)}'`,
    );
    const requestId = r.headers.get('x-amzn-requestid')!;
    const line = logged.split('\n').find((l) => l.includes('control-plane operation failed') && l.includes(requestId));
    assert.ok(line, `the failure is logged with request id ${requestId}:\n${logged}`);
    assert.match(line, /"operation":"GetBuckets"/);
    assert.ok(!logged.includes(target.credentials.secretAccessKey), 'the root secret is not logged');
  });
});
