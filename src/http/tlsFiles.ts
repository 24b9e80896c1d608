/**
 * The certificate and key of an HTTPS listener, read from PEM files and checked before use: a
 * file that cannot be read, is not PEM, or a key that does not match the certificate is one clear
 * message naming the file (at start-up a configuration error; on SIGHUP a warning, and the
 * listener keeps the certificate it has).
 */
import { readFileSync } from 'node:fs';
import { createSecureContext, type SecureContextOptions } from 'node:tls';
import { X509Certificate } from 'node:crypto';

export class TlsFileError extends Error {
  override readonly name = 'TlsFileError';
}

export interface TlsFiles {
  certFile: string;
  keyFile: string;
}

export interface LoadedTls {
  options: SecureContextOptions;
  /** The leaf certificate's subject, SANs and expiry, for the log (never the key). */
  summary: { subject: string; subjectAltName?: string; validTo: string; selfSigned: boolean };
}

function read(file: string, what: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    throw new TlsFileError(`cannot read TLS ${what} '${file}': ${code || (err as Error).message}`);
  }
}

export function loadTlsFiles(files: TlsFiles): LoadedTls {
  const cert = read(files.certFile, 'certificate');
  const key = read(files.keyFile, 'key');
  if (!cert.includes('-----BEGIN CERTIFICATE-----'))
    throw new TlsFileError(
      `TLS certificate '${files.certFile}' holds no PEM certificate (-----BEGIN CERTIFICATE-----)`,
    );
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(key.toString('latin1')))
    throw new TlsFileError(`TLS key '${files.keyFile}' holds no PEM private key (-----BEGIN ... PRIVATE KEY-----)`);
  let leaf: X509Certificate;
  try {
    leaf = new X509Certificate(cert);
  } catch (err) {
    throw new TlsFileError(`TLS certificate '${files.certFile}' cannot be parsed: ${(err as Error).message}`);
  }
  const options: SecureContextOptions = { cert, key };
  try {
    // Parses the key and checks that it belongs to the certificate (OpenSSL's "key values mismatch").
    createSecureContext(options);
  } catch (err) {
    const message = (err as Error).message;
    const reason = /key values mismatch/i.test(message)
      ? `the key does not belong to the certificate '${files.certFile}'`
      : message;
    throw new TlsFileError(`TLS key '${files.keyFile}' cannot be used: ${reason}`);
  }
  return {
    options,
    summary: {
      subject: leaf.subject.replace(/\n/g, ', '),
      ...(leaf.subjectAltName ? { subjectAltName: leaf.subjectAltName } : {}),
      validTo: new Date(leaf.validTo).toISOString(),
      selfSigned: leaf.checkIssued(leaf),
    },
  };
}
