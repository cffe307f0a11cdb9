/**
 * A judge's verdict on one case of a property: passed, or failed with a message, and with the
 * case shown, a confirmed mistake's diagnosis and hint, or else what differs (never a cause).
 */
import type { OracleResponse } from '../../shared/protocol.js';
import type { Counterexample } from '../result.js';

export interface CaseVerdict {
  ok: boolean;
  message?: string;
  /** The confirmed mistake's hint; without a diagnosis, what differs (never a cause). */
  hint?: string;
  /** A mistake confirmed on this very case (confirmed-mistake.ts). */
  diagnosis?: string;
  /** What differs, said without a cause: the hint when the diagnosis is not confirmed again. */
  differs?: string;
  counterexample?: Counterexample;
}

/**
 * The verdict on one answer. With `explain` false the case is only being sorted into passing
 * and failing (the sampled cases, shrinking), and a failure need not say why: no diagnosis, hint
 * or what differs. The minimal and redrawn cases are judged with it true (the default).
 */
export type Judge<C> = (testCase: C, response: OracleResponse, explain?: boolean) => CaseVerdict;

/** A failed verdict's hint: the confirmed mistake's, else what differs; `differs` is kept for checkProperty. */
export function explained(
  named: { diagnosis: string; hint: string } | undefined,
  differs: string | undefined,
): Pick<CaseVerdict, 'diagnosis' | 'hint' | 'differs'> {
  return { ...(named ?? (differs !== undefined ? { hint: differs } : {})), ...(differs !== undefined ? { differs } : {}) };
}
