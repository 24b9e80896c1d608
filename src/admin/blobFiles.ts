import { join } from 'node:path';
import { blobIdPattern, fanOut } from '../store/blob/fs/blobPaths.js';

/** Path of a blob's file under a file-system blob store root (`<root>/blobs/<h1>/<h2>/<id>`). */
export function blobFile(root: string, blobId: string): string {
  if (!blobIdPattern.test(blobId)) throw new Error(`malformed blob id in the metadata: ${JSON.stringify(blobId)}`);
  return join(root, 'blobs', ...fanOut(blobId), blobId);
}
