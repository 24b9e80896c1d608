/** Options every command accepts, wherever they appear on the line (as in the AWS CLI). */
import { UsageError } from './errors.js';

export interface GlobalOptions {
  endpointUrl?: string;
  region?: string;
  profile?: string;
  output?: string;
  query?: string;
  noPaginate: boolean;
  pageSize?: number;
  maxItems?: number;
  startingToken?: string;
  readTimeoutSeconds?: number;
  connectTimeoutSeconds?: number;
  debug: boolean;
  noCliPager: boolean;
  color: 'on' | 'off' | 'auto';
  cliInputJson?: string;
  cliInputYaml?: string;
  /** set when --generate-cli-skeleton was given */
  skeleton?: 'input' | 'yaml-input' | 'output';
  help: boolean;
}

export const OUTPUT_FORMATS = ['json', 'yaml', 'yaml-stream', 'text', 'table'] as const;
export const SKELETON_KINDS = ['input', 'yaml-input', 'output'] as const;

/** flags that take one value */
export const VALUE_OPTIONS: Record<string, string> = {
  '--endpoint-url': 'URL to send the request to instead of the one resolved from the configuration',
  '--region': 'region to use (overrides AWS_REGION and the profile)',
  '--profile': 'named profile from the shared credentials/config files',
  '--output': `output format: ${OUTPUT_FORMATS.join(', ')}`,
  '--query': 'JMESPath expression applied to the response before formatting',
  '--page-size': 'items requested per call while paginating',
  '--max-items': 'total items to print across pages; prints NextToken to continue',
  '--starting-token': 'NextToken from a previous --max-items run',
  '--cli-read-timeout': 'seconds to wait for a response (0 = forever; default 60)',
  '--cli-connect-timeout': 'seconds to wait for a connection (0 = forever; default 60)',
  '--color': 'on, off or auto',
  '--cli-input-json': 'input members as JSON (inline or file://path)',
  '--cli-input-yaml': 'input members as YAML (inline or file://path)',
};

/** flags that take no value */
export const SWITCH_OPTIONS: Record<string, string> = {
  '--no-paginate': 'make one call only, without following nextPageToken',
  '--debug': 'log requests and responses to stderr (never credentials or Authorization)',
  '--no-cli-pager': 'do not use a pager (sailbucket never pages; accepted for compatibility)',
  '--help': 'show help',
};

export function emptyGlobals(): GlobalOptions {
  return { noPaginate: false, debug: false, noCliPager: false, color: 'auto', help: false };
}

const positiveInt = (flag: string, v: string): number => {
  if (!/^\d+$/.test(v) || Number(v) < 1) throw new UsageError(`argument ${flag}: '${v}' is not a positive integer`);
  return Number(v);
};
const seconds = (flag: string, v: string): number => {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n < 0)
    throw new UsageError(`argument ${flag}: '${v}' is not a number of seconds`);
  return n;
};

export function applyValueOption(g: GlobalOptions, flag: string, v: string): void {
  switch (flag) {
    case '--endpoint-url':
      if (!/^https?:\/\/[^/]/.test(v))
        throw new UsageError(
          `Bad value for --endpoint-url "${v}": scheme is missing. Must be of the form http://<hostname>/ or https://<hostname>/`,
        );
      g.endpointUrl = v;
      return;
    case '--region':
      g.region = v;
      return;
    case '--profile':
      g.profile = v;
      return;
    case '--output':
      if (!(OUTPUT_FORMATS as readonly string[]).includes(v))
        throw new UsageError(
          `argument --output: Invalid choice '${v}', valid choices are: ${OUTPUT_FORMATS.join(', ')}`,
        );
      g.output = v;
      return;
    case '--query':
      g.query = v;
      return;
    case '--page-size':
      g.pageSize = positiveInt(flag, v);
      return;
    case '--max-items':
      g.maxItems = positiveInt(flag, v);
      return;
    case '--starting-token':
      g.startingToken = v;
      return;
    case '--cli-read-timeout':
      g.readTimeoutSeconds = seconds(flag, v);
      return;
    case '--cli-connect-timeout':
      g.connectTimeoutSeconds = seconds(flag, v);
      return;
    case '--color':
      if (v !== 'on' && v !== 'off' && v !== 'auto')
        throw new UsageError(`argument --color: Invalid choice '${v}', valid choices are: on, off, auto`);
      g.color = v;
      return;
    case '--cli-input-json':
      g.cliInputJson = v;
      return;
    case '--cli-input-yaml':
      g.cliInputYaml = v;
      return;
  }
}

export function applySwitch(g: GlobalOptions, flag: string): void {
  if (flag === '--no-paginate') g.noPaginate = true;
  else if (flag === '--debug') g.debug = true;
  else if (flag === '--no-cli-pager') g.noCliPager = true;
  else if (flag === '--help') g.help = true;
}
