/** Multipart operation handlers, by operation name (merged into the S3 handler table by src/s3/index.ts). */
import type { HandlerTable } from '../../operationTable.js';
import { abortMultipartUpload } from './AbortMultipartUpload.js';
import { completeMultipartUpload } from './CompleteMultipartUpload.js';
import { createMultipartUpload } from './CreateMultipartUpload.js';
import { listMultipartUploads } from './ListMultipartUploads.js';
import { listParts } from './ListParts.js';
import { uploadPart } from './UploadPart.js';
import { uploadPartCopy } from './UploadPartCopy.js';

export const multipartHandlers = {
  CreateMultipartUpload: createMultipartUpload,
  UploadPart: uploadPart,
  UploadPartCopy: uploadPartCopy,
  CompleteMultipartUpload: completeMultipartUpload,
  AbortMultipartUpload: abortMultipartUpload,
  ListParts: listParts,
  ListMultipartUploads: listMultipartUploads,
} as const satisfies HandlerTable;
