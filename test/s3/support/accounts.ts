/**
 * Lightsail-side set-up for the S3 authorization tests: buckets and keys made through the
 * control plane with @aws-sdk/client-lightsail, and the Sailbucket extension
 * `SailbucketAdmin_20261129.*` extension (UpdateBucketAccessKey, CreateAccount) sent hand-signed (no SDK knows it).
 */
import { request } from 'node:http';
import { createHash } from 'node:crypto';
import {
  CreateBucketAccessKeyCommand,
  CreateBucketCommand,
  DeleteBucketAccessKeyCommand,
  LightsailClient,
} from '@aws-sdk/client-lightsail';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-js';
import type { Creds } from './s3Requests.js';

export const REGION = 'us-east-1';

export interface Accounts {
  lightsail: LightsailClient;
  createBucket(name: string): Promise<void>;
  createKey(bucketName: string): Promise<Creds>;
  deleteKey(bucketName: string, accessKeyId: string): Promise<void>;
  setKeyStatus(bucketName: string, accessKeyId: string, status: 'Active' | 'Inactive'): Promise<void>;
  /** SailbucketAdmin CreateAccount (the caller must be the operator's root). */
  createAccount(accountName: string): Promise<{ accountId: string; root: Creds }>;
  close(): void;
}

/** A `SailbucketAdmin_20261129.<op>` call, hand-signed with `creds` (no SDK knows these targets). */
export async function adminCall(
  endpoint: string,
  creds: Creds,
  op: string,
  input: unknown,
): Promise<{ status: number; body: string }> {
  const u = new URL(endpoint);
  const body = JSON.stringify(input);
  const signer = new SignatureV4({ service: 'lightsail', region: REGION, credentials: creds, sha256: Sha256 });
  const signed = await signer.sign({
    method: 'POST',
    protocol: u.protocol,
    hostname: u.hostname,
    port: Number(u.port),
    path: '/',
    query: {},
    headers: {
      host: u.host,
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `SailbucketAdmin_20261129.${op}`,
      'x-amz-content-sha256': createHash('sha256').update(body).digest('hex'),
    },
    body,
  });
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(
      { host: u.hostname, port: Number(u.port), method: 'POST', path: '/', headers: signed.headers },
      (res) => {
        let text = '';
        res
          .setEncoding('utf8')
          .on('data', (d: string) => {
            text += d;
          })
          .on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

export function accountsFor(endpoint: string, root: Creds): Accounts {
  const lightsail = new LightsailClient({ endpoint, region: REGION, credentials: root });
  return {
    lightsail,
    async createBucket(name) {
      await lightsail.send(new CreateBucketCommand({ bucketName: name, bundleId: 'small_1_0' }));
    },
    async createKey(bucketName) {
      const out = await lightsail.send(new CreateBucketAccessKeyCommand({ bucketName }));
      const k = out.accessKey;
      if (!k?.accessKeyId || !k.secretAccessKey)
        throw new Error(`CreateBucketAccessKey on '${bucketName}' returned no key`);
      return { accessKeyId: k.accessKeyId, secretAccessKey: k.secretAccessKey };
    },
    async deleteKey(bucketName, accessKeyId) {
      await lightsail.send(new DeleteBucketAccessKeyCommand({ bucketName, accessKeyId }));
    },
    async setKeyStatus(bucketName, accessKeyId, status) {
      const answer = await adminCall(endpoint, root, 'UpdateBucketAccessKey', { bucketName, accessKeyId, status });
      if (answer.status !== 200)
        throw new Error(`UpdateBucketAccessKey ${accessKeyId} → ${status} failed: ${answer.status} ${answer.body}`);
    },
    async createAccount(accountName) {
      const answer = await adminCall(endpoint, root, 'CreateAccount', { accountName });
      if (answer.status !== 200)
        throw new Error(`CreateAccount ${accountName} failed: ${answer.status} ${answer.body}`);
      const out = JSON.parse(answer.body) as {
        account: { accountId: string };
        rootAccessKey: { accessKeyId: string; secretAccessKey: string };
      };
      return {
        accountId: out.account.accountId,
        root: { accessKeyId: out.rootAccessKey.accessKeyId, secretAccessKey: out.rootAccessKey.secretAccessKey },
      };
    },
    close() {
      lightsail.destroy();
    },
  };
}
