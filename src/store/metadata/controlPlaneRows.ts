import type {
  AccessKeyRecord,
  AccessKeyStatus,
  BucketRecord,
  MetricSample,
  OperationRecord,
} from '../../domain/ports/records.js';
import {
  isAccessLogConfig,
  isAccessRules,
  isCorsRuleList,
  isLifecycleRuleList,
  isStringList,
  isTagList,
  parseColumn,
} from './jsonColumns.js';

/*
 * The rows of the control-plane tables (schema/controlPlane.ts of each store) and their records: one
 * shape in SQLite and PostgreSQL. JSON columns are parsed into unknown and checked (jsonColumns.ts).
 */

export interface BucketRow {
  id: string;
  account_id: string;
  region: string;
  name: string;
  bundle_id: string;
  created_at: number;
  object_versioning: BucketRecord['objectVersioning'];
  access_rules: string;
  readonly_access_accounts: string;
  access_log_config: string;
  cors: string;
  lifecycle: string;
  bundle_changed_at: number | null;
  tags: string;
}
export interface KeyRow {
  access_key_id: string;
  bucket_id: string;
  bucket_name: string;
  account_id: string;
  sealed_secret: string;
  status: AccessKeyStatus;
  created_at: number;
  last_used_date: number | null;
  last_used_region: string | null;
  last_used_service: string | null;
}
export interface OperationRow {
  id: string;
  account_id: string;
  region: string;
  resource_name: string;
  resource_type: string;
  operation_type: string;
  status: OperationRecord['status'];
  is_terminal: number;
  created_at: number;
  status_changed_at: number;
  operation_details: string | null;
  error_code: string | null;
  error_details: string | null;
}
export interface SampleRow {
  bucket_id: string;
  timestamp: number;
  bucket_size_bytes: number;
  number_of_objects: number;
}

export const BUCKET_COLUMNS = `id, account_id, region, name, bundle_id, created_at, object_versioning, access_rules,
  readonly_access_accounts, access_log_config, cors, bundle_changed_at, tags, lifecycle`;
export const KEY_SELECT = `SELECT k.access_key_id, k.bucket_id, b.name AS bucket_name, k.account_id, k.sealed_secret, k.status,
  k.created_at, k.last_used_date, k.last_used_region, k.last_used_service
  FROM access_keys k JOIN buckets b ON b.id = k.bucket_id`;
export const OP_COLUMNS = `id, account_id, region, resource_name, resource_type, operation_type, status, is_terminal,
  created_at, status_changed_at, operation_details, error_code, error_details`;

export const toBucket = (r: BucketRow): BucketRecord => ({
  id: r.id,
  accountId: r.account_id,
  region: r.region,
  name: r.name,
  bundleId: r.bundle_id,
  createdAt: r.created_at,
  objectVersioning: r.object_versioning,
  accessRules: parseColumn(r.access_rules, 'buckets.access_rules', isAccessRules),
  readonlyAccessAccounts: parseColumn(r.readonly_access_accounts, 'buckets.readonly_access_accounts', isStringList),
  accessLogConfig: parseColumn(r.access_log_config, 'buckets.access_log_config', isAccessLogConfig),
  cors: parseColumn(r.cors, 'buckets.cors', isCorsRuleList),
  bundleChangedAt: r.bundle_changed_at,
  tags: parseColumn(r.tags, 'buckets.tags', isTagList),
  lifecycle: parseColumn(r.lifecycle, 'buckets.lifecycle', isLifecycleRuleList),
});
export const toKey = (r: KeyRow): AccessKeyRecord => ({
  accessKeyId: r.access_key_id,
  bucketId: r.bucket_id,
  bucketName: r.bucket_name,
  accountId: r.account_id,
  sealedSecret: r.sealed_secret,
  status: r.status,
  createdAt: r.created_at,
  lastUsedDate: r.last_used_date,
  lastUsedRegion: r.last_used_region,
  lastUsedService: r.last_used_service,
});
export const toOperation = (r: OperationRow): OperationRecord => {
  const op: OperationRecord = {
    id: r.id,
    accountId: r.account_id,
    region: r.region,
    resourceName: r.resource_name,
    resourceType: r.resource_type,
    operationType: r.operation_type,
    status: r.status,
    isTerminal: r.is_terminal === 1,
    createdAt: r.created_at,
    statusChangedAt: r.status_changed_at,
  };
  if (r.operation_details !== null) op.operationDetails = r.operation_details;
  if (r.error_code !== null) op.errorCode = r.error_code;
  if (r.error_details !== null) op.errorDetails = r.error_details;
  return op;
};
export const toSample = (r: SampleRow): MetricSample => ({
  bucketId: r.bucket_id,
  timestamp: r.timestamp,
  bucketSizeBytes: r.bucket_size_bytes,
  numberOfObjects: r.number_of_objects,
});
