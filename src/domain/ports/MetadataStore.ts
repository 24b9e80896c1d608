import type { AccessLogSpoolRepo } from './AccessLogSpoolRepo.js';
import type { AccountRepo } from './AccountRepo.js';
import type { ControlPlaneRepo } from './ControlPlaneRepo.js';
import type { ObjectIndexRepo } from './ObjectIndexRepo.js';

/**
 * The metadata store: async and transactional. Everything that must hold together
 * (a bucket and its operation record, the two-key limit, an object row and the blobs it frees)
 * happens inside one `transaction`. Implementations: SQLite (embedded default) and, later,
 * PostgreSQL; every implementation passes the contract suites in test/store/controlPlaneContract.ts
 * and test/store/objectIndexContract.ts (run for each backend by test/store/contracts.test.ts).
 *
 * A transaction function must only touch the store through `tx` and must not do other I/O
 * (no blob writes, no network): keep transactions short.
 *
 * **A transaction function may run more than once.** A store may roll back an attempt and run the
 * function again (PostgreSQL does on a serialization failure under SERIALIZABLE), so the function
 * must not change anything outside the store: no pushing into outer arrays, no cache invalidation,
 * no counters. It returns what it produced (blobs to free, names whose cache to drop), and the
 * caller applies those effects once, after `transaction` resolved.
 */
export interface MetadataTx {
  readonly control: ControlPlaneRepo;
  readonly accounts: AccountRepo;
  readonly objects: ObjectIndexRepo;
  readonly accessLogs: AccessLogSpoolRepo;
}

/**
 * How a write transaction is isolated from concurrent ones.
 *
 * - `serializable` (the default): as if the store ran write transactions one at a time.
 * - `perKey`: an object write (PutObject, CopyObject, DeleteObject(s), CompleteMultipartUpload,
 *   UploadPart, tagging/ACL updates, lifecycle expiry). The function reaches object rows only
 *   through `tx.objects` calls naming the key (`getObject`, `putObject`, `deleteVersion`,
 *   `setObjectTags`, `setObjectAcl`) or the upload (`getUpload`, `putPart`, `deleteUpload`), each
 *   key and upload read before it is written, plus `bucketExists` and the quota check
 *   (`accounts.getAccount`, `accounts.storedBytes`). The store serializes it against every other
 *   transaction on the same key or upload, against a deletion of the bucket, and against quota
 *   checks of the same account, but not against writers of other keys: writers of distinct keys in
 *   one bucket never fail each other (S3 never refuses them either). A store that runs writers one
 *   at a time anyway (SQLite) treats it like `serializable`.
 * - `perBucket`: like `perKey`, for a write of many keys of one bucket (a DeleteObjects of more than
 *   PER_KEY_MAX_KEYS keys): the store may serialize it against every object write in the bucket
 *   instead of holding one lock per key.
 */
export type TxIsolation = 'serializable' | 'perKey' | 'perBucket';

/** The most keys a `perKey` transaction names; a write of more is `perBucket`. */
export const PER_KEY_MAX_KEYS = 32;

export interface MetadataStore {
  /**
   * Runs `fn` in one transaction (isolated as `isolation` says, default `serializable`); commits
   * when it resolves, rolls back when it throws. `fn` may be run again after a rolled-back attempt
   * (see above); only the last run's result counts.
   */
  transaction<T>(fn: (tx: MetadataTx) => Promise<T>, isolation?: TxIsolation): Promise<T>;
  /** Read-only convenience: runs `fn` in a transaction that is never committed with changes. */
  read<T>(fn: (tx: MetadataTx) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * Thrown by a store when the database cannot serve the transaction right now: `unreachable` (it is
 * down or the connection broke; nothing was committed) or `busy` (the transaction kept failing on
 * concurrent ones past the retry budget). The planes answer 503 (S3 `ServiceUnavailable` /
 * `SlowDown`) and the client retries; the store recovers by itself when the database is back.
 */
export class StoreUnavailable extends Error {
  override readonly name = 'StoreUnavailable';
  constructor(
    readonly reason: 'unreachable' | 'busy',
    message: string,
  ) {
    super(message);
  }
}
