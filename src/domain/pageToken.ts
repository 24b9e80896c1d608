import { invalidInput } from './errors.js';

/**
 * Opaque page tokens: base64url of a tagged value, so clients cannot mistake them for names
 * or offsets and a token from one listing is refused by another.
 */
export function encodePageToken(kind: string, value: string | number): string {
  return Buffer.from(JSON.stringify([kind, value]), 'utf8').toString('base64url');
}

function decode(kind: string, token: string): unknown {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === 2 && parsed[0] === kind) return parsed[1];
  } catch {
    // fall through to the error below
  }
  throw invalidInput(`pageToken '${token}' is not a valid page token for this listing`, 'invalid_page_token');
}

export function decodeOffsetToken(kind: string, token: string | undefined): number {
  if (token === undefined || token === '') return 0;
  const v = decode(kind, token);
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
    throw invalidInput(`pageToken '${token}' is not a valid page token for this listing`, 'invalid_page_token');
  }
  return v;
}

export function decodeNameToken(kind: string, token: string | undefined): string | undefined {
  if (token === undefined || token === '') return undefined;
  const v = decode(kind, token);
  if (typeof v !== 'string')
    throw invalidInput(`pageToken '${token}' is not a valid page token for this listing`, 'invalid_page_token');
  return v;
}
