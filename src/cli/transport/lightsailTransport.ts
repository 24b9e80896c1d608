/**
 * Sends control-plane calls through `@aws-sdk/client-lightsail`, which brings the standard
 * credential chain, endpoint resolution (AWS_ENDPOINT_URL*, endpoint_url, [services]), SigV4
 * and retries. The CLI serializes the body itself from the model (so every model operation,
 * including the SailbucketAdmin extension, is sent the same way): a build-step middleware puts
 * the model's X-Amz-Target and JSON body on the SDK's request before it is signed, and a
 * deserialize-step middleware keeps the raw JSON response, which the CLI formats from the model.
 * Imported lazily: help and skeletons never load the SDK.
 */
import { Readable } from 'node:stream';
import type { CliOperation } from '../model/types.js';
import { CliFailure, ServiceError } from '../errors.js';
import { networkFailure } from './networkErrors.js';
import { redactBody, redactHeaders } from './redact.js';

export interface TransportSettings {
  region: string;
  endpointUrl?: string;
  profile?: string;
  /** milliseconds; 0 = no limit */
  readTimeoutMs: number;
  connectTimeoutMs: number;
  debug?: (line: string) => void;
}

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface LightsailTransport {
  call(op: CliOperation, wireInput: Record<string, unknown>): Promise<unknown>;
  credentials(): Promise<Credentials>;
  /** the endpoint the last request went to, e.g. `http://127.0.0.1:8080/` */
  lastEndpoint(): string | undefined;
  destroy(): void;
}

interface HttpRequestLike {
  protocol: string;
  hostname: string;
  port?: number;
  path: string;
  method: string;
  headers: Record<string, string>;
  body?: unknown;
}
interface HttpResponseLike {
  statusCode: number;
  headers: Record<string, string>;
  body: unknown;
}

async function readAll(body: unknown): Promise<Buffer> {
  if (body instanceof Uint8Array) return Buffer.from(body);
  const chunks: Buffer[] = [];
  for await (const c of body as AsyncIterable<Uint8Array | string>)
    chunks.push(typeof c === 'string' ? Buffer.from(c) : Buffer.from(c));
  return Buffer.concat(chunks);
}

/** The parts of `@aws-sdk/client-lightsail` used here; the command class is picked by operation name. */
interface SdkCommand {
  middlewareStack: {
    add<T>(
      middleware: (next: (args: unknown) => Promise<T>) => (args: { request: HttpRequestLike }) => Promise<T>,
      options: { step: 'build' | 'deserialize'; priority: 'low'; name: string },
    ): void;
  };
}
type SdkCommandClass = new (input: object) => SdkCommand;
interface SdkModule {
  LightsailClient: new (config: object) => {
    send(command: SdkCommand): Promise<unknown>;
    config: { credentials(): Promise<Credentials> };
    destroy(): void;
  };
  GetRegionsCommand: SdkCommandClass;
  [name: string]: unknown;
}

const urlOf = (r: HttpRequestLike): string => `${r.protocol}//${r.hostname}${r.port ? `:${r.port}` : ''}${r.path}`;

export async function createLightsailTransport(s: TransportSettings): Promise<LightsailTransport> {
  // The SDK warns on every run under Node 20 about its future Node 22 requirement; the SDK version is
  // pinned (package.json) to one that runs on Node 20 and a CLI user cannot act on the notice, so it
  // is off unless the user set the SDK's own switch explicitly.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  // Seen through SdkModule: the CLI's own middleware and name-picked command do not fit the SDK's generic types.
  const sdk = (await import('@aws-sdk/client-lightsail')) as unknown as SdkModule;
  const client = new sdk.LightsailClient({
    region: s.region,
    ...(s.endpointUrl ? { endpoint: s.endpointUrl } : {}),
    ...(s.profile ? { profile: s.profile } : {}),
    requestHandler: {
      connectionTimeout: s.connectTimeoutMs,
      requestTimeout: s.readTimeoutMs,
      ...(await caBundleAgent(process.env.AWS_CA_BUNDLE)),
    },
  });
  let last: string | undefined;
  const debug = s.debug;

  async function call(op: CliOperation, wireInput: Record<string, unknown>): Promise<unknown> {
    const Carrier = (sdk[`${op.name}Command`] as SdkCommandClass | undefined) ?? sdk.GetRegionsCommand;
    const command = new Carrier({});
    const body = JSON.stringify(wireInput);
    let raw: { status: number; text: string } | undefined;
    command.middlewareStack.add(
      (next: (a: unknown) => Promise<unknown>) => async (args: { request: HttpRequestLike }) => {
        args.request.headers['x-amz-target'] = op.target;
        args.request.headers['content-type'] = 'application/x-amz-json-1.1';
        args.request.headers['content-length'] = String(Buffer.byteLength(body));
        args.request.body = body;
        return next(args);
      },
      { step: 'build', priority: 'low', name: 'sailbucketModelBody' },
    );
    command.middlewareStack.add(
      (next: (a: unknown) => Promise<{ response: HttpResponseLike }>) => async (args: { request: HttpRequestLike }) => {
        last = urlOf(args.request);
        debug?.(`request: ${args.request.method} ${last} target=${op.target}`);
        debug?.(`request headers: ${JSON.stringify(redactHeaders(args.request.headers))}`);
        debug?.(`request body: ${redactBody(body)}`);
        const result = await next(args);
        const buf = await readAll(result.response.body);
        raw = { status: result.response.statusCode, text: buf.toString('utf8') };
        debug?.(`response: ${raw.status} ${JSON.stringify(redactHeaders(result.response.headers))}`);
        debug?.(`response body: ${redactBody(raw.text)}`);
        result.response.body = Readable.from([buf]);
        return result;
      },
      { step: 'deserialize', priority: 'low', name: 'sailbucketRawResponse' },
    );
    try {
      await client.send(command);
    } catch (e) {
      // a 2xx answer the SDK's own deserializer disliked is still the model's answer: use it
      if (!(raw && raw.status < 300))
        throw await toCliError(e, op, last ?? s.endpointUrl ?? '(endpoint not resolved)', raw);
      debug?.(`the SDK could not deserialize the ${raw.status} response (${(e as Error).message}); using the raw JSON`);
    }
    if (!raw) throw new CliFailure(`no response was received from ${last ?? 'the endpoint'} for ${op.name}`);
    if (raw.text.trim() === '') return {};
    try {
      const answer: unknown = JSON.parse(raw.text);
      return answer;
    } catch {
      throw new CliFailure(`the response from ${last} to ${op.name} is not JSON: ${raw.text.slice(0, 200)}`);
    }
  }

  return {
    call,
    credentials: async () => {
      try {
        const c = await client.config.credentials();
        return { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken };
      } catch (e) {
        throw credentialsFailure(e);
      }
    },
    lastEndpoint: () => last,
    destroy: () => client.destroy(),
  };
}

/**
 * AWS_CA_BUNDLE (as the AWS CLI reads it): a PEM file of certificate authorities trusted for HTTPS
 * endpoints instead of the default ones (e.g. a server's self-signed certificate).
 */
async function caBundleAgent(file: string | undefined): Promise<{ httpsAgent?: unknown }> {
  if (file === undefined || file === '') return {};
  const [{ readFileSync }, { Agent }] = await Promise.all([import('node:fs'), import('node:https')]);
  let ca: Buffer;
  try {
    ca = readFileSync(file);
  } catch (err) {
    throw new CliFailure(
      `cannot read the CA bundle '${file}' (AWS_CA_BUNDLE): ${(err as NodeJS.ErrnoException).code ?? String(err)}`,
    );
  }
  return { httpsAgent: new Agent({ ca, keepAlive: true }) };
}

function credentialsFailure(e: unknown): CliFailure {
  return new CliFailure(
    `Unable to locate credentials (${(e as Error).message}). Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or a profile (--profile / AWS_PROFILE) in the shared credentials file; for a local server: AWS_SHARED_CREDENTIALS_FILE=<data-dir>/credentials AWS_PROFILE=sailbucket`,
  );
}

/** A field of a JSON error body as text: strings as they are, numbers and booleans written out. */
const textOf = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;

async function toCliError(
  e: unknown,
  op: CliOperation,
  endpoint: string,
  raw: { status: number; text: string } | undefined,
): Promise<Error> {
  const err = e as { name?: string; message?: string; $metadata?: { httpStatusCode?: number }; $fault?: string };
  const status = err.$metadata?.httpStatusCode ?? raw?.status;
  if (status !== undefined && status >= 300) {
    let code = err.name ?? 'Unknown';
    let message = err.message ?? '';
    if (raw) {
      try {
        const j = JSON.parse(raw.text) as Record<string, unknown>;
        const t = textOf(j.__type) ?? textOf(j.code) ?? code;
        code = t.includes('#') ? t.slice(t.indexOf('#') + 1) : t;
        message = textOf(j.message) ?? textOf(j.Message) ?? message;
      } catch {
        message = raw.text.slice(0, 500) || message;
      }
    }
    return new ServiceError(code, op.name, message, status);
  }
  if (err.name === 'CredentialsProviderError' || /credential/i.test(err.message ?? '')) return credentialsFailure(e);
  return (
    (await networkFailure(e, endpoint)) ??
    new CliFailure(`${op.name} failed at ${endpoint}: ${err.message ?? String(e)}`)
  );
}
