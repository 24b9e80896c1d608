import type { AccessKeyRecord } from '../../domain/ports/records.js';
import type { AccessKey } from '../../generated/lightsail.js';

/** Before a key is first used, Lightsail reports "N/A" for region and service and no date. */
export const NOT_USED = 'N/A';

/** An `AccessKey` for GetBucketAccessKeys: never the secret; `lastUsed` always present. */
export function accessKeyView(k: AccessKeyRecord): Required<Omit<AccessKey, 'secretAccessKey'>> {
  return {
    accessKeyId: k.accessKeyId,
    status: k.status,
    createdAt: k.createdAt,
    lastUsed:
      k.lastUsedDate !== null
        ? {
            lastUsedDate: k.lastUsedDate,
            region: k.lastUsedRegion ?? NOT_USED,
            serviceName: k.lastUsedService ?? NOT_USED,
          }
        : { region: NOT_USED, serviceName: NOT_USED },
  };
}

/** The CreateBucketAccessKey answer: the one and only time the secret is shown; no `lastUsed`. */
export function newAccessKeyView(k: AccessKeyRecord, secretAccessKey: string): Required<Omit<AccessKey, 'lastUsed'>> {
  return { accessKeyId: k.accessKeyId, secretAccessKey, status: k.status, createdAt: k.createdAt };
}
