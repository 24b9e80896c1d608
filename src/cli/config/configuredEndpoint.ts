/**
 * The endpoint configured outside the command line, by the AWS SDKs' rules for service-specific
 * endpoints: AWS_ENDPOINT_URL_LIGHTSAIL, AWS_ENDPOINT_URL, the profile's `services` section
 * (`lightsail = \n endpoint_url = ...`), then the profile's `endpoint_url`; none of them when
 * AWS_IGNORE_CONFIGURED_ENDPOINT_URLS / ignore_configured_endpoint_urls is true.
 * (The SDK applies these rules only to the AWS_PROFILE profile, not to a client's `profile`
 * option, so the CLI resolves them itself for --profile and hands the SDK the result.)
 */
type Section = Record<string, string | undefined>;

const truthy = (v: string | undefined): boolean => v !== undefined && v.trim().toLowerCase() === 'true';

export function configuredEndpoint(
  env: Record<string, string | undefined>,
  profile: Section | undefined,
  configFile: Record<string, Section>,
): { url?: string; from?: string } {
  if (truthy(env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS) || truthy(profile?.ignore_configured_endpoint_urls)) return {};
  if (env.AWS_ENDPOINT_URL_LIGHTSAIL)
    return { url: env.AWS_ENDPOINT_URL_LIGHTSAIL, from: 'AWS_ENDPOINT_URL_LIGHTSAIL' };
  if (env.AWS_ENDPOINT_URL) return { url: env.AWS_ENDPOINT_URL, from: 'AWS_ENDPOINT_URL' };
  if (profile?.services) {
    const section = configFile[`services.${profile.services}`];
    if (!section)
      throw new Error(
        `The services section "${profile.services}" named by the profile is not in the shared config file`,
      );
    const url = section['lightsail.endpoint_url'];
    if (url) return { url, from: `[services ${profile.services}] lightsail.endpoint_url` };
  }
  if (profile?.endpoint_url) return { url: profile.endpoint_url, from: 'endpoint_url in the profile' };
  return {};
}
