/** Builds an operation's input from the cli-input document and the command's flags (flags win). */
import { UsageError } from './errors.js';
import { parseFlagValue } from './paramValue.js';
import type { CommandSpec } from './commandTable.js';
import type { CliModel } from './model/types.js';

export function inputFromFlags(model: CliModel, spec: CommandSpec, flags: Map<string, string[]>, extraWords: string[]): Record<string, unknown> {
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
    out[f.member] = parseFlagValue(model, f.shape, tokens, flag);
  }
  if (unknown.length) throw new UsageError(`Unknown options: ${unknown.join(', ')}`);
  return out;
}

export function requireMembers(spec: CommandSpec, input: Record<string, unknown>): void {
  const missing = spec.flags.filter((f) => f.required && (input[f.member] === undefined || input[f.member] === null)).map((f) => f.flag);
  if (missing.length) throw new UsageError(`the following arguments are required: ${missing.join(', ')}`);
}
