import { StoreUnavailable } from './ports/MetadataStore.js';

/**
 * Whether an error means the metadata database could not serve the request now (see
 * StoreUnavailable): `busy` when concurrent transactions kept winning, `unreachable` when it is
 * down. The wire layers answer it 503 (S3 SlowDown / ServiceUnavailable), never 500.
 */
export function storeUnavailable(err: unknown): 'unreachable' | 'busy' | undefined {
  return err instanceof StoreUnavailable ? err.reason : undefined;
}
