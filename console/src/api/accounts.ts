/**
 * The operator's account operations (Sailbucket's `SailbucketAdmin_20261129` targets on the
 * control plane's JSON protocol). No SDK knows them, so each call is signed here with the same
 * SigV4 signer and SHA-256 the Lightsail client uses, and sent with fetch to the same origin.
 */
import { SignatureV4 } from '@smithy/signature-v4';
import type { Session } from './session';

/** The hash the Lightsail client signs with (the browser's SubtleCrypto, or its JavaScript fallback). */
export type Sha256 = ConstructorParameters<typeof SignatureV4>[0]['sha256'];

export interface AccountKey {
  accessKeyId: string;
  /** Only in the answer that creates the key. */
  secretAccessKey?: string;
  /** Epoch seconds. */
  createdAt?: number;
}

export interface Account {
  accountId: string;
  accountName: string;
  /** Epoch seconds. */
  createdAt?: number;
  isOperator?: boolean;
  storageQuotaBytes?: number;
  storageUsedBytes?: number;
  /** The root keys, without secrets (GetAccounts; absent for the operator). */
  accessKeys?: AccountKey[];
}

/** The API's own error: `message` is what the server said, `name` its error type. */
export class AdminError extends Error {
  constructor(
    readonly Code: string,
    message: string,
    readonly $metadata: { httpStatusCode: number },
  ) {
    super(message);
    this.name = Code;
  }
}

const TARGET = 'SailbucketAdmin_20261129';

export class Accounts {
  private readonly signer: SignatureV4;

  constructor(session: Session, sha256: Sha256) {
    this.signer = new SignatureV4({
      service: 'lightsail',
      region: session.region,
      credentials: { accessKeyId: session.accessKeyId, secretAccessKey: session.secretAccessKey },
      sha256,
    });
  }

  private async call<T>(op: string, input: object): Promise<T> {
    const body = JSON.stringify(input);
    const origin = new URL(location.origin);
    const signed = await this.signer.sign({
      method: 'POST',
      protocol: origin.protocol,
      hostname: origin.hostname,
      ...(origin.port !== '' ? { port: Number(origin.port) } : {}),
      path: '/',
      query: {},
      headers: {
        host: origin.host,
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': `${TARGET}.${op}`,
      },
      body,
    });
    // The browser sets Host itself (and refuses to be told); it is the one that was signed.
    const headers = Object.fromEntries(Object.entries(signed.headers).filter(([k]) => k.toLowerCase() !== 'host'));
    const res = await fetch('/', { method: 'POST', headers, body, credentials: 'omit' });
    const text = await res.text();
    let doc: Record<string, unknown> = {};
    try {
      doc = text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
    } catch {
      /* not JSON: reported below with the status */
    }
    if (!res.ok) {
      const raw =
        typeof doc.__type === 'string' ? doc.__type : typeof doc.code === 'string' ? doc.code : `HTTP ${res.status}`;
      const type = raw.replace(/^.*#/, '');
      const message = typeof doc.message === 'string' ? doc.message : text.slice(0, 300);
      throw new AdminError(type, message, { httpStatusCode: res.status });
    }
    return doc as T;
  }

  /** Every account (all pages, bounded). */
  async list(): Promise<Account[]> {
    const out: Account[] = [];
    let pageToken: string | undefined;
    for (let page = 0; page < 100; page++) {
      const r = await this.call<{ accounts?: Account[]; nextPageToken?: string }>(
        'GetAccounts',
        pageToken !== undefined ? { pageToken } : {},
      );
      out.push(...(r.accounts ?? []));
      pageToken = r.nextPageToken;
      if (pageToken === undefined || pageToken === '') break;
    }
    return out;
  }

  async create(accountName: string): Promise<{ account: Account; rootAccessKey: AccountKey }> {
    return this.call('CreateAccount', { accountName });
  }

  /** `quota` undefined removes the account's quota. */
  async setQuota(accountId: string, quota: number | undefined): Promise<void> {
    await this.call('UpdateAccount', { accountId, ...(quota !== undefined ? { storageQuotaBytes: quota } : {}) });
  }

  async createKey(accountId: string): Promise<AccountKey> {
    const r = await this.call<{ accessKey?: AccountKey }>('CreateAccountAccessKey', { accountId });
    if (r.accessKey === undefined) throw new Error('CreateAccountAccessKey answered no key');
    return r.accessKey;
  }

  async deleteKey(accountId: string, accessKeyId: string): Promise<void> {
    await this.call('DeleteAccountAccessKey', { accountId, accessKeyId });
  }

  async remove(accountId: string, forceDelete: boolean): Promise<void> {
    await this.call('DeleteAccount', { accountId, forceDelete });
  }
}
