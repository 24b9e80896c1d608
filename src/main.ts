/**
 * Process entry: `sailbucket serve ...` starts the server; `backup`, `verify` and `rotate-master-key` are
 * operator commands on a data directory (src/admin/); anything else is the CLI client.
 * Imports are lazy so that `--help` and skeletons start fast.
 */
import type { Io } from './cli/io.js';

export async function main(
  argv: string[],
  io: Io = { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() },
): Promise<number | undefined> {
  if (argv[0] === 'serve') {
    const { runServe } = await import('./cli/serve.js');
    return runServe(argv.slice(1), io);
  }
  if (argv[0] === 'migrate') {
    const { runMigrate } = await import('./migrate.js');
    return runMigrate(argv.slice(1), io);
  }
  if (argv[0] === 'metadata') {
    const { runMetadataCopy } = await import('./metadataCopy.js');
    return runMetadataCopy(argv.slice(1), io);
  }
  if (argv[0] === 'backup' || argv[0] === 'verify' || argv[0] === 'rotate-master-key') {
    const { runAdminCommand } = await import('./admin/command.js');
    return runAdminCommand(argv[0], argv.slice(1), io);
  }
  const { runCli } = await import('./cli/index.js');
  return runCli(argv, io);
}
