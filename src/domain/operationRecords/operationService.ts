import type { MetadataStore } from '../ports/MetadataStore.js';
import type { CallerContext } from '../caller.js';
import { notFound } from '../errors.js';
import { decodeOffsetToken, encodePageToken } from '../pageToken.js';
import type { OperationRecord } from '../ports/records.js';

export const OPERATIONS_PAGE_SIZE = 200;

export interface OperationPage {
  operations: OperationRecord[];
  nextPageToken?: string;
}

/** GetOperation, GetOperations (oldest first, 200 a page) and GetOperationsForResource. */
export class OperationService {
  constructor(private readonly deps: { store: MetadataStore; pageSize?: number }) {}

  private get pageSize(): number {
    return this.deps.pageSize ?? OPERATIONS_PAGE_SIZE;
  }

  async get(caller: CallerContext, operationId: string): Promise<OperationRecord> {
    const op = await this.deps.store.read((tx) => tx.control.getOperation(caller.accountId, operationId));
    if (!op || op.region !== caller.region) {
      throw notFound('Operation', `Operation '${operationId}' does not exist in ${caller.region}.`);
    }
    return op;
  }

  async list(caller: CallerContext, opts: { pageToken?: string } = {}): Promise<OperationPage> {
    const offset = decodeOffsetToken('operations', opts.pageToken);
    const rows = await this.deps.store.read((tx) =>
      tx.control.listOperations(caller.accountId, caller.region, offset, this.pageSize + 1),
    );
    return this.page('operations', rows, offset);
  }

  /** Operations on one resource (a bucket name), oldest first. Unknown names give an empty list. */
  async listForResource(
    caller: CallerContext,
    resourceName: string,
    opts: { pageToken?: string } = {},
  ): Promise<OperationPage> {
    const kind = `operations:${resourceName}`;
    const offset = decodeOffsetToken(kind, opts.pageToken);
    const rows = await this.deps.store.read((tx) =>
      tx.control.listOperationsForResource(caller.accountId, caller.region, resourceName, offset, this.pageSize + 1),
    );
    return this.page(kind, rows, offset);
  }

  private page(kind: string, rows: OperationRecord[], offset: number): OperationPage {
    const out: OperationPage = { operations: rows.slice(0, this.pageSize) };
    if (rows.length > this.pageSize) out.nextPageToken = encodePageToken(kind, offset + this.pageSize);
    return out;
  }
}
