/**
 * Confirming a failed property's mistake on redrawn cases. A mistake is named only when two
 * cases confirm it (confirmed-mistake.ts): the minimal case and redrawn ones (the same structure,
 * new values), since a minimal case is often too degenerate to tell mistakes apart, and one case
 * can fit a mistake by chance. The first case that confirmed it is shown; when no mistake is
 * confirmed twice, the minimal case is, with what differs and no cause.
 */
import type { OracleRequest, OracleResponse } from '../../shared/protocol.js';
import type { CaseVerdict, Judge } from './case-verdict.js';
import { JudgeFailed, judged } from './judged.js';
import { seededRandom } from './seeded-random.js';

/** How many redrawn cases a failed check tries, each one run in the child. */
export const REDRAWS = 4;

/** How many cases must confirm a mistake (the minimal one and redrawn ones) before a hint names it. */
export const CONFIRMATIONS = 2;

/**
 * A case with the structure of the shrunk counterexample `minimal` (its shapes, graph, axes,
 * stride, and the places of exact zeros that a convention depends on) and new values, readable
 * and of magnitudes at which the known mistakes disagree. `random` gives numbers in [0, 1) that
 * depend only on the check's seed and `attempt` (0, 1, ...), so the same seed redraws the same
 * cases. After a failure, at most REDRAWS of them confirm or refute the mistakes the cases fit.
 */
export type Redraw<C> = (minimal: C, random: () => number, attempt: number) => C;

/** What confirming needs of a property: its judge, its requests and its seed. */
export interface RedrawnProperty<C> {
  judge: Judge<C>;
  toRequest: (testCase: C) => OracleRequest;
  seed: number;
}

/** `verdict` with its diagnosis taken back: the hint says what differs, or nothing. */
function unconfirmed(verdict: CaseVerdict): CaseVerdict {
  const { diagnosis: _diagnosis, hint: _hint, differs, ...rest } = verdict;
  return { ...rest, ...(differs !== undefined ? { hint: differs, differs } : {}) };
}

/**
 * The verdict to show: that of the first case (the minimal one, then redrawn ones) that confirmed
 * the first mistake to be confirmed CONFIRMATIONS times, or else the minimal case's, without a
 * diagnosis. Redrawing stops there, after REDRAWS attempts, or when `ask` gives no answer (the
 * bound is reached, or the child crashed: what was confirmed so far stands). Each verdict comes
 * with its own case, so a hint is always shown beside a case that confirmed it.
 */
export async function confirmedVerdict<C>(
  spec: RedrawnProperty<C>,
  redraw: Redraw<C>,
  minimal: C,
  minimalVerdict: CaseVerdict,
  ask: (testCase: C) => Promise<OracleResponse | null>,
): Promise<CaseVerdict | JudgeFailed> {
  const confirmations = new Map<string, { first: CaseVerdict; count: number }>();
  const confirmedTwice = (verdict: CaseVerdict): CaseVerdict | undefined => {
    if (verdict.ok || verdict.diagnosis === undefined) return undefined;
    const seen = confirmations.get(verdict.diagnosis) ?? { first: verdict, count: 0 };
    confirmations.set(verdict.diagnosis, { ...seen, count: seen.count + 1 });
    return seen.count + 1 >= CONFIRMATIONS ? seen.first : undefined;
  };
  let shown = confirmedTwice(minimalVerdict);
  // Only another case confirms again: a redraw that repeats one is skipped.
  const tried = new Set([JSON.stringify(spec.toRequest(minimal))]);
  for (let attempt = 0; shown === undefined && attempt < REDRAWS; attempt++) {
    const redrawn = redraw(minimal, seededRandom(spec.seed, attempt), attempt);
    const key = JSON.stringify(spec.toRequest(redrawn));
    if (tried.has(key)) continue;
    tried.add(key);
    const response = await ask(redrawn);
    if (response === null) break;
    const verdict = judged(spec, redrawn, response);
    if (verdict instanceof JudgeFailed) return verdict;
    shown = confirmedTwice(markedRedrawn(verdict));
  }
  return shown ?? unconfirmed(minimalVerdict);
}

/** A redrawn case's verdict, its counterexample marked as not the smallest one (Counterexample.redrawn). */
function markedRedrawn(verdict: CaseVerdict): CaseVerdict {
  return verdict.ok || !verdict.counterexample ? verdict : { ...verdict, counterexample: { ...verdict.counterexample, redrawn: true } };
}
