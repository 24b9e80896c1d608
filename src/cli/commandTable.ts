/**
 * One command per model operation, one flag per input member — computed from the model at run
 * time, so an operation that gains a member gains a flag, a help entry and a skeleton field.
 */
import { flagName, kebab } from './naming.js';
import { shapeOf, type CliModel, type CliOperation, type ShapeType } from './model/types.js';

export interface FlagSpec {
  flag: string;
  member: string;
  shape: string;
  type: ShapeType;
  required: boolean;
  doc: string;
  enum?: string[];
  /** the negated form for booleans, e.g. `--no-include-cors` */
  negated?: string;
}

export interface CommandSpec {
  command: string;
  operation: CliOperation;
  flags: FlagSpec[];
}

export function commandFor(model: CliModel, op: CliOperation): CommandSpec {
  const flags: FlagSpec[] = [];
  if (op.input) {
    const input = shapeOf(model, op.input);
    for (const m of input.members) {
      const s = shapeOf(model, m.shape);
      const flag = flagName(m.name);
      flags.push({
        flag,
        member: m.name,
        shape: m.shape,
        type: s.type,
        required: input.required.includes(m.name),
        doc: m.doc || s.doc,
        enum: s.enum,
        negated: s.type === 'boolean' ? `--no-${flag.slice(2)}` : undefined,
      });
    }
  }
  return { command: kebab(op.name), operation: op, flags };
}

export function commandTable(model: CliModel): Map<string, CommandSpec> {
  const table = new Map<string, CommandSpec>();
  for (const op of model.operations) {
    const c = commandFor(model, op);
    table.set(c.command, c);
  }
  return table;
}
