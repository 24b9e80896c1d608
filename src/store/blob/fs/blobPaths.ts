/** Blob ids are newOpaqueId(): 32 base64url characters. Anything else is refused before touching a path. */
export const blobIdPattern = /^[A-Za-z0-9_-]{32}$/;

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * Two fan-out levels of 16 from the id's first two characters: `blobs/a/3/<id>`. 256 leaf
 * directories keep a directory descriptor each open for fsync (DirSyncer) and hold ~4,000
 * entries per million blobs.
 */
export function fanOut(blobId: string): [string, string] {
  return [(B64URL.indexOf(blobId[0]) & 15).toString(16), (B64URL.indexOf(blobId[1]) & 15).toString(16)];
}
