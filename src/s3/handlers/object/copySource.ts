import { S3Error } from '../../errors.js';

/**
 * x-amz-copy-source: `[/]<bucket>/<url-encoded key>[?versionId=<id>]`. The key is percent-decoded
 * exactly once, so `a%252Fb` names the key `a%2Fb` and `a%2Fb` names `a/b`.
 */
export interface CopySource {
  bucket: string;
  key: string;
  versionId?: string;
}

/** A bad copy source: the S3 error to answer with. */
const CopySourceError = class extends S3Error {
  constructor(message: string, code: 'InvalidArgument' | 'InvalidRange' = 'InvalidArgument') {
    super(code, message);
  }
};

const COPY_RANGE = /^bytes=(\d+)-(\d+)$/;

export function parseCopySource(header: string | undefined): CopySource {
  if (header === undefined || header === '') throw new CopySourceError('x-amz-copy-source is required');
  let raw = header;
  let versionId: string | undefined;
  const q = raw.indexOf('?');
  if (q >= 0) {
    const query = raw.slice(q + 1);
    raw = raw.slice(0, q);
    for (const pair of query.split('&')) {
      const eq = pair.indexOf('=');
      const name = eq < 0 ? pair : pair.slice(0, eq);
      if (name === 'versionId') versionId = decodeOrThrow(eq < 0 ? '' : pair.slice(eq + 1), header);
      else if (name !== '')
        throw new CopySourceError(`x-amz-copy-source '${header}' has an unsupported parameter '${name}'`);
    }
    if (versionId === '') throw new CopySourceError(`x-amz-copy-source '${header}' has an empty versionId`);
  }
  if (raw.startsWith('/')) raw = raw.slice(1);
  const slash = raw.indexOf('/');
  if (slash <= 0 || slash === raw.length - 1) {
    throw new CopySourceError(`Invalid copy source '${header}': expected <bucket>/<key>`);
  }
  const bucket = decodeOrThrow(raw.slice(0, slash), header);
  const key = decodeOrThrow(raw.slice(slash + 1), header);
  return versionId === undefined ? { bucket, key } : { bucket, key, versionId };
}

function decodeOrThrow(s: string, header: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw new CopySourceError(`x-amz-copy-source '${header}' is not valid percent-encoding`);
  }
}

/** x-amz-copy-source-range: `bytes=first-last` (both required, inclusive) within the source size. */
export function parseCopySourceRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | undefined {
  if (header === undefined) return undefined;
  const m = COPY_RANGE.exec(header.trim());
  if (!m)
    throw new CopySourceError(`The x-amz-copy-source-range value '${header}' must be of the form bytes=first-last`);
  const start = Number(m[1]);
  const end = Number(m[2]);
  if (end < start || end >= size) {
    throw new CopySourceError(
      `Range specified is not valid for source object of size: ${size} (x-amz-copy-source-range '${header}')`,
      'InvalidRange',
    );
  }
  return { start, end };
}
