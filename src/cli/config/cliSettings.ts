/**
 * Settings for one call, in the AWS order: flags, then environment variables, then the profile in
 * the shared config/credentials files (read with the SDK's own loader, `@smithy/core/config`).
 * Credentials are resolved by the SDK client itself (see lightsailTransport.ts) with --profile
 * handed to it; the endpoint is --endpoint-url or the configured one (configuredEndpoint.ts).
 */
import { CliFailure, UsageError } from '../errors.js';
import { OUTPUT_FORMATS, type GlobalOptions } from '../globalOptions.js';
import type { TimestampFormat } from '../wireValues.js';
import { configuredEndpoint } from './configuredEndpoint.js';

export interface CliSettings {
  profile?: string;
  region: string;
  endpointUrl?: string;
  output: string;
  timestampFormat: TimestampFormat;
  readTimeoutMs: number;
  connectTimeoutMs: number;
}

/** Used when no flag, variable or profile names a region (see docs/compat/cli.md). */
export const FALLBACK_REGION = 'us-east-1';
const DEFAULT_TIMEOUT_S = 60;

type Env = Record<string, string | undefined>;

export async function resolveSettings(g: GlobalOptions, env: Env): Promise<CliSettings> {
  const { loadSharedConfigFiles } = await import('@smithy/core/config');
  const explicitProfile = g.profile ?? env.AWS_PROFILE;
  const profileName = explicitProfile ?? 'default';
  let files: {
    configFile: Record<string, Record<string, string | undefined>>;
    credentialsFile: Record<string, Record<string, string | undefined>>;
  };
  try {
    files = await loadSharedConfigFiles({
      filepath: env.AWS_SHARED_CREDENTIALS_FILE,
      configFilepath: env.AWS_CONFIG_FILE,
      ignoreCache: true,
    });
  } catch (e) {
    throw new CliFailure(`cannot read the shared config/credentials files: ${(e as Error).message}`);
  }
  const config = files.configFile[profileName];
  const creds = files.credentialsFile[profileName];
  if (explicitProfile && !config && !creds) {
    throw new CliFailure(
      `The config profile (${profileName}) could not be found in ${env.AWS_CONFIG_FILE ?? '~/.aws/config'} or ${env.AWS_SHARED_CREDENTIALS_FILE ?? '~/.aws/credentials'}`,
    );
  }
  const fromProfile = (k: string): string | undefined => config?.[k] ?? creds?.[k];
  const output = g.output ?? env.AWS_DEFAULT_OUTPUT ?? fromProfile('output') ?? 'json';
  if (!(OUTPUT_FORMATS as readonly string[]).includes(output)) {
    throw new UsageError(
      `Invalid output format '${output}' (from ${g.output ? '--output' : env.AWS_DEFAULT_OUTPUT ? 'AWS_DEFAULT_OUTPUT' : `profile ${profileName}`}); valid formats are: ${OUTPUT_FORMATS.join(', ')}`,
    );
  }
  let endpoint: { url?: string; from?: string } = { url: g.endpointUrl, from: '--endpoint-url' };
  if (!g.endpointUrl) {
    try {
      endpoint = configuredEndpoint(env, config, files.configFile);
    } catch (e) {
      throw new CliFailure(`${(e as Error).message} (profile ${profileName})`);
    }
    if (endpoint.url && !/^https?:\/\/[^/]/.test(endpoint.url))
      throw new CliFailure(
        `Bad endpoint URL "${endpoint.url}" from ${endpoint.from}: must be http://<host>[:port] or https://...`,
      );
  }
  const tf = fromProfile('cli_timestamp_format') ?? 'iso8601';
  if (tf !== 'iso8601' && tf !== 'wire' && tf !== 'none')
    throw new CliFailure(`Invalid cli_timestamp_format '${tf}' in profile ${profileName}: use iso8601 or wire`);
  return {
    profile: explicitProfile,
    region: g.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? fromProfile('region') ?? FALLBACK_REGION,
    endpointUrl: endpoint.url,
    output,
    timestampFormat: tf === 'iso8601' ? 'iso8601' : 'wire',
    readTimeoutMs: Math.round(
      (g.readTimeoutSeconds ?? Number(fromProfile('cli_read_timeout') ?? DEFAULT_TIMEOUT_S)) * 1000,
    ),
    connectTimeoutMs: Math.round(
      (g.connectTimeoutSeconds ?? Number(fromProfile('cli_connect_timeout') ?? DEFAULT_TIMEOUT_S)) * 1000,
    ),
  };
}
