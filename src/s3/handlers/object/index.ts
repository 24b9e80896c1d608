/** Object operation handlers, by operation name (merged into the S3 handler table by src/s3/index.ts). */
import type { HandlerTable } from '../../operationTable.js';
import { copyObject } from './CopyObject.js';
import { deleteObject } from './DeleteObject.js';
import { deleteObjectTagging } from './DeleteObjectTagging.js';
import { getObject } from './GetObject.js';
import { getObjectAcl } from './GetObjectAcl.js';
import { getObjectAttributes } from './GetObjectAttributes.js';
import { getObjectTagging } from './GetObjectTagging.js';
import { headObject } from './HeadObject.js';
import { putObject } from './PutObject.js';
import { putObjectAcl } from './PutObjectAcl.js';
import { putObjectTagging } from './PutObjectTagging.js';

export const objectHandlers = {
  PutObject: putObject,
  GetObject: getObject,
  HeadObject: headObject,
  DeleteObject: deleteObject,
  CopyObject: copyObject,
  GetObjectAttributes: getObjectAttributes,
  PutObjectTagging: putObjectTagging,
  GetObjectTagging: getObjectTagging,
  DeleteObjectTagging: deleteObjectTagging,
  PutObjectAcl: putObjectAcl,
  GetObjectAcl: getObjectAcl,
} as const satisfies HandlerTable;
