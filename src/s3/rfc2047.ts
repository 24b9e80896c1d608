/**
 * RFC 2047 encoded-words, the form S3 carries non-ASCII user metadata (`x-amz-meta-*`) in.
 *
 * S3 decodes a metadata value made of encoded-words before storing it, and returns a stored value
 * that is not printable US-ASCII as one `=?UTF-8?B?…?=` word over its UTF-8 bytes. Any other value
 * is stored as its header bytes read as ISO-8859-1 (node's reading of a header), so `é` sent as the
 * UTF-8 bytes C3 A9 is stored as the two characters `Ã©` and comes back as their encoded word.
 */

/** One encoded-word: charset, B or Q, the encoded text. */
const WORD = /^=\?([^?\s]+)\?([BbQq])\?([^?\s]*)\?=$/;
/** Printable US-ASCII and TAB: sent as it is. */
const PLAIN = /^[\t\x20-\x7e]*$/;

const CHARSETS: Readonly<Record<string, BufferEncoding>> = {
  'utf-8': 'utf8',
  utf8: 'utf8',
  'us-ascii': 'latin1',
  'iso-8859-1': 'latin1',
  latin1: 'latin1',
};

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function decodeWord(word: string): string | undefined {
  const m = WORD.exec(word);
  if (!m) return undefined;
  const encoding = CHARSETS[m[1].toLowerCase()];
  if (encoding === undefined) return undefined;
  const text = m[3];
  let bytes: Buffer;
  if (m[2] === 'B' || m[2] === 'b') {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) return undefined;
    bytes = Buffer.from(text, 'base64');
  } else {
    if (/=(?![0-9A-Fa-f]{2})/.test(text)) return undefined;
    bytes = Buffer.from(qBytes(text.replace(/_/g, ' ')), 'latin1');
  }
  if (encoding === 'utf8') {
    try {
      return UTF8.decode(bytes);
    } catch {
      return undefined;
    }
  }
  return bytes.toString('latin1');
}

/** Q encoding's `=XX` escapes as bytes (in a Latin-1 string). */
function qBytes(text: string): string {
  return text.replace(/=([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/**
 * A received metadata value as S3 stores it: a value made only of encoded-words (whitespace between
 * them dropped, as RFC 2047 says) decoded; anything else unchanged.
 */
export function decodeMetadataValue(value: string): string {
  if (!value.startsWith('=?')) return value;
  const words = value.trim().split(/\s+/);
  let out = '';
  for (const w of words) {
    const d = decodeWord(w);
    if (d === undefined) return value;
    out += d;
  }
  return out;
}

/** A stored metadata value as S3 sends it: printable US-ASCII as it is, anything else as one encoded-word. */
export function encodeMetadataValue(value: string): string {
  return PLAIN.test(value) ? value : `=?UTF-8?B?${Buffer.from(value, 'utf8').toString('base64')}?=`;
}
