/**
 * Typed configuration of `sailbucket serve`, from flags and SAILBUCKET_* environment variables
 * (flags win). Everything is validated here so that start-up fails fast with one clear message.
 */
import { availableParallelism, hostname } from 'node:os';

export interface ServeOptions {
  host: string;
  port: number;
  dataDir: string;
  region: string;
  publicUrl?: string;
  baseDomains: string[];
  accountId?: string;
  rootAccessKeyId?: string;
  rootSecretAccessKey?: string;
  masterKey?: string;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** Seconds between bucket metric samples (GetBucketMetricData), 1..86400; default 300. */
  metricsIntervalSeconds: number;
  /** Seconds between deliveries of S3 server access-log objects, 1..86400; default 300. */
  accessLogIntervalSeconds: number;
  /** How often lifecycle rules are applied (`--lifecycle-interval`). */
  lifecycleIntervalSeconds: number;
  /** A lifecycle "day" in seconds: 86400, shorter only to test rules (SAILBUCKET_LIFECYCLE_DAY_SECONDS). */
  lifecycleDaySeconds: number;
  /** Seconds a request body may send nothing before it is answered RequestTimeout and cut; default 60. */
  bodyIdleTimeoutSeconds: number;
  /** Open connections the server accepts at once; more are refused (closed at once); default 4096. */
  maxConnections: number;
  /** MiB that control-plane bodies awaiting authentication may hold at once; default 64. */
  unauthenticatedBudgetMiB: number;
  /** Bearer token `/-/metrics` asks for; unset: open to whoever reaches the listener. */
  metricsToken?: string;
  /** PEM certificate chain and private key files: the listener speaks HTTPS only (both or neither). */
  tlsCertFile?: string;
  tlsKeyFile?: string;
  /** postgres://… : metadata in PostgreSQL, shared by every node (absent: embedded SQLite). */
  metadataUrl?: string;
  /** This node's id among the nodes sharing the database and data directory (default: the host name). */
  nodeId: string;
  /** A file holding the master key (base64 or hex), read at start. */
  masterKeyFile?: string;
  /** Accept S3 Signature Version 2 (header and presigned query) from legacy tools; default false. */
  sigV2: boolean;
  /**
   * `durable` (default): a write is acknowledged once it is on disk (fsync). `relaxed`: once the
   * operating system has it (no fsync): survives a process kill, not a power loss or OS crash.
   */
  durability: Durability;
  /** Processes serving the embedded store (node:cluster workers sharing the port); default 1 (no cluster). */
  workers: number;
}

export type Durability = 'durable' | 'relaxed';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

interface FlagSpec {
  name: string;
  env: string;
  repeatable?: boolean;
}
const FLAGS: FlagSpec[] = [
  { name: 'host', env: 'SAILBUCKET_HOST' },
  { name: 'port', env: 'SAILBUCKET_PORT' },
  { name: 'data-dir', env: 'SAILBUCKET_DATA_DIR' },
  { name: 'region', env: 'SAILBUCKET_REGION' },
  { name: 'public-url', env: 'SAILBUCKET_PUBLIC_URL' },
  { name: 'base-domain', env: 'SAILBUCKET_BASE_DOMAIN', repeatable: true },
  { name: 'account-id', env: 'SAILBUCKET_ACCOUNT_ID' },
  { name: 'log-level', env: 'SAILBUCKET_LOG_LEVEL' },
  { name: 'metrics-interval', env: 'SAILBUCKET_METRICS_INTERVAL' },
  { name: 'access-log-interval', env: 'SAILBUCKET_ACCESS_LOG_INTERVAL' },
  { name: 'lifecycle-interval', env: 'SAILBUCKET_LIFECYCLE_INTERVAL' },
  { name: 'body-idle-timeout', env: 'SAILBUCKET_BODY_IDLE_TIMEOUT' },
  { name: 'max-connections', env: 'SAILBUCKET_MAX_CONNECTIONS' },
  { name: 'unauthenticated-budget', env: 'SAILBUCKET_UNAUTHENTICATED_BUDGET' },
  { name: 'metrics-token', env: 'SAILBUCKET_METRICS_TOKEN' },
  { name: 'tls-cert', env: 'SAILBUCKET_TLS_CERT' },
  { name: 'tls-key', env: 'SAILBUCKET_TLS_KEY' },
  { name: 'metadata-url', env: 'SAILBUCKET_METADATA_URL' },
  { name: 'node-id', env: 'SAILBUCKET_NODE_ID' },
  { name: 'master-key-file', env: 'SAILBUCKET_MASTER_KEY_FILE' },
  { name: 'sigv2', env: 'SAILBUCKET_SIGV2' },
  { name: 'durability', env: 'SAILBUCKET_DURABILITY' },
  { name: 'workers', env: 'SAILBUCKET_WORKERS' },
];

export const SERVE_USAGE = `Usage: sailbucket serve [options]

Options (each also read from SAILBUCKET_<NAME>, e.g. SAILBUCKET_DATA_DIR; flags win):
  --host HOST            address to listen on (default 127.0.0.1)
  --port PORT            port to listen on; 0 picks a free port (default 8080)
  --data-dir DIR         where metadata, blobs and keys live (default ./data)
  --region REGION        the region this server answers for (default us-east-1)
  --public-url URL       base URL clients use to reach the server (default http(s)://HOST:PORT)
  --base-domain DOMAIN   domain for virtual-hosted buckets, repeatable (default localhost;
                         SAILBUCKET_BASE_DOMAIN takes a comma-separated list)
  --account-id ID        12-digit account id (default: generated once, kept in the data dir)
  --log-level LEVEL      debug, info, warn or error (default info)
  --metrics-interval SECONDS
                         how often bucket size and object count are sampled for
                         GetBucketMetricData, 1 to 86400 (default 300)
  --access-log-interval SECONDS
                         how often spooled S3 server access logs are delivered
                         as log objects, 1 to 86400 (default 300)
  --lifecycle-interval SECONDS
                         how often buckets' lifecycle rules are applied,
                         1 to 86400 (default 3600)
  --body-idle-timeout SECONDS
                         a request (or its body) that sends nothing for this long is answered
                         RequestTimeout and its connection closed, 1 to 3600 (default 60)
  --max-connections N    open connections accepted at once, 1 to 1000000 (default 4096)
  --unauthenticated-budget MIB
                         memory that request bodies awaiting authentication may hold at once;
                         past it such requests get 503, 1 to 65536 (default 64)
  --metrics-token TOKEN  GET /-/metrics then needs "Authorization: Bearer TOKEN" (16 to 1024
                         visible ASCII characters; prefer SAILBUCKET_METRICS_TOKEN, flags show in ps)
  --tls-cert FILE        PEM certificate chain: with --tls-key the port speaks HTTPS only;
                         both files are read again on SIGHUP
  --tls-key FILE         PEM private key of --tls-cert
  --metadata-url URL     keep metadata in PostgreSQL (postgres://USER@HOST:5432/DB) instead of
                         <data-dir>/metadata.db; several nodes may share it and one --data-dir
                         on a shared file system (see docs/deployment.md)
  --node-id ID           this node's id, unique among live nodes (default: the host name);
                         its temporary files live under <data-dir>/blobs/tmp/ID
  --master-key-file PATH file holding the master key (base64 or hex); with --metadata-url,
                         this or SAILBUCKET_MASTER_KEY is required (the same on every node)
  --sigv2 on|off         accept S3 Signature Version 2 (\`AWS KEY:sig\` header, AWSAccessKeyId
                         query) from legacy tools; the control plane stays SigV4 (default off)
  --durability durable|relaxed
                         durable: writes are acknowledged once on disk (fsync); relaxed: once
                         the OS has them, no fsync — a process kill loses nothing, a power loss
                         or OS crash may lose recent writes; for tests and CI (default durable)
  --workers N|auto       worker processes sharing the port and the data directory, 1 to 64;
                         auto: one per CPU (default 1: one process); not with --metadata-url

Secrets come only from the environment:
  SAILBUCKET_ROOT_ACCESS_KEY_ID, SAILBUCKET_ROOT_SECRET_ACCESS_KEY   account root credentials
  SAILBUCKET_MASTER_KEY   32-byte key (base64 or hex) sealing secrets (default <data-dir>/master.key)
`;

function parseFlags(argv: string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) throw new ConfigError(`unexpected argument '${arg}' (see sailbucket serve --help)`);
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    const spec = FLAGS.find((f) => f.name === name);
    if (!spec) throw new ConfigError(`unknown option '--${name}' (see sailbucket serve --help)`);
    const value: string | undefined = eq === -1 ? argv[++i] : arg.slice(eq + 1);
    if (value === undefined || (eq === -1 && value.startsWith('--')))
      throw new ConfigError(`option '--${name}' needs a value`);
    const list = out.get(name) ?? [];
    if (list.length > 0 && !spec.repeatable) throw new ConfigError(`option '--${name}' is given more than once`);
    list.push(value);
    out.set(name, list);
  }
  return out;
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

export function parseServeOptions(argv: string[], env: NodeJS.ProcessEnv): ServeOptions {
  const flags = parseFlags(argv);
  const get = (name: string): string | undefined => {
    const spec = FLAGS.find((f) => f.name === name)!;
    const fromFlag = flags.get(name);
    if (fromFlag) return fromFlag[fromFlag.length - 1];
    const fromEnv = env[spec.env];
    return fromEnv === undefined || fromEnv === '' ? undefined : fromEnv;
  };

  const host = get('host') ?? '127.0.0.1';
  const portText = get('port') ?? '8080';
  if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535)
    throw new ConfigError(`invalid port '${portText}': expected a number from 0 to 65535`);
  const region = get('region') ?? 'us-east-1';
  if (!REGION.test(region)) throw new ConfigError(`invalid region '${region}': expected a name like us-east-1`);

  const publicUrl = get('public-url');
  if (publicUrl !== undefined) {
    let u: URL;
    try {
      u = new URL(publicUrl);
    } catch {
      throw new ConfigError(`invalid public URL '${publicUrl}'`);
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:')
      throw new ConfigError(`invalid public URL '${publicUrl}': use http or https`);
  }

  const domainValues =
    flags.get('base-domain') ?? (env.SAILBUCKET_BASE_DOMAIN ? env.SAILBUCKET_BASE_DOMAIN.split(',') : ['localhost']);
  const baseDomains = domainValues.map((d) => d.trim().toLowerCase()).filter((d) => d !== '');
  for (const d of baseDomains) if (!DOMAIN.test(d)) throw new ConfigError(`invalid base domain '${d}'`);

  const accountId = get('account-id');
  if (accountId !== undefined && !/^\d{12}$/.test(accountId))
    throw new ConfigError(`invalid account id '${accountId}': expected 12 digits`);

  const logLevel = (get('log-level') ?? 'info') as ServeOptions['logLevel'];
  if (!['debug', 'info', 'warn', 'error'].includes(logLevel))
    throw new ConfigError(`invalid log level '${logLevel}': expected debug, info, warn or error`);

  const metricsText = get('metrics-interval') ?? '300';
  const metricsIntervalSeconds = Number(metricsText);
  if (!/^\d{1,5}$/.test(metricsText) || metricsIntervalSeconds < 1 || metricsIntervalSeconds > 86400) {
    throw new ConfigError(
      `invalid metrics interval '${metricsText}': expected a whole number of seconds from 1 to 86400`,
    );
  }

  const accessLogIntervalSeconds = wholeNumber(
    get('access-log-interval') ?? '300',
    'access log interval',
    1,
    86400,
    'seconds',
  );
  const lifecycleIntervalSeconds = wholeNumber(
    get('lifecycle-interval') ?? '3600',
    'lifecycle interval',
    1,
    86400,
    'seconds',
  );
  const lifecycleDaySeconds = wholeNumber(
    env.SAILBUCKET_LIFECYCLE_DAY_SECONDS ?? '86400',
    'lifecycle day (SAILBUCKET_LIFECYCLE_DAY_SECONDS)',
    1,
    86400,
    'seconds',
  );
  const bodyIdleTimeoutSeconds = wholeNumber(get('body-idle-timeout') ?? '60', 'body idle timeout', 1, 3600, 'seconds');
  const unauthenticatedBudgetMiB = wholeNumber(
    get('unauthenticated-budget') ?? '64',
    'unauthenticated budget',
    1,
    65536,
    'MiB',
  );
  const maxConnections = wholeNumber(get('max-connections') ?? '4096', 'connection limit', 1, 1_000_000, 'connections');

  const metricsToken = get('metrics-token');
  if (metricsToken !== undefined && !/^[\x21-\x7e]{16,1024}$/.test(metricsToken))
    throw new ConfigError('invalid metrics token: expected 16 to 1024 visible ASCII characters (no spaces)');
  const tlsCertFile = get('tls-cert');
  const tlsKeyFile = get('tls-key');
  if ((tlsCertFile === undefined) !== (tlsKeyFile === undefined))
    throw new ConfigError(
      'give both --tls-cert and --tls-key (or SAILBUCKET_TLS_CERT and SAILBUCKET_TLS_KEY), or neither',
    );
  const metadataUrl = get('metadata-url');
  if (metadataUrl !== undefined) checkMetadataUrl(metadataUrl);
  const nodeId = get('node-id') ?? hostname();
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/.test(nodeId))
    throw new ConfigError(
      `invalid node id '${nodeId}': expected 1 to 63 characters of letters, digits, '.', '_' and '-' (give one with --node-id)`,
    );
  const masterKeyFile = get('master-key-file');
  if (masterKeyFile !== undefined && env.SAILBUCKET_MASTER_KEY)
    throw new ConfigError('set SAILBUCKET_MASTER_KEY or --master-key-file, not both');
  if (metadataUrl !== undefined && masterKeyFile === undefined && !env.SAILBUCKET_MASTER_KEY)
    throw new ConfigError(
      'with --metadata-url every node must use the same master key: give it with --master-key-file PATH or SAILBUCKET_MASTER_KEY',
    );
  const sigV2Text = (get('sigv2') ?? 'off').toLowerCase();
  if (sigV2Text !== 'on' && sigV2Text !== 'off')
    throw new ConfigError(`invalid sigv2 '${sigV2Text}': expected on or off`);
  const durability = (get('durability') ?? 'durable').toLowerCase();
  if (durability !== 'durable' && durability !== 'relaxed')
    throw new ConfigError(
      `invalid durability '${durability.slice(0, 40)}' (--durability / SAILBUCKET_DURABILITY): expected durable or relaxed`,
    );

  const workers = parseWorkers(get('workers') ?? '1');
  if (workers > 1 && metadataUrl !== undefined)
    throw new ConfigError(
      '--workers above 1 is for the embedded store; with --metadata-url run several nodes instead (docs/deployment.md)',
    );

  const rootAccessKeyId = env.SAILBUCKET_ROOT_ACCESS_KEY_ID || undefined;
  const rootSecretAccessKey = env.SAILBUCKET_ROOT_SECRET_ACCESS_KEY || undefined;
  if ((rootAccessKeyId === undefined) !== (rootSecretAccessKey === undefined)) {
    throw new ConfigError('set both SAILBUCKET_ROOT_ACCESS_KEY_ID and SAILBUCKET_ROOT_SECRET_ACCESS_KEY, or neither');
  }
  if (rootAccessKeyId !== undefined && !/^[A-Z0-9]{16,128}$/.test(rootAccessKeyId)) {
    throw new ConfigError('malformed SAILBUCKET_ROOT_ACCESS_KEY_ID: expected 16 to 128 characters of A-Z and 0-9');
  }
  if (rootSecretAccessKey !== undefined && !/^[A-Za-z0-9+/=]{16,128}$/.test(rootSecretAccessKey)) {
    throw new ConfigError(
      'malformed SAILBUCKET_ROOT_SECRET_ACCESS_KEY: expected 16 to 128 characters of A-Z, a-z, 0-9, +, / and =',
    );
  }

  return {
    host,
    port: Number(portText),
    dataDir: get('data-dir') ?? './data',
    region,
    publicUrl,
    baseDomains,
    accountId,
    rootAccessKeyId,
    rootSecretAccessKey,
    masterKey: env.SAILBUCKET_MASTER_KEY || undefined,
    logLevel,
    metricsIntervalSeconds,
    accessLogIntervalSeconds,
    lifecycleIntervalSeconds,
    lifecycleDaySeconds,
    bodyIdleTimeoutSeconds,
    maxConnections,
    unauthenticatedBudgetMiB,
    metricsToken,
    tlsCertFile,
    tlsKeyFile,
    metadataUrl,
    nodeId,
    masterKeyFile,
    sigV2: sigV2Text === 'on',
    durability,
    workers,
  };
}

/** `--workers`: a count, or `auto` (one per CPU the process may use). */
function parseWorkers(text: string): number {
  if (text.toLowerCase() === 'auto') return Math.min(64, Math.max(1, availableParallelism()));
  const n = Number(text);
  if (!/^\d{1,2}$/.test(text) || n < 1 || n > 64)
    throw new ConfigError(`invalid worker count '${text.slice(0, 20)}': expected a whole number from 1 to 64, or auto`);
  return n;
}

/** A PostgreSQL connection URL (the password, if any, is never repeated in the message). */
export function checkMetadataUrl(text: string): void {
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw new ConfigError('invalid metadata URL: expected postgres://USER@HOST:5432/DATABASE');
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:')
    throw new ConfigError(`invalid metadata URL scheme '${u.protocol}': expected postgres://USER@HOST:5432/DATABASE`);
  if (u.hostname === '' && !u.searchParams.has('host'))
    throw new ConfigError('invalid metadata URL: it names no host (postgres://USER@HOST:5432/DATABASE)');
}

function wholeNumber(text: string, what: string, min: number, max: number, unit: string): number {
  const n = Number(text);
  if (!/^\d{1,7}$/.test(text) || n < min || n > max)
    throw new ConfigError(`invalid ${what} '${text}': expected a whole number of ${unit} from ${min} to ${max}`);
  return n;
}
