import type { IncomingMessage } from 'node:http';

/**
 * True when the client's connection went away (or was cut by the body idle timeout) before the
 * request body arrived whole: a failure then is the client's, not the server's, and is logged once
 * at info as `client aborted` instead of as an error.
 */
export function clientGone(req: IncomingMessage): boolean {
  return !req.complete && (req.socket === null || req.socket.destroyed);
}
