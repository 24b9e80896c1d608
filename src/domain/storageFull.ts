/**
 * Whether an error means the disk (or the user's quota) is full: ENOSPC/EDQUOT from the file system,
 * SQLITE_FULL from SQLite. The wire layers answer it as a "storage full" error (S3 507 StorageFull),
 * never as a retryable 500.
 */
export function isStorageFull(err: unknown): boolean {
  const code = (err as { code?: unknown } | undefined)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT' || code === 'SQLITE_FULL';
}
