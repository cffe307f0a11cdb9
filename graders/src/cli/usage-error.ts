/** A command line that cannot be run as given: an unknown option, a value that does not fit, no submissions. */
import { InputError } from '../trusted/input-error.js';

export class UsageError extends InputError {
  override name = 'UsageError';
  constructor(code: `E_USAGE_${string}`, message: string) {
    super(code, message);
  }
}
