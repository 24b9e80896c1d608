/** SigV4 signing keys and a bounded cache of them. */
import { createHmac } from 'node:crypto';

/** kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request") */
export function deriveSigningKey(secretAccessKey: string, date: string, region: string, service: string): Buffer {
  const kDate = createHmac('sha256', 'AWS4' + secretAccessKey)
    .update(date)
    .digest();
  const kRegion = createHmac('sha256', kDate).update(region).digest();
  const kService = createHmac('sha256', kRegion).update(service).digest();
  return createHmac('sha256', kService).update('aws4_request').digest();
}

interface Entry {
  /** The secret the key was derived from: a hit needs the very same secret (a rotated one re-derives). */
  readonly secret: string;
  readonly key: Buffer;
}

/**
 * Per (accessKeyId, date, region, service) signing keys, at most `maxEntries` (oldest evicted
 * first). Each entry remembers the secret it was derived from and is used only when the caller's
 * secret is that same string, so a rotated or re-created key with the same id never reuses a stale
 * signing key (its entry is replaced). The secret is compared, never hashed, on every call: it is
 * the string the credential resolver already holds in memory, and both sides are ours (no timing
 * oracle: the caller's secret comes from the store, not from the request).
 */
export class SigningKeyCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly maxEntries = 4096) {
    if (!(maxEntries >= 1)) throw new RangeError(`SigningKeyCache maxEntries must be at least 1, got ${maxEntries}`);
  }

  get size(): number {
    return this.entries.size;
  }

  signingKey(accessKeyId: string, secretAccessKey: string, date: string, region: string, service: string): Buffer {
    const id = accessKeyId + '\n' + date + '\n' + region + '\n' + service;
    const hit = this.entries.get(id);
    if (hit !== undefined && hit.secret === secretAccessKey) return hit.key;
    const key = deriveSigningKey(secretAccessKey, date, region, service);
    if (hit !== undefined) this.entries.delete(id);
    else if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(id, { secret: secretAccessKey, key });
    return key;
  }

  /** Drops every entry of an access key (e.g. when it is deleted). */
  forget(accessKeyId: string): void {
    const prefix = accessKeyId + '\n';
    for (const id of this.entries.keys()) if (id.startsWith(prefix)) this.entries.delete(id);
  }

  clear(): void {
    this.entries.clear();
  }
}
