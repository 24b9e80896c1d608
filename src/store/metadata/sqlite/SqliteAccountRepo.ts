import type Database from 'better-sqlite3';
import type { AccountKeyRecord, AccountRecord } from '../../../domain/ports/records.js';
import { ACCOUNT_COLUMNS, KEY_COLUMNS, toAccount, toKey, type AccountKeyRow, type AccountRow } from '../accountRows.js';
import type { AccountRepo } from '../../../domain/ports/AccountRepo.js';
import { StoreConflict } from '../../../domain/ports/ControlPlaneRepo.js';

const constraintOf = (err: unknown): string | undefined => {
  const e = err as { code?: unknown; message?: unknown } | null;
  if (e?.code !== 'SQLITE_CONSTRAINT_UNIQUE' && e?.code !== 'SQLITE_CONSTRAINT_PRIMARYKEY') return undefined;
  return typeof e.message === 'string' ? e.message : '';
};

/** AccountRepo on better-sqlite3 (tables of schema/accounts.ts). */
export class SqliteAccountRepo implements AccountRepo {
  private readonly s;

  constructor(db: Database.Database) {
    this.s = {
      insert: db.prepare(`INSERT INTO accounts (${ACCOUNT_COLUMNS})
        VALUES (@account_id, @account_name, @created_at, @is_operator, @storage_quota_bytes)`),
      byId: db.prepare<[string], AccountRow>(`SELECT ${ACCOUNT_COLUMNS} FROM accounts WHERE account_id = ?`),
      operator: db.prepare<[], AccountRow>(`SELECT ${ACCOUNT_COLUMNS} FROM accounts WHERE is_operator = 1`),
      list: db.prepare<[string, number], AccountRow>(
        `SELECT ${ACCOUNT_COLUMNS} FROM accounts WHERE account_id > ? ORDER BY account_id LIMIT ?`,
      ),
      setQuota: db.prepare<[number | null, string]>('UPDATE accounts SET storage_quota_bytes = ? WHERE account_id = ?'),
      deleteOperations: db.prepare<[string]>('DELETE FROM operations WHERE account_id = ?'),
      deleteAccount: db.prepare<[string]>('DELETE FROM accounts WHERE account_id = ?'),
      usedSlots: db.prepare<[string], { slot: number }>('SELECT slot FROM account_keys WHERE account_id = ?'),
      insertKey: db.prepare(`INSERT INTO account_keys (access_key_id, account_id, slot, sealed_secret, created_at)
        VALUES (@access_key_id, @account_id, @slot, @sealed_secret, @created_at)`),
      keyById: db.prepare<[string], AccountKeyRow>(`SELECT ${KEY_COLUMNS} FROM account_keys WHERE access_key_id = ?`),
      keysOf: db.prepare<[string], AccountKeyRow>(
        `SELECT ${KEY_COLUMNS} FROM account_keys WHERE account_id = ? ORDER BY created_at, slot`,
      ),
      deleteKey: db.prepare<[string]>('DELETE FROM account_keys WHERE access_key_id = ?'),
      buckets: db.prepare<[string], { id: string; name: string }>(
        'SELECT id, name FROM buckets WHERE account_id = ? ORDER BY name',
      ),
      storedBytes: db.prepare<[string], { bytes: number }>(`SELECT COALESCE(SUM(u.stored_bytes), 0) AS bytes
        FROM buckets b JOIN bucket_usage u ON u.bucket_id = b.id WHERE b.account_id = ?`),
    };
  }

  async insertAccount(a: AccountRecord): Promise<void> {
    try {
      this.s.insert.run({
        account_id: a.accountId,
        account_name: a.accountName,
        created_at: a.createdAt,
        is_operator: a.isOperator ? 1 : 0,
        storage_quota_bytes: a.storageQuotaBytes,
      });
    } catch (err) {
      const m = constraintOf(err);
      if (m === undefined) throw err;
      if (m.includes('account_name'))
        throw new StoreConflict('account_name_unique', `account name '${a.accountName}' is already taken`);
      throw new StoreConflict('account_id_unique', `account id '${a.accountId}' already exists`);
    }
  }

  async getAccount(accountId: string): Promise<AccountRecord | undefined> {
    const r = this.s.byId.get(accountId);
    return r && toAccount(r);
  }

  async getOperator(): Promise<AccountRecord | undefined> {
    const r = this.s.operator.get();
    return r && toAccount(r);
  }

  async listAccounts(after: string | undefined, limit: number): Promise<AccountRecord[]> {
    return this.s.list.all(after ?? '', limit).map(toAccount);
  }

  async setStorageQuota(accountId: string, bytes: number | null): Promise<void> {
    this.s.setQuota.run(bytes, accountId);
  }

  async deleteAccount(accountId: string): Promise<void> {
    this.s.deleteOperations.run(accountId);
    this.s.deleteAccount.run(accountId);
  }

  /**
   * Takes the lowest free slot of the account; UNIQUE (account_id, slot) and CHECK (slot IN (0, 1))
   * hold the limit even without the count (a PostgreSQL repo locks the account row first).
   */
  async insertAccountKey(k: AccountKeyRecord, maxPerAccount: number): Promise<void> {
    const used = new Set(this.s.usedSlots.all(k.accountId).map((r) => r.slot));
    let slot = 0;
    while (used.has(slot)) slot++;
    if (slot >= maxPerAccount) {
      throw new StoreConflict(
        'account_key_limit',
        `account '${k.accountId}' already has ${used.size} root access keys (limit ${maxPerAccount})`,
      );
    }
    try {
      this.s.insertKey.run({
        access_key_id: k.accessKeyId,
        account_id: k.accountId,
        slot,
        sealed_secret: k.sealedSecret,
        created_at: k.createdAt,
      });
    } catch (err) {
      if (constraintOf(err) === undefined) throw err;
      if (this.s.keyById.get(k.accessKeyId))
        throw new StoreConflict('access_key_id_unique', `access key id '${k.accessKeyId}' already exists`);
      throw new StoreConflict('account_key_limit', `account '${k.accountId}' already has ${maxPerAccount} root keys`);
    }
  }

  async getAccountKey(accessKeyId: string): Promise<AccountKeyRecord | undefined> {
    const r = this.s.keyById.get(accessKeyId);
    return r && toKey(r);
  }

  async listAccountKeys(accountId: string): Promise<AccountKeyRecord[]> {
    return this.s.keysOf.all(accountId).map(toKey);
  }

  async deleteAccountKey(accessKeyId: string): Promise<void> {
    this.s.deleteKey.run(accessKeyId);
  }

  async listAccountBuckets(accountId: string): Promise<{ id: string; name: string }[]> {
    return this.s.buckets.all(accountId);
  }

  async storedBytes(accountId: string): Promise<number> {
    return this.s.storedBytes.get(accountId)?.bytes ?? 0;
  }
}
