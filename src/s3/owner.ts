/**
 * The S3 Owner of an account's buckets and objects: a stable 64-hex canonical id derived from
 * the account id (S3 canonical ids look like this) and the account id as display name.
 */
import { createHash } from 'node:crypto';
import type { XmlWriter } from './xml.js';

export interface S3Owner {
  id: string;
  displayName: string;
}

export function ownerOf(accountId: string): S3Owner {
  return {
    id: createHash('sha256').update(`sailbucket-canonical-user:${accountId}`).digest('hex'),
    displayName: accountId,
  };
}

/** Writes `<Owner><ID/><DisplayName/></Owner>` (or another element name, e.g. Initiator). */
export function writeOwner(w: XmlWriter, owner: S3Owner, element = 'Owner'): void {
  w.open(element).elem('ID', owner.id).elem('DisplayName', owner.displayName).close(element);
}
