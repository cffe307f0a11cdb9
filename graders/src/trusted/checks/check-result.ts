/** A property's outcome as a check result: its points, message, hint, diagnosis, counterexample and replay. */
import type { CheckResult } from '../result.js';
import type { PropertyOutcome } from './property.js';

/** Why a counterexample may not be the smallest, in the check's message. */
const shrinkingStoppedNote = (why: string): string => `shrinking stopped early, as ${why}: a smaller failing case may exist`;

/** Turns a property outcome into a check result worth `max` points. */
export function checkResult(name: string, max: number, outcome: PropertyOutcome, passedMessage: string): CheckResult {
  switch (outcome.kind) {
    case 'passed':
      return { name, passed: true, points: max, max, message: `${passedMessage} (${outcome.runs} random cases)` };
    case 'failed': {
      const v = outcome.verdict;
      return {
        name,
        passed: false,
        points: 0,
        max,
        message: `${v.message ?? 'failed'}${outcome.shrinkingStopped ? ` (${shrinkingStoppedNote(outcome.shrinkingStopped)})` : ''}`,
        ...(v.hint ? { hint: v.hint } : {}),
        ...(v.diagnosis ? { diagnosis: v.diagnosis } : {}),
        ...(v.counterexample ? { counterexample: v.counterexample } : {}),
        replay: outcome.replay,
      };
    }
    case 'not-implemented':
      return { name, passed: false, points: 0, max, message: `${outcome.part} is not implemented yet` };
    case 'aborted':
      return { name, passed: false, points: 0, max, message: outcome.outcome.reason };
    case 'grader-error':
      return { name, passed: false, points: 0, max, message: `the grader failed while judging this check: ${outcome.message}` };
  }
}
