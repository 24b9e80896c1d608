/** Turns transport failures into the AWS CLI's messages, naming the endpoint that was tried. */
import { CliFailure } from '../errors.js';

export function networkFailure(e: unknown, endpoint: string): CliFailure | undefined {
  const err = e as { code?: string; name?: string; message?: string; cause?: { code?: string } };
  const code = err.code ?? err.cause?.code ?? '';
  if (['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', 'EPIPE'].includes(code)) {
    return new CliFailure(`Could not connect to the endpoint URL: "${endpoint}" (${code})`);
  }
  if (err.name === 'TimeoutError' || code === 'ETIMEDOUT' || /timed? ?out/i.test(err.message ?? '')) {
    const connect = /connect/i.test(err.message ?? '');
    return new CliFailure(`${connect ? 'Connect' : 'Read'} timeout on endpoint URL: "${endpoint}"`);
  }
  return undefined;
}
