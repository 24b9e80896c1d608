/**
 * A MetadataStore that runs every transaction function twice, as a store may after a serialization
 * failure (PostgreSQL under SERIALIZABLE): the first run goes all the way and is then rolled back,
 * the second commits. A function that throws is not retried (its error is the answer, as in a real
 * store). `runs` counts the function's runs; reads pass through.
 */
import type { MetadataStore, MetadataTx, TxIsolation } from '../../src/domain/ports/MetadataStore.js';

const RETRY = new Error('forced retry');

export function retryingStore(inner: MetadataStore): MetadataStore & { runs: number } {
  const store = {
    runs: 0,
    async transaction<T>(fn: (tx: MetadataTx) => Promise<T>, isolation?: TxIsolation): Promise<T> {
      const counted = async (tx: MetadataTx) => {
        store.runs++;
        return fn(tx);
      };
      try {
        await inner.transaction(async (tx) => {
          await counted(tx);
          throw RETRY;
        }, isolation);
      } catch (err) {
        if (err !== RETRY) throw err;
      }
      return inner.transaction(counted, isolation);
    },
    read: <T>(fn: (tx: MetadataTx) => Promise<T>) => inner.read(fn),
    close: () => inner.close(),
  };
  return store;
}
