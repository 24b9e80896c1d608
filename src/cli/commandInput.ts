/**
 * Builds an operation's input from the command's flags (they override the cli-input document).
 * As in the AWS CLI, any flag value may be `file://path` (the file's text, relative to the
 * working directory).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from './errors.js';
import { parseFlagValue } from './paramValue.js';
import type { CommandSpec } from './commandTable.js';
import type { CliModel } from './model/types.js';

function paramFile(flag: string, token: string, cwd: string): string {
  if (!token.startsWith('file://')) return token;
  try {
    return readFileSync(resolve(cwd, token.slice('file://'.length)), 'utf8').replace(/\r?\n$/, '');
  } catch (e) {
    throw new UsageError(
      `Error parsing parameter '${flag}': Unable to load paramfile ${token}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
}

export function inputFromFlags(
  model: CliModel,
  spec: CommandSpec,
  flags: Map<string, string[]>,
  extraWords: string[],
  cwd: string,
): Record<string, unknown> {
  const unknown: string[] = [...extraWords];
  const out: Record<string, unknown> = {};
  for (const [flag, tokens] of flags) {
    const f = spec.flags.find((x) => x.flag === flag || x.negated === flag);
    if (!f) {
      unknown.push(flag, ...tokens);
      continue;
    }
    if (f.type === 'boolean') {
      out[f.member] = flag === f.flag;
      continue;
    }
    if (tokens.length === 0) throw new UsageError(`argument ${flag}: expected one argument`);
    out[f.member] = parseFlagValue(
      model,
      f.shape,
      tokens.map((t) => paramFile(flag, t, cwd)),
      flag,
    );
  }
  if (unknown.length) throw new UsageError(`Unknown options: ${unknown.join(', ')}`);
  return out;
}

export function requireMembers(spec: CommandSpec, input: Record<string, unknown>): void {
  const missing = spec.flags
    .filter((f) => f.required && (input[f.member] === undefined || input[f.member] === null))
    .map((f) => f.flag);
  if (missing.length) throw new UsageError(`the following arguments are required: ${missing.join(', ')}`);
}
