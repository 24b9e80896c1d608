import { invalidInput } from '../errors.js';

/** The name the operator account gets when its row is first written (start-up or migration). */
export const OPERATOR_ACCOUNT_NAME = 'operator';

const ACCOUNT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function assertAccountName(name: string): void {
  if (!ACCOUNT_NAME.test(name))
    throw invalidInput(
      `Account name '${name.slice(0, 100)}' is not valid: use 1 to 64 letters, digits, dots, underscores or hyphens, starting with a letter or digit.`,
      'invalid_account_name',
    );
}
