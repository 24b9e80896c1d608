/**
 * Lightsail-side set-up for the S3 authorization tests: buckets and keys made through the
 * control plane with @aws-sdk/client-lightsail, and the Sailbucket extension
 * `SailbucketAdmin_20261129.UpdateBucketAccessKey` sent hand-signed (no SDK knows it).
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
  close(): void;
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
      const u = new URL(endpoint);
      const body = JSON.stringify({ bucketName, accessKeyId, status });
      const signer = new SignatureV4({ service: 'lightsail', region: REGION, credentials: root, sha256: Sha256 });
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
          'x-amz-target': 'SailbucketAdmin_20261129.UpdateBucketAccessKey',
          'x-amz-content-sha256': createHash('sha256').update(body).digest('hex'),
        },
        body,
      });
      const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
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
      if (answer.status !== 200)
        throw new Error(`UpdateBucketAccessKey ${accessKeyId} → ${status} failed: ${answer.status} ${answer.body}`);
    },
    close() {
      lightsail.destroy();
    },
  };
}
