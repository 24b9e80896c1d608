/**
 * Turns transport failures into the AWS CLI's messages, naming the endpoint that was tried. A
 * scheme that does not match the server (plain HTTP to a TLS port, HTTPS to a plain one) and a
 * certificate the client does not trust each get one line that says what to change, instead of
 * "socket hang up" or OpenSSL's "wrong version number".
 */
import { connect } from 'node:tls';
import { CliFailure } from '../errors.js';

/** Node's codes for a certificate the client does not trust or that does not name the host. */
const CERTIFICATE_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** How long the probe for "does this port speak TLS?" may take. */
const PROBE_MS = 2000;

/** Whether `host:port` completes a TLS handshake (any certificate): the server speaks HTTPS. */
function speaksTls(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({
      host,
      port,
      rejectUnauthorized: false,
      servername: /^[\d.:]+$/.test(host) ? undefined : host,
    });
    const done = (yes: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(yes);
    };
    const timer = setTimeout(() => done(false), PROBE_MS);
    socket.once('secureConnect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** `scheme://host:port` of an endpoint URL, for a corrected --endpoint-url. */
const withScheme = (u: URL, scheme: 'http' | 'https'): string => `${scheme}://${u.host}`;

export async function networkFailure(e: unknown, endpoint: string): Promise<CliFailure | undefined> {
  const err = e as { code?: string; name?: string; message?: string; cause?: { code?: string } };
  const code = err.code ?? err.cause?.code ?? '';
  const message = err.message ?? '';
  let url: URL | undefined;
  try {
    url = new URL(endpoint);
  } catch {
    url = undefined;
  }
  if (
    url?.protocol === 'https:' &&
    (code === 'EPROTO' || /wrong version number|packet length too long/i.test(message))
  ) {
    return new CliFailure(
      `the endpoint "${endpoint}" does not speak TLS (it answered in plain HTTP): use --endpoint-url ${withScheme(url, 'http')}`,
    );
  }
  if (url?.protocol === 'https:' && CERTIFICATE_CODES.has(code)) {
    return new CliFailure(
      `SSL validation failed for ${endpoint}: ${message} (${code}); trust the server's CA with AWS_CA_BUNDLE=FILE or NODE_EXTRA_CA_CERTS=FILE`,
    );
  }
  if (url?.protocol === 'http:' && ['ECONNRESET', 'EPIPE'].includes(code)) {
    const port = Number(url.port || 80);
    if (await speaksTls(url.hostname.replace(/^\[|\]$/g, ''), port))
      return new CliFailure(`the endpoint "${endpoint}" speaks HTTPS: use --endpoint-url ${withScheme(url, 'https')}`);
  }
  if (['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', 'EPIPE'].includes(code)) {
    return new CliFailure(`Could not connect to the endpoint URL: "${endpoint}" (${code})`);
  }
  if (err.name === 'TimeoutError' || code === 'ETIMEDOUT' || /timed? ?out/i.test(message)) {
    const connect = /connect/i.test(message);
    return new CliFailure(`${connect ? 'Connect' : 'Read'} timeout on endpoint URL: "${endpoint}"`);
  }
  return undefined;
}
