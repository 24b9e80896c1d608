/**
 * The object index: objects and their versions, segments (blobs) of multipart objects,
 * multipart uploads and parts. Defined by the S3 data plane work (see docs/architecture.md).
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface ObjectIndexRepo {}
