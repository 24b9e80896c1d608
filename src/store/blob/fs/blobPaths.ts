/** Blob ids are newOpaqueId(): 32 base64url characters. Anything else is refused before touching a path. */
export const blobIdPattern = /^[A-Za-z0-9_-]{32}$/;

/**
 * Two fan-out levels from the id's first two characters: `a/b/<id>`, 64 x 64 = 4096 leaf
 * directories, so a million blobs is about 250 entries per directory.
 */
export function fanOut(blobId: string): [string, string] {
  return [blobId.slice(0, 1), blobId.slice(1, 2)];
}
