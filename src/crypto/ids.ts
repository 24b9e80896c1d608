import { randomBytes, randomInt, randomUUID } from 'node:crypto';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const SECRET_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function pick(alphabet: string, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[randomInt(alphabet.length)];
  return s;
}

/** `AKIA` + 16 characters of [A-Z2-7]. */
export const newAccessKeyId = (): string => 'AKIA' + pick(BASE32, 16);
/** Account root access key ids: `SBRT` + 16 characters of [0-9A-F]. */
export const newRootAccessKeyId = (): string => 'SBRT' + randomBytes(8).toString('hex').toUpperCase();
/** 40 characters of [A-Za-z0-9+/] from a CSPRNG. */
export const newSecretAccessKey = (): string => pick(SECRET_ALPHABET, 40);
export const newUuid = (): string => randomUUID();
/** An opaque id for blobs, uploads and versions: 32 url-safe characters. */
export const newOpaqueId = (): string => randomBytes(24).toString('base64url');
/** 12-digit account id, not starting with 0. */
export const newAccountId = (): string => String(randomInt(1, 10)) + pick('0123456789', 11);
