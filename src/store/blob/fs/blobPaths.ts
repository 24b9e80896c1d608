/** Blob ids are newOpaqueId(): 32 base64url characters. Anything else is refused before touching a path. */
export const blobIdPattern = /^[A-Za-z0-9_-]{32}$/;

/** Two fan-out levels from the id's first four characters: `ab/cd`. */
export function fanOut(blobId: string): [string, string] {
  return [blobId.slice(0, 2), blobId.slice(2, 4)];
}
