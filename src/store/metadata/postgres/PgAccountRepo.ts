import type { AccountKeyRecord, AccountRecord } from '../../../domain/ports/records.js';
import { ACCOUNT_COLUMNS, KEY_COLUMNS, toAccount, toKey, type AccountKeyRow, type AccountRow } from '../accountRows.js';
import type { AccountRepo } from '../../../domain/ports/AccountRepo.js';
import { StoreConflict } from '../../../domain/ports/ControlPlaneRepo.js';
import { one, rows, run, stmt, type Conn } from './sql.js';

const S = {
  insert: stmt(`INSERT INTO accounts (${ACCOUNT_COLUMNS}) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`),
  byId: stmt(`SELECT ${ACCOUNT_COLUMNS} FROM accounts WHERE account_id = $1`),
  byName: stmt(`SELECT account_id FROM accounts WHERE account_name = $1`),
  operator: stmt(`SELECT ${ACCOUNT_COLUMNS} FROM accounts WHERE is_operator = 1`),
  list: stmt(`SELECT ${ACCOUNT_COLUMNS} FROM accounts WHERE account_id > $1 ORDER BY account_id LIMIT $2`),
  setQuota: stmt('UPDATE accounts SET storage_quota_bytes = $1 WHERE account_id = $2'),
  deleteOperations: stmt('DELETE FROM operations WHERE account_id = $1'),
  deleteAccount: stmt('DELETE FROM accounts WHERE account_id = $1'),
  lockAccount: stmt('SELECT 1 FROM accounts WHERE account_id = $1 FOR UPDATE'),
  lockAccountUsage: stmt('SELECT 1 FROM accounts WHERE account_id = $1 FOR NO KEY UPDATE'),
  usedSlots: stmt('SELECT slot FROM account_keys WHERE account_id = $1'),
  insertKey: stmt(`INSERT INTO account_keys (access_key_id, account_id, slot, sealed_secret, created_at)
    VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`),
  keyById: stmt(`SELECT ${KEY_COLUMNS} FROM account_keys WHERE access_key_id = $1`),
  keysOf: stmt(`SELECT ${KEY_COLUMNS} FROM account_keys WHERE account_id = $1 ORDER BY created_at, slot`),
  deleteKey: stmt('DELETE FROM account_keys WHERE access_key_id = $1'),
  buckets: stmt('SELECT id, name FROM buckets WHERE account_id = $1 ORDER BY name'),
  storedBytes: stmt(`SELECT COALESCE(SUM(u.stored_bytes), 0) AS bytes
    FROM buckets b JOIN bucket_usage u ON u.bucket_id = b.id WHERE b.account_id = $1`),
};

/**
 * AccountRepo on PostgreSQL: the statements of SqliteAccountRepo on the transaction's connection.
 * Inserts that may collide use ON CONFLICT DO NOTHING (an error would abort the whole transaction)
 * and report the collision as StoreConflict; a root key insert locks the account row first, so two
 * nodes adding keys to one account at once take slots one after the other.
 *
 * `locking` (a `perKey` transaction, READ COMMITTED): storedBytes locks the account row first (to
 * commit), so quota checks of one account run one after another and each sums what the ones before
 * committed, its own writes included: concurrent writes cannot together pass the quota.
 */
export class PgAccountRepo implements AccountRepo {
  constructor(
    private readonly c: Conn,
    private readonly locking = false,
  ) {}

  async insertAccount(a: AccountRecord): Promise<void> {
    const inserted = await run(this.c, S.insert, [
      a.accountId,
      a.accountName,
      a.createdAt,
      a.isOperator ? 1 : 0,
      a.storageQuotaBytes,
    ]);
    if (inserted > 0) return;
    if (await one(this.c, S.byName, [a.accountName]))
      throw new StoreConflict('account_name_unique', `account name '${a.accountName}' is already taken`);
    throw new StoreConflict('account_id_unique', `account id '${a.accountId}' already exists`);
  }

  async getAccount(accountId: string): Promise<AccountRecord | undefined> {
    const r = await one<AccountRow>(this.c, S.byId, [accountId]);
    return r && toAccount(r);
  }

  async getOperator(): Promise<AccountRecord | undefined> {
    const r = await one<AccountRow>(this.c, S.operator, []);
    return r && toAccount(r);
  }

  async listAccounts(after: string | undefined, limit: number): Promise<AccountRecord[]> {
    return (await rows<AccountRow>(this.c, S.list, [after ?? '', limit])).map(toAccount);
  }

  async setStorageQuota(accountId: string, bytes: number | null): Promise<void> {
    await run(this.c, S.setQuota, [bytes, accountId]);
  }

  async deleteAccount(accountId: string): Promise<void> {
    await run(this.c, S.deleteOperations, [accountId]);
    await run(this.c, S.deleteAccount, [accountId]);
  }

  async insertAccountKey(k: AccountKeyRecord, maxPerAccount: number): Promise<void> {
    await run(this.c, S.lockAccount, [k.accountId]);
    const used = new Set((await rows<{ slot: number }>(this.c, S.usedSlots, [k.accountId])).map((r) => r.slot));
    let slot = 0;
    while (used.has(slot)) slot++;
    if (slot >= maxPerAccount) {
      throw new StoreConflict(
        'account_key_limit',
        `account '${k.accountId}' already has ${used.size} root access keys (limit ${maxPerAccount})`,
      );
    }
    const inserted = await run(this.c, S.insertKey, [k.accessKeyId, k.accountId, slot, k.sealedSecret, k.createdAt]);
    if (inserted > 0) return;
    if (await one(this.c, S.keyById, [k.accessKeyId]))
      throw new StoreConflict('access_key_id_unique', `access key id '${k.accessKeyId}' already exists`);
    throw new StoreConflict('account_key_limit', `account '${k.accountId}' already has ${maxPerAccount} root keys`);
  }

  async getAccountKey(accessKeyId: string): Promise<AccountKeyRecord | undefined> {
    const r = await one<AccountKeyRow>(this.c, S.keyById, [accessKeyId]);
    return r && toKey(r);
  }

  async listAccountKeys(accountId: string): Promise<AccountKeyRecord[]> {
    return (await rows<AccountKeyRow>(this.c, S.keysOf, [accountId])).map(toKey);
  }

  async deleteAccountKey(accessKeyId: string): Promise<void> {
    await run(this.c, S.deleteKey, [accessKeyId]);
  }

  async listAccountBuckets(accountId: string): Promise<{ id: string; name: string }[]> {
    return rows<{ id: string; name: string }>(this.c, S.buckets, [accountId]);
  }

  async storedBytes(accountId: string): Promise<number> {
    // A separate statement: under READ COMMITTED the sum below sees what committed while it waited.
    if (this.locking) await run(this.c, S.lockAccountUsage, [accountId]);
    return (await one<{ bytes: number }>(this.c, S.storedBytes, [accountId]))?.bytes ?? 0;
  }
}
