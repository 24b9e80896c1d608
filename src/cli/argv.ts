/**
 * Splits a command line into global options, the command name and the command's flags with
 * their raw values. Values are typed later, from the member shapes (`paramValue.ts`).
 */
import { UsageError } from './errors.js';
import {
  applySwitch,
  applyValueOption,
  emptyGlobals,
  SKELETON_KINDS,
  SWITCH_OPTIONS,
  VALUE_OPTIONS,
  type GlobalOptions,
} from './globalOptions.js';

export interface ParsedLine {
  globals: GlobalOptions;
  /** positional words: the command, then `help` or extra words */
  positionals: string[];
  /** command flag → raw tokens (booleans: ['true'] / ['false']) in order of appearance */
  flags: Map<string, string[]>;
}

/** What argv parsing needs to know about a command's flags. */
export interface FlagKinds {
  isSwitch(flag: string): boolean;
}

const NO_COMMAND: FlagKinds = { isSwitch: () => false };

export function parseArgv(argv: string[], kindsFor: (command: string) => FlagKinds | undefined): ParsedLine {
  const globals = emptyGlobals();
  const positionals: string[] = [];
  const flags = new Map<string, string[]>();
  let kinds: FlagKinds = NO_COMMAND;
  for (let i = 0; i < argv.length; i++) {
    const tok = argv[i];
    if (!tok.startsWith('--') || tok === '--') {
      if (positionals.length === 0) kinds = kindsFor(tok) ?? NO_COMMAND;
      positionals.push(tok);
      continue;
    }
    const eq = tok.indexOf('=');
    const flag = eq > 0 ? tok.slice(0, eq) : tok;
    const inline = eq > 0 ? tok.slice(eq + 1) : undefined;
    if (flag in VALUE_OPTIONS) {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new UsageError(`argument ${flag}: expected one argument`);
      applyValueOption(globals, flag, v);
    } else if (flag === '--version' && positionals.length === 0) {
      continue; // handled by index.ts before any command
    } else if (flag in SWITCH_OPTIONS) {
      applySwitch(globals, flag);
    } else if (flag === '--generate-cli-skeleton') {
      const next = inline ?? argv[i + 1];
      if (next !== undefined && (SKELETON_KINDS as readonly string[]).includes(next)) {
        globals.skeleton = next as GlobalOptions['skeleton'];
        if (inline === undefined) i++;
      } else if (inline !== undefined) {
        throw new UsageError(
          `argument --generate-cli-skeleton: Invalid choice '${inline}', valid choices are: ${SKELETON_KINDS.join(', ')}`,
        );
      } else {
        globals.skeleton = 'input';
      }
    } else if (kinds.isSwitch(flag)) {
      if (inline !== undefined)
        throw new UsageError(
          `argument ${flag}: takes no value (use ${flag} or --no-${flag.slice(2).replace(/^no-/, '')})`,
        );
      flags.set(flag, ['true']);
    } else {
      const values: string[] = inline !== undefined ? [inline] : [];
      while (inline === undefined && i + 1 < argv.length && !argv[i + 1].startsWith('--')) values.push(argv[++i]);
      flags.set(flag, values);
    }
  }
  return { globals, positionals, flags };
}
