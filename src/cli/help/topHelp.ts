/** `sailbucket help` / `sailbucket --help`: what the tool is, every command, global options, configuration. */
import type { CliModel } from '../model/types.js';
import { commandTable } from '../commandTable.js';
import { globalOptionsHelp } from './globalHelp.js';
import { wrap } from './wrap.js';

export function topHelp(model: CliModel): string {
  const out = [
    'SAILBUCKET()',
    '',
    'NAME',
    '       sailbucket - self-hosted Lightsail object storage: server and client',
    '',
    'DESCRIPTION',
  ];
  out.push(
    ...wrap(
      'sailbucket serve runs the server. Every other command calls the Lightsail control plane of a Sailbucket server, with the same commands, flags and output as "aws lightsail". Credentials, region and endpoint come from where AWS tools read them: flags, AWS_* environment variables, then the shared config and credentials files.',
      7,
    ),
  );
  out.push(
    '',
    ...wrap(
      'To use the credentials that "sailbucket serve" generated: AWS_SHARED_CREDENTIALS_FILE=<data-dir>/credentials AWS_PROFILE=sailbucket sailbucket --endpoint-url http://127.0.0.1:<port> get-buckets',
      7,
    ),
  );
  out.push(
    '',
    'SYNOPSIS',
    '          sailbucket <command> [options]',
    '          sailbucket <command> help',
    '',
    'AVAILABLE COMMANDS',
  );
  const extra: [string, string][] = [
    ['serve', 'run the Sailbucket server (see sailbucket serve --help)'],
    ['rotate-bucket-access-key', 'create a new key for a bucket, check it works, then delete the old one'],
    ['backup', 'copy a data directory, also while its server runs: sailbucket backup --data-dir D --to DIR'],
    ['verify', 'check that the metadata and the blobs of a data directory agree'],
    ['rotate-master-key', 're-seal every stored secret of a data directory under a new master key'],
    ['completion', 'print a bash or zsh completion script: sailbucket completion bash|zsh'],
    ['help', 'this page; sailbucket <command> help for one command'],
  ];
  const rows: [string, string][] = [
    ...[...commandTable(model).values()].map((c): [string, string] => [c.command, c.operation.doc]),
    ...extra,
  ].sort((a, b) => a[0].localeCompare(b[0]));
  for (const [name, doc] of rows) out.push(`       o ${name}`, ...wrap(doc, 10));
  out.push(
    '',
    ...globalOptionsHelp(),
    'EXIT STATUS',
    '       0 success, 252 bad command line or input, 254 the service returned an error, 255 anything else.',
  );
  return out.join('\n') + '\n';
}
