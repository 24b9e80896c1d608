import type { SecretBox } from '../../crypto/secretBox.js';
import type { MetadataStore } from '../ports/MetadataStore.js';
import type { CredentialResolver, ResolvedCredential } from './principals.js';

/** What services call so that a deleted or deactivated key stops working at once. */
export interface CredentialInvalidation {
  invalidate(accessKeyId: string): void;
  invalidateBucket(bucketId: string): void;
}

export interface CachingCredentialResolver extends CredentialResolver, CredentialInvalidation {
  /** Drops every cached key (the change feed may have missed changes). */
  invalidateAll(): void;
}

/** The account's root credentials (from configuration or the generated identity file). */
export interface RootCredentials {
  accountId: string;
  rootAccessKeyId: string;
  rootSecretAccessKey: string;
}

export interface CredentialResolverDeps {
  store: MetadataStore;
  secretBox: SecretBox;
  root: RootCredentials;
  clock: () => number;
  /**
   * How long a resolved bucket key may be served from memory. Invalidation on this node is
   * immediate; the TTL only bounds staleness when another node changed the key.
   */
  ttlMs?: number;
  maxEntries?: number;
}

interface Entry {
  cred: ResolvedCredential;
  /** The bucket of a bucket key; '' for an account root key. */
  bucketId: string;
  expiresAt: number;
}

/**
 * Resolves the operator's root credentials, the root keys of the other accounts and bucket access
 * keys (opening the sealed secret), with a
 * small LRU cache so that a signed request does not cost a database read and a decryption.
 */
export function createCredentialResolver(deps: CredentialResolverDeps): CachingCredentialResolver {
  const ttlMs = deps.ttlMs ?? 5_000;
  const maxEntries = deps.maxEntries ?? 1_000;
  const cache = new Map<string, Entry>();
  // Bumped by every invalidation: a lookup that started before one does not fill the cache.
  let generation = 0;
  const rootCred: ResolvedCredential = {
    principal: { kind: 'root', accountId: deps.root.accountId, accessKeyId: deps.root.rootAccessKeyId },
    secretAccessKey: deps.root.rootSecretAccessKey,
    status: 'Active',
  };

  const remember = (id: string, entry: Entry) => {
    cache.set(id, entry);
    while (cache.size > maxEntries) cache.delete(cache.keys().next().value as string);
  };

  return {
    async resolve(accessKeyId: string): Promise<ResolvedCredential | undefined> {
      if (accessKeyId === deps.root.rootAccessKeyId) return rootCred;
      const hit = cache.get(accessKeyId);
      if (hit && hit.expiresAt > deps.clock()) {
        cache.delete(accessKeyId);
        cache.set(accessKeyId, hit);
        return hit.cred;
      }
      cache.delete(accessKeyId);
      const startedAt = generation;
      const found = await deps.store.read(async (tx) => {
        const bucketKey = await tx.control.getAccessKey(accessKeyId);
        return bucketKey ? { bucketKey } : { rootKey: await tx.accounts.getAccountKey(accessKeyId) };
      });
      const key = found.bucketKey;
      if (!key) {
        const root = found.rootKey;
        if (!root) return undefined;
        const cred: ResolvedCredential = {
          principal: { kind: 'root', accountId: root.accountId, accessKeyId: root.accessKeyId },
          secretAccessKey: deps.secretBox.open(root.sealedSecret, root.accessKeyId),
          status: 'Active',
        };
        if (generation === startedAt) remember(accessKeyId, { cred, bucketId: '', expiresAt: deps.clock() + ttlMs });
        return cred;
      }
      const cred: ResolvedCredential = {
        principal: {
          kind: 'bucketKey',
          accountId: key.accountId,
          accessKeyId: key.accessKeyId,
          bucketId: key.bucketId,
          bucketName: key.bucketName,
        },
        secretAccessKey: deps.secretBox.open(key.sealedSecret, key.accessKeyId),
        status: key.status,
      };
      if (generation === startedAt)
        remember(accessKeyId, { cred, bucketId: key.bucketId, expiresAt: deps.clock() + ttlMs });
      return cred;
    },
    invalidate(accessKeyId: string): void {
      generation++;
      cache.delete(accessKeyId);
    },
    invalidateBucket(bucketId: string): void {
      generation++;
      for (const [id, e] of cache) if (e.bucketId === bucketId) cache.delete(id);
    },
    invalidateAll(): void {
      generation++;
      cache.clear();
    },
  };
}
