/** The GLOBAL OPTIONS section shared by every help page. */
import { SWITCH_OPTIONS, VALUE_OPTIONS } from '../globalOptions.js';
import { wrap } from './wrap.js';

export function globalOptionsHelp(): string[] {
  const out = ['GLOBAL OPTIONS'];
  for (const [flag, doc] of Object.entries(VALUE_OPTIONS)) out.push(`       ${flag} (string)`, ...wrap(doc, 10), '');
  out.push(
    '       --generate-cli-skeleton (string)',
    ...wrap(
      'print a skeleton and send nothing: input (JSON, default), yaml-input (YAML with comments), output (a sample response, after checking the inputs)',
      10,
    ),
    '',
  );
  for (const [flag, doc] of Object.entries(SWITCH_OPTIONS)) out.push(`       ${flag} (boolean)`, ...wrap(doc, 10), '');
  return out;
}
