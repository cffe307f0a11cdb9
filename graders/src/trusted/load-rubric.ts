/**
 * Reads a rubric and checks it, against the schema (rubric.ts) and against the assignment's
 * registry of parts, so that a typo is a clear message naming the file and the field, not a wrong
 * grade: every part of the registry must be there, with exactly its checks, and nothing else.
 * Each part's title and file come from the registry.
 */
import { readFileSync } from 'node:fs';
import { partTitle, type AssignmentDefinition } from './assignment.js';
import { RubricError, rubricSchema, type RawRubric, type Rubric } from './rubric.js';

/** The problems of a schema-valid rubric against the assignment's registry, one line each. */
function registryProblems(rubric: RawRubric, assignment: AssignmentDefinition): string[] {
  const problems: string[] = [];
  const known = assignment.parts.map((p) => p.id);
  rubric.parts.forEach((p, i) => {
    const definition = assignment.parts.find((d) => d.id === p.id);
    if (!definition) {
      problems.push(`parts.${i}.id: ${assignment.name} has no part "${p.id}"${suggestion(p.id, known)}; its parts are ${known.join(', ')}`);
      return;
    }
    if (p.file !== undefined && p.file !== definition.file)
      problems.push(`parts.${i}.file: ${p.id} grades ${definition.file}, not ${p.file}`);
    const checks = (p.checks ?? []).map((c) => c.id);
    const expected = [...definition.checks];
    (p.checks ?? []).forEach((c, j) => {
      if (!expected.includes(c.id)) {
        const valid =
          expected.length === 0 ? `${p.id} has no checks to give points to` : `the checks of ${p.id} are ${expected.join(', ')}`;
        problems.push(`parts.${i}.checks.${j}.id: no check "${c.id}"${suggestion(c.id, expected)}; ${valid}`);
      }
    });
    const missing = expected.filter((id) => !checks.includes(id));
    if (missing.length > 0) problems.push(`parts.${i}.checks: ${p.id} must give points to ${missing.join(', ')} (0 is allowed)`);
    if (p.manual && definition.manualFile === undefined) problems.push(`parts.${i}.manual: ${p.id} has no text for a TA to score`);
    const byHandOnly = !definition.grade && !definition.properties;
    if (byHandOnly && p.max > 0 && !p.manual) {
      const manual = `"manual": { "points": ${p.max}, "file": "${definition.manualFile ?? definition.file}", "what": "..." }`;
      problems.push(`parts.${i}: ${p.id} is scored by a TA alone; give its points as manual (${manual})`);
    }
    if (p.manual && definition.manualFile !== undefined && p.manual.file !== definition.manualFile) {
      problems.push(`parts.${i}.manual.file: ${p.id}'s text for the TA is ${definition.manualFile}, not ${p.manual.file}`);
    }
  });
  const missing = known.filter((id) => !rubric.parts.some((p) => p.id === id));
  if (missing.length > 0)
    problems.push(
      `parts: ${missing.join(', ')} of ${assignment.name} ${missing.length === 1 ? 'is' : 'are'} missing (give max 0 to leave a part out)`,
    );
  return problems;
}

/** ' (did you mean "X"?)' for the closest of `known` to `id`, when one is close. */
function suggestion(id: string, known: readonly string[]): string {
  const distance = (a: string, b: string): number => {
    const row = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      let diagonal = row[0];
      row[0] = i;
      for (let j = 1; j <= b.length; j++) {
        const above = row[j];
        row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1));
        diagonal = above;
      }
    }
    return row[b.length];
  };
  const best = [...known].sort((a, b) => distance(id, a) - distance(id, b))[0];
  return best !== undefined && distance(id, best) <= Math.max(2, Math.floor(best.length / 3)) ? ` (did you mean "${best}"?)` : '';
}

/**
 * Reads and validates `assignment`'s rubric (or the file at `path`); the error names the file and
 * each wrong field, and for an unknown part or check id the valid ones.
 */
export function loadRubric(assignment: AssignmentDefinition, path = assignment.rubric): Rubric {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new RubricError('E_RUBRIC_UNREADABLE', `cannot read the rubric ${path}: ${(error as Error).message}`);
  }
  const parsed = rubricSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  - ${issue.path.join('.') || '(top level)'}: ${issue.message}`);
    throw new RubricError('E_RUBRIC_INVALID', `the rubric ${path} is not valid:\n${problems.join('\n')}`);
  }
  const problems = registryProblems(parsed.data, assignment);
  if (problems.length > 0) {
    const lines = problems.map((p) => `  - ${p}`).join('\n');
    throw new RubricError('E_RUBRIC_MISMATCH', `the rubric ${path} does not fit ${assignment.name}:\n${lines}`);
  }
  const parts = parsed.data.parts.map((p) => {
    const definition = assignment.parts.find((d) => d.id === p.id)!;
    return { ...p, title: partTitle(assignment, definition), file: definition.file };
  });
  return { ...parsed.data, parts };
}
