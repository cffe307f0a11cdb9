/**
 * One part, one spelling: the rubric id is canonical, and what the student sees elsewhere is made
 * from it or checked against it: the page title comes from the registry, the child's folder from
 * the id's question, and the skeleton's "not implemented" texts and the public tests' names must
 * start as the registry's titles and ids do.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assignment } from '../../src/assignments/assignment-11/index.js';
import { partTitle } from '../../src/trusted/assignment.js';
import { ROOT } from '../cli/run-grade.js';

const titles = assignment.parts.map((part) => partTitle(assignment, part));

describe('the spellings of a part', () => {
  it('every "not implemented" text of the skeleton begins a registry title', () => {
    const labels = ['src', 'answers'].flatMap((folder) =>
      readdirSync(join(ROOT, 'reference', folder)).flatMap((file) =>
        [...readFileSync(join(ROOT, 'reference', folder, file), 'utf8').matchAll(/\/\/ BEGIN SOLUTION (.+)$/gm)].map((m) => m[1].trim()),
      ),
    );
    expect(labels.length).toBeGreaterThan(8);
    for (const label of labels)
      expect(
        titles.some((title) => title === label || title.startsWith(`${label} `)),
        label,
      ).toBe(true);
  });

  it("every public test of a part is named after the part's question, and every code part has one", () => {
    const names = readdirSync(join(ROOT, 'reference', 'test'))
      .filter((file) => file.endsWith('.test.ts'))
      .flatMap((file) =>
        [...readFileSync(join(ROOT, 'reference', 'test', file), 'utf8').matchAll(/^describe\('([^']+)'/gm)].map((m) => m[1]),
      );
    const questions = new Set(assignment.parts.map((part) => part.id.split('.')[0]));
    for (const name of names.filter((n) => !n.startsWith('Given:'))) expect(questions.has(name.split(' ')[0]), name).toBe(true);
    for (const part of assignment.parts.filter((p) => p.id.includes('.') && p.id.startsWith('Q1b'))) {
      expect(names, part.id).toContain(part.id.replace('.', ' '));
    }
  });

  it("runs each question's parts in one folder of the child, named after the question", () => {
    for (const part of assignment.parts.filter((p) => p.bundle))
      expect(part.bundle!.name, part.id).toBe(part.id.split('.')[0].toLowerCase());
  });
});
