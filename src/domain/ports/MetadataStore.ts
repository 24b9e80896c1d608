import type { ControlPlaneRepo } from './ControlPlaneRepo.js';
import type { ObjectIndexRepo } from './ObjectIndexRepo.js';

/**
 * The metadata store: async and transactional. Everything that must hold together
 * (a bucket and its operation record, the two-key limit, an object row and the blobs it frees)
 * happens inside one `transaction`. Implementations: SQLite (embedded default) and, later,
 * PostgreSQL; both must pass the contract suite in test/store/metadataContract.ts.
 *
 * A transaction function must only touch the store through `tx` and must not do other I/O
 * (no blob writes, no network): keep transactions short.
 */
export interface MetadataTx {
  readonly control: ControlPlaneRepo;
  readonly objects: ObjectIndexRepo;
}

export interface MetadataStore {
  /** Runs `fn` in one serializable transaction; commits when it resolves, rolls back when it throws. */
  transaction<T>(fn: (tx: MetadataTx) => Promise<T>): Promise<T>;
  /** Read-only convenience: runs `fn` in a transaction that is never committed with changes. */
  read<T>(fn: (tx: MetadataTx) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
