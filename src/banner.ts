/**
 * The human-readable start-up banner printed on stdout after the `sailbucket listening on URL` line:
 * endpoint, region, data directory, where the operator credentials are and two copy-paste lines.
 * It never contains a secret: it names the credentials file or the environment variables only.
 */
export interface BannerFacts {
  /** The URL clients use (the public URL when set, else the bound URL). */
  endpoint: string;
  region: string;
  dataDir: string;
  accountId: string;
  /** The credentials file holding the `sailbucket` profile, when the root credentials live there. */
  credentialsFile?: string;
  /** True when the root credentials come from SAILBUCKET_ROOT_ACCESS_KEY_ID / _SECRET_ACCESS_KEY. */
  rootFromEnv: boolean;
  /** Base domains for virtual-hosted-style addressing. */
  baseDomains: string[];
  /** Set when the listener speaks HTTPS. */
  tls?: {
    certFile: string;
    validTo: string;
    /** Issued by itself: clients need the file as their CA bundle (`--ca-bundle`). */
    selfSigned: boolean;
  };
  /** `--durability relaxed`: said plainly, with what it gives up. */
  relaxed?: boolean;
}

const shellQuote = (s: string): string => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

export function startupBanner(f: BannerFacts): string[] {
  const lines = [
    `  S3 + Lightsail endpoint: ${f.endpoint}`,
    `  web console:             ${f.endpoint}/-/console/`,
    `  region:                  ${f.region}`,
    `  account:                 ${f.accountId}`,
    `  data directory:          ${f.dataDir}`,
  ];
  if (f.baseDomains.length > 0)
    lines.push(`  virtual-hosted buckets:  BUCKET.${f.baseDomains.join(', BUCKET.')} (path style always works)`);
  if (f.relaxed)
    lines.push(
      '  durability:              relaxed — writes are acknowledged before they reach the disk (no fsync): a process kill loses nothing, a power loss or OS crash can lose recent writes',
    );
  if (f.tls)
    lines.push(
      `  TLS certificate:         ${f.tls.certFile} (valid until ${f.tls.validTo}${f.tls.selfSigned ? ', self-signed' : ''}; SIGHUP reloads it)`,
    );
  // A self-signed certificate is trusted by no client until it is given as the CA bundle.
  const caBundle = f.tls?.selfSigned ? ` --ca-bundle ${shellQuote(f.tls.certFile)}` : '';
  const getBuckets = `aws lightsail get-buckets --endpoint-url ${f.endpoint} --region ${f.region}${caBundle}`;
  if (f.rootFromEnv) {
    lines.push(
      `  operator credentials:    from SAILBUCKET_ROOT_ACCESS_KEY_ID / SAILBUCKET_ROOT_SECRET_ACCESS_KEY`,
      `try it (with the same two values as AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY in your shell):`,
      `  ${getBuckets}`,
    );
  } else if (f.credentialsFile) {
    lines.push(
      `  operator credentials:    ${f.credentialsFile} (profile sailbucket)`,
      `try it:`,
      `  export AWS_SHARED_CREDENTIALS_FILE=${shellQuote(f.credentialsFile)} AWS_PROFILE=sailbucket`,
      `  ${getBuckets}`,
    );
  } else {
    lines.push(
      `  operator credentials:    sealed in ${f.dataDir}/account.json (the credentials file was removed;` +
        ` set SAILBUCKET_ROOT_* to choose new ones)`,
    );
  }
  return lines;
}
