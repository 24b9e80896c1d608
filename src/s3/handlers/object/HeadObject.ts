/** HeadObject: GetObject's headers and status without a body (errors carry no body either). */
import type { ObjectCall, S3Handler } from '../../types.js';
import { readObject } from './readObject.js';

export const headObject: S3Handler<ObjectCall> = (call, reply) => readObject(call, reply, true);
