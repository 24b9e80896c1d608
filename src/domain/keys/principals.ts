import type { AccessKeyStatus } from '../ports/records.js';

/** Who made a request, once its signature is verified (or it carried none). */
export type Principal =
  | { kind: 'root'; accountId: string; accessKeyId: string }
  | { kind: 'bucketKey'; accountId: string; accessKeyId: string; bucketId: string; bucketName: string }
  | { kind: 'anonymous' };

/** What a verifier needs to check a signature made with an access key id. */
export interface ResolvedCredential {
  principal: Exclude<Principal, { kind: 'anonymous' }>;
  secretAccessKey: string;
  status: AccessKeyStatus;
}

/** Looks up an access key id: the account root credentials or a bucket access key. */
export interface CredentialResolver {
  resolve(accessKeyId: string): Promise<ResolvedCredential | undefined>;
}
