/**
 * PutObjectAcl: a canned ACL (x-amz-acl: private | public-read) or an AccessControlPolicy
 * document that amounts to one of them (owner FULL_CONTROL, optionally AllUsers READ).
 * Grant headers and other grants are not supported (NotImplemented names them).
 */
import type { CannedAcl } from '../../../domain/ports/objectRecords.js';
import { S3Error } from '../../errors.js';
import type { ObjectCall, S3Handler } from '../../types.js';
import { asList, asText, readBoundedBody, type XmlReader } from '../../xml.js';
import { setVersionHeader } from './objectResponseHeaders.js';
import { ALL_USERS_URI } from './objectXml.js';
import { headerValue, readCannedAcl } from './writeHeaders.js';
import { checkAclAllowed, versionIdOf } from './writeRequest.js';

export const GRANT_HEADERS = [
  'x-amz-grant-read',
  'x-amz-grant-write',
  'x-amz-grant-read-acp',
  'x-amz-grant-write-acp',
  'x-amz-grant-full-control',
];

export function aclFromPolicy(xml: XmlReader, doc: Buffer): CannedAcl {
  const root = xml.parse(doc, 'AccessControlPolicy');
  const list = root.AccessControlList;
  const grants = asList(
    typeof list === 'object' && list !== null ? (list as Record<string, unknown>).Grant : undefined,
  );
  let publicRead = false;
  for (const g of grants) {
    const el = (typeof g === 'object' && g !== null ? g : {}) as Record<string, unknown>;
    const permission = asText(el.Permission);
    const grantee = (typeof el.Grantee === 'object' && el.Grantee !== null ? el.Grantee : {}) as Record<
      string,
      unknown
    >;
    const uri = asText(grantee.URI);
    if (uri === ALL_USERS_URI && permission === 'READ') {
      publicRead = true;
      continue;
    }
    if (uri === undefined && permission === 'FULL_CONTROL') continue;
    throw new S3Error(
      'NotImplemented',
      `Sailbucket supports only the private and public-read ACLs; the grant of ${permission ?? 'no permission'} to ${uri ?? asText(grantee.ID) ?? 'an unnamed grantee'} is not supported.`,
    );
  }
  return publicRead ? 'public-read' : 'private';
}

export const putObjectAcl: S3Handler<ObjectCall> = async (call, reply) => {
  for (const h of GRANT_HEADERS) {
    if (headerValue(call.headers, h) !== undefined)
      throw new S3Error('NotImplemented', `The ${h} header is not supported: use x-amz-acl private or public-read.`);
  }
  let acl = readCannedAcl(call.headers);
  if (acl === undefined) {
    const doc = await readBoundedBody(call.body.stream);
    if (doc.length === 0)
      throw new S3Error(
        'MissingSecurityHeader',
        'Your request was missing a required header: x-amz-acl (or an AccessControlPolicy document).',
        { MissingHeaderName: 'x-amz-acl' },
      );
    acl = aclFromPolicy(call.xml, doc);
  }
  checkAclAllowed(call, acl);
  const r = await call.services.objects.putObjectAcl(call.bucket, call.key, acl, versionIdOf(call));
  setVersionHeader(reply, call.bucket, r.versionId);
  reply.empty(200);
};
