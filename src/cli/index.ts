/**
 * The `sailbucket` CLI entry point: `runCli(argv, io)` → exit code. `serve` is handed to
 * `./serve.js`; everything else is a client command built from the control-plane model.
 * Help pages, skeletons and completion scripts load neither the SDK nor any network code.
 */
import { parseArgv, type FlagKinds } from './argv.js';
import { commandTable } from './commandTable.js';
import { EXIT_OTHER, EXIT_USAGE, exitCodeOf, ServiceError, UsageError } from './errors.js';
import type { CliIo } from './io.js';
import { loadModel } from './model/loadModel.js';

export type { CliIo } from './io.js';

const USAGE = `usage: sailbucket [options] <command> [parameters]
To see help text, you can run:

  sailbucket help
  sailbucket <command> help
`;

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  if (argv[0] === 'serve') {
    const { runServe } = (await import('./serve.js')) as {
      runServe: (argv: string[], io: CliIo) => Promise<number | undefined>;
    };
    return (await runServe(argv.slice(1), io)) ?? 0;
  }
  // `sailbucket get-buckets | head -1`: a closed pipe ends the output quietly, as in the AWS CLI
  io.stdout.on?.('error', (e) => {
    if (e.code !== 'EPIPE') throw e;
  });
  try {
    return await dispatch(argv, io);
  } catch (e) {
    return report(e, io);
  }
}

async function dispatch(argv: string[], io: CliIo): Promise<number> {
  const model = loadModel();
  const table = commandTable(model);
  const kinds = (command: string): FlagKinds | undefined => {
    const spec = table.get(command);
    if (!spec) return undefined;
    const switches = new Set(spec.flags.filter((f) => f.type === 'boolean').flatMap((f) => [f.flag, f.negated!]));
    return { isSwitch: (flag) => switches.has(flag) };
  };
  const line = parseArgv(argv, kinds);
  const [command, ...rest] = line.positionals;
  const wantsHelp = line.globals.help || rest[0] === 'help';

  if (command === undefined && argv.includes('--version')) {
    const { readFileSync } = await import('node:fs');
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    io.stdout.write(`sailbucket/${pkg.version} node/${process.version.slice(1)} ${process.platform}/${process.arch}\n`);
    return 0;
  }
  if (command === undefined || command === 'help') {
    if (command === 'help' && rest[0] !== undefined) return printHelpFor(rest[0], model, table, io);
    if (command === undefined && !line.globals.help)
      throw new UsageError('the following arguments are required: command');
    const { topHelp } = await import('./help/topHelp.js');
    io.stdout.write(topHelp(model));
    return 0;
  }
  if (wantsHelp) return printHelpFor(command, model, table, io);
  if (command === 'completion') {
    const { completionScript } = await import('./completion.js');
    io.stdout.write(completionScript(model, rest[0]));
    return 0;
  }
  if (command === 'rotate-bucket-access-key') {
    const { runRotate } = await import('./rotate.js');
    return runRotate(model, line, io);
  }
  const spec = table.get(command);
  if (!spec) throw unknownCommand(command, [...table.keys()]);
  if (line.globals.skeleton === 'input' || line.globals.skeleton === 'yaml-input') {
    // input skeletons need nothing but the model: skip loading the call machinery
    const { jsonInputSkeleton, yamlInputSkeleton } = await import('./skeleton.js');
    io.stdout.write(
      line.globals.skeleton === 'input'
        ? jsonInputSkeleton(model, spec.operation.input)
        : yamlInputSkeleton(model, spec.operation.input),
    );
    return 0;
  }
  const { runOperation } = await import('./runOperation.js');
  return runOperation(model, spec, line, io);
}

async function printHelpFor(
  command: string,
  model: ReturnType<typeof loadModel>,
  table: ReturnType<typeof commandTable>,
  io: CliIo,
): Promise<number> {
  if (command === 'rotate-bucket-access-key')
    return (void io.stdout.write((await import('./rotateHelp.js')).rotateHelp()), 0);
  if (command === 'backup' || command === 'verify' || command === 'rotate-master-key') {
    const { runAdminCommand } = await import('../admin/command.js');
    return runAdminCommand(command, ['--help'], io);
  }
  if (command === 'serve') {
    const { runServe } = (await import('./serve.js')) as {
      runServe: (argv: string[], io: CliIo) => Promise<number | undefined>;
    };
    return (await runServe(['--help'], io)) ?? 0;
  }
  if (command === 'completion')
    return (
      void io.stdout.write(
        'sailbucket completion bash|zsh\n\n  Prints a shell completion script. Load it with: eval "$(sailbucket completion bash)"\n',
      ),
      0
    );
  const spec = table.get(command);
  if (!spec) throw unknownCommand(command, [...table.keys()]);
  const { commandHelp } = await import('./help/commandHelp.js');
  io.stdout.write(commandHelp(model, spec));
  return 0;
}

function unknownCommand(command: string, known: string[]): UsageError {
  const all = [
    ...known,
    'serve',
    'rotate-bucket-access-key',
    'backup',
    'verify',
    'rotate-master-key',
    'completion',
    'help',
  ].sort();
  const near = all.filter((c) => c.includes(command) || command.includes(c.split('-').slice(0, 2).join('-')));
  return new UsageError(
    `argument command: Invalid choice '${command}'${near.length ? `; did you mean: ${near.slice(0, 5).join(', ')}?` : ''} Valid choices are: ${all.join(', ')}`,
  );
}

function report(e: unknown, io: CliIo): number {
  if (e instanceof UsageError) {
    const bare =
      /^(Parameter validation failed|Error parsing parameter|Invalid type for parameter|Only one --cli-input)/.test(
        e.message,
      );
    io.stderr.write(bare ? `\n${e.message}\n` : `${USAGE}\nsailbucket: error: ${e.message}\n`);
    return EXIT_USAGE;
  }
  if (e instanceof ServiceError) {
    io.stderr.write(`\n${e.message}\n`);
    return exitCodeOf(e);
  }
  const code = exitCodeOf(e);
  io.stderr.write(`\n${(e as Error)?.message ?? String(e)}\n`);
  return code === 0 ? EXIT_OTHER : code;
}
