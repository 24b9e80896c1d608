/** `sailbucket completion bash|zsh`: a completion script listing commands, their flags and enum values, from the model. */
import { commandTable } from './commandTable.js';
import { UsageError } from './errors.js';
import { SKELETON_KINDS, SWITCH_OPTIONS, VALUE_OPTIONS, OUTPUT_FORMATS } from './globalOptions.js';
import type { CliModel } from './model/types.js';
import { ROTATE_FLAGS } from './rotateHelp.js';

const q = (words: string[]): string => words.join(' ').replace(/'/g, '');

export function completionScript(model: CliModel, shell: string | undefined): string {
  if (shell !== 'bash' && shell !== 'zsh')
    throw new UsageError(
      `completion: expected 'bash' or 'zsh', got '${shell ?? ''}'. Usage: eval "$(sailbucket completion bash)"`,
    );
  const table = commandTable(model);
  const commands = [
    ...table.keys(),
    'serve',
    'rotate-bucket-access-key',
    'backup',
    'verify',
    'rotate-master-key',
    'completion',
    'help',
  ].sort();
  const globals = [...Object.keys(VALUE_OPTIONS), ...Object.keys(SWITCH_OPTIONS), '--generate-cli-skeleton'];
  const cases: string[] = [];
  const values: string[] = [];
  for (const c of table.values()) {
    const flags = c.flags.flatMap((f) => (f.negated ? [f.flag, f.negated] : [f.flag]));
    cases.push(`    ${c.command}) opts='${q(flags)}' ;;`);
    for (const f of c.flags)
      if (f.enum)
        values.push(`    ${c.command}:${f.flag}) COMPREPLY=( $(compgen -W '${q(f.enum)}' -- "$cur") ); return ;;`);
  }
  cases.push(`    rotate-bucket-access-key) opts='${q([...ROTATE_FLAGS])}' ;;`);
  cases.push(`    backup) opts='--data-dir --to --help' ;;`);
  cases.push(`    verify|rotate-master-key) opts='--data-dir --help' ;;`);
  cases.push(`    completion) COMPREPLY=( $(compgen -W 'bash zsh' -- "$cur") ); return ;;`);
  const bash = `# sailbucket ${shell} completion. Load with: eval "$(sailbucket completion ${shell})"
_sailbucket() {
  local cur prev cmd opts
  cur="\${COMP_WORDS[COMP_CWORD]}"
  prev="\${COMP_WORDS[COMP_CWORD-1]}"
  cmd="\${COMP_WORDS[1]}"
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=( $(compgen -W '${q(commands)} ${q(globals)}' -- "$cur") ); return
  fi
  case "$prev" in
    --output) COMPREPLY=( $(compgen -W '${q([...OUTPUT_FORMATS])}' -- "$cur") ); return ;;
    --generate-cli-skeleton) COMPREPLY=( $(compgen -W '${q([...SKELETON_KINDS])}' -- "$cur") ); return ;;
    --color) COMPREPLY=( $(compgen -W 'on off auto' -- "$cur") ); return ;;
    --cli-input-json|--cli-input-yaml) COMPREPLY=( $(compgen -f -P file:// -- "\${cur#file://}") ); return ;;
  esac
  case "$cmd:$prev" in
${values.join('\n')}
  esac
  opts=''
  case "$cmd" in
${cases.join('\n')}
  esac
  COMPREPLY=( $(compgen -W "$opts ${q(globals)} help" -- "$cur") )
}
complete -F _sailbucket sailbucket
`;
  return shell === 'zsh'
    ? `autoload -U +X compinit && compinit\nautoload -U +X bashcompinit && bashcompinit\n${bash}`
    : bash;
}
