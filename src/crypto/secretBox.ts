import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Seals secrets with AES-256-GCM under a master key that never enters the database.
 * Sealed form: "v1:" + base64(nonce(12) | tag(16) | ciphertext). The associated data binds a
 * sealed value to its row (e.g. the access key id) so values cannot be swapped between rows.
 */
export class SecretBox {
  private readonly key: Buffer;
  constructor(masterKey: Buffer) {
    if (masterKey.length !== 32) throw new Error('master key must be 32 bytes');
    this.key = Buffer.from(masterKey);
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
    const d = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
    d.setAAD(Buffer.from(aad, 'utf8'));
    d.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString('utf8');
  }
}
