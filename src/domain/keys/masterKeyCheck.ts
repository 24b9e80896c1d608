import type { SecretBox } from '../../crypto/secretBox.js';
import type { MetadataStore } from '../ports/MetadataStore.js';

/** Buckets looked at for a stored key (bounded: the first buckets that have keys decide). */
const BUCKETS_LOOKED_AT = 50;

/**
 * Whether this node's master key opens the secrets stored in the metadata (checked on one stored
 * access key). Nodes sharing a database must share the master key; one that cannot open the
 * secrets would answer every signed request with SignatureDoesNotMatch, so it must not start.
 * Returns undefined when no key is stored yet (nothing to check).
 */
export async function masterKeyOpensStoredSecrets(store: MetadataStore, box: SecretBox): Promise<boolean | undefined> {
  const key = await store.read(async (tx) => {
    const ids = await tx.control.listAllBucketIds();
    for (const id of ids.slice(0, BUCKETS_LOOKED_AT)) {
      const keys = await tx.control.listAccessKeys(id);
      if (keys.length > 0) return keys[0];
    }
    return undefined;
  });
  if (!key) return undefined;
  try {
    box.open(key.sealedSecret, key.accessKeyId);
    return true;
  } catch {
    return false;
  }
}
