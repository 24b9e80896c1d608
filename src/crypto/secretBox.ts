import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Seals secrets with AES-256-GCM under a master key that never enters the database.
 * Sealed form: "v1:" + base64(nonce(12) | tag(16) | ciphertext). The associated data binds a
 * sealed value to its row (e.g. the access key id) so values cannot be swapped between rows.
 *
 * During a master-key rotation (`sailbucket rotate-master-key`) a box holds two keys: it seals under
 * the current one and opens with either (the GCM tag tells which key sealed a value), so every
 * secret stays readable while rows are re-sealed one transaction at a time.
 */
export class SecretBox {
  private key: Buffer;
  private others: Buffer[];
  constructor(masterKey: Buffer, alsoOpenWith: readonly Buffer[] = []) {
    this.key = checked(masterKey);
    this.others = alsoOpenWith.map(checked);
  }

  /** Seals under `key` from now on; the previous key still opens what it sealed until `forgetOthers`. */
  useKey(key: Buffer): void {
    const next = checked(key);
    this.others = [this.key, ...this.others].filter((k) => !k.equals(next));
    this.key = next;
  }

  /** Opens only with the current key from now on (after every value was re-sealed under it). */
  forgetOthers(): void {
    this.others = [];
  }

  seal(plain: string, aad: string): string {
    const nonce = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', this.key, nonce);
    c.setAAD(Buffer.from(aad, 'utf8'));
    const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
    return 'v1:' + Buffer.concat([nonce, c.getAuthTag(), body]).toString('base64');
  }

  open(sealed: string, aad: string): string {
    if (!sealed.startsWith('v1:')) throw new Error('unknown sealed secret format');
    const raw = Buffer.from(sealed.slice(3), 'base64');
    let failure: unknown;
    for (const key of [this.key, ...this.others]) {
      try {
        return openWith(key, raw, aad);
      } catch (err) {
        failure = err;
      }
    }
    throw failure;
  }
}

function checked(key: Buffer): Buffer {
  if (key.length !== 32) throw new Error('master key must be 32 bytes');
  return Buffer.from(key);
}

function openWith(key: Buffer, raw: Buffer, aad: string): string {
  const d = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
  d.setAAD(Buffer.from(aad, 'utf8'));
  d.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString('utf8');
}
