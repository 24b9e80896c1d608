/** GetObject: see readObject.ts. */
import type { ObjectCall, S3Handler } from '../../types.js';
import { readObject } from './readObject.js';

export const getObject: S3Handler<ObjectCall> = (call, reply) => readObject(call, reply, false);
