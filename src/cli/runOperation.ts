/** One model operation as a command: input (cli-input + flags), skeletons, validation, the call(s), output. */
import type { ParsedLine } from './argv.js';
import type { CommandSpec } from './commandTable.js';
import { loadCliInput } from './cliInput.js';
import { inputFromFlags, requireMembers } from './commandInput.js';
import { UsageError } from './errors.js';
import type { CliIo } from './io.js';
import type { CliModel } from './model/types.js';
import { applyQuery, render } from './output/format.js';
import { paginatorFor } from './paginators.js';
import { outputSkeleton, plainSkeleton, skeletonJson } from './skeleton.js';
import { validateInput } from './validateInput.js';

export async function runOperation(model: CliModel, spec: CommandSpec, line: ParsedLine, io: CliIo): Promise<number> {
  const g = line.globals;
  const op = spec.operation;
  // (input and yaml-input skeletons are printed by index.ts before this module loads)

  const doc = await loadCliInput(g, io.cwd);
  const input = { ...doc, ...inputFromFlags(model, spec, line.flags, line.positionals.slice(1), io.cwd) };
  const pag = paginatorFor(model, op);
  if (!pag && (g.pageSize !== undefined || g.maxItems !== undefined || g.startingToken !== undefined)) {
    throw new UsageError(
      `Unknown options: --page-size/--max-items/--starting-token (${spec.command} does not paginate)`,
    );
  }
  requireMembers(spec, input);
  if (op.input) validateInput(model, op.input, input);

  const color = g.color === 'on' || (g.color === 'auto' && io.stdout.isTTY === true);
  if (g.skeleton === 'output') {
    const sample = outputSkeleton(model, op.output);
    const output = g.output ?? 'json';
    if (output === 'json') io.stdout.write(skeletonJson(await applyQuery(sample, g.query)));
    else io.stdout.write(await render(plainSkeleton(sample), { output, query: g.query, title: op.name, color }));
    return 0;
  }

  const { openSession } = await import('./session.js');
  const session = await openSession(model, g, io);
  try {
    const fmt = { output: session.settings.output, query: g.query, title: op.name, color };
    const call = (i: Record<string, unknown>) => session.invoke(op, i);
    const userGaveToken = pag !== undefined && input[pag.inputToken] !== undefined;
    if (!pag || g.noPaginate || userGaveToken) {
      io.stdout.write(await render(await call(input), fmt));
      return 0;
    }
    const stream = fmt.output === 'yaml-stream';
    const { paginate } = await import('./paginate.js');
    const merged = await paginate(pag, input, call, {
      pageSize: g.pageSize,
      maxItems: g.maxItems,
      startingToken: g.startingToken,
      onPage: stream ? async (page) => void io.stdout.write(await render(page, fmt)) : undefined,
    });
    if (!stream) io.stdout.write(await render(merged, fmt));
    else if (merged.NextToken !== undefined && g.query === undefined)
      io.stdout.write(await render({ NextToken: merged.NextToken }, fmt));
    return 0;
  } finally {
    session.close();
  }
}
