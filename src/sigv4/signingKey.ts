/** SigV4 signing keys and a bounded cache of them. */
import { createHmac, hash } from 'node:crypto';

/** kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request") */
export function deriveSigningKey(secretAccessKey: string, date: string, region: string, service: string): Buffer {
  const kDate = createHmac('sha256', 'AWS4' + secretAccessKey).update(date).digest();
  const kRegion = createHmac('sha256', kDate).update(region).digest();
  const kService = createHmac('sha256', kRegion).update(service).digest();
  return createHmac('sha256', kService).update('aws4_request').digest();
}

/**
 * Per (accessKeyId, date, region, service, secret fingerprint) signing keys, at most `maxEntries`
 * (oldest evicted first). The fingerprint is a SHA-256 of the secret, so a rotated or re-created
 * key with the same id never reuses a stale entry. Secrets themselves are never stored.
 */
export class SigningKeyCache {
  private readonly entries = new Map<string, Buffer>();

  constructor(private readonly maxEntries = 4096) {
    if (!(maxEntries >= 1)) throw new RangeError(`SigningKeyCache maxEntries must be at least 1, got ${maxEntries}`);
  }

  get size(): number {
    return this.entries.size;
  }

  signingKey(accessKeyId: string, secretAccessKey: string, date: string, region: string, service: string): Buffer {
    const fingerprint = hash('sha256', secretAccessKey, 'base64');
    const id = accessKeyId + '\n' + date + '\n' + region + '\n' + service + '\n' + fingerprint;
    const hit = this.entries.get(id);
    if (hit) return hit;
    const key = deriveSigningKey(secretAccessKey, date, region, service);
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(id, key);
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
