/**
 * A class as a learning-management system exports it: folders that wrap the files one level down,
 * zips (wrapped or not), an empty folder, a folder with only notes, macOS's `__MACOSX` and a stray
 * `roster.csv`, graded in one command with the right status each, "no submission" shown as such in
 * every output; and the two mistakes of the command line that such a class invites.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { variantFiles, writeSubmission } from '../../../tools/submissions/make-submission.js';
import { DEMO_VARIANTS, type Variant } from '../../../tools/submissions/variants.js';
import type { SubmissionResult } from '../../src/trusted/result.js';
import { classroomResultSchema, decodeClassroomResult, gradescopeResultsSchema } from '../integrations/format-schemas.js';
import { craftZip, type CraftedEntry } from './craft-zip.js';
import { fullMarks, pointsByPart, runGrade, type GradeRun } from './run-grade.js';

const variant = (id: string): Variant => DEMO_VARIANTS.find((v) => v.id === id)!;
/** A variant's files as zip entries under `prefix`. */
function entries(v: Variant, prefix: string): CraftedEntry[] {
  return [...variantFiles(v)].map(([file, text]) => ({ name: `${prefix}${file}`, data: Buffer.from(text) }));
}
const NO_FILES = 'no file of the assignment found: expected e.g. src/tensor.ts, answers/q3.json';
const ALL_FORMATS = 'html,csv,json,gradescope,classroom,junit,markdown';

/** The class folder, as an LMS download unpacks: see the comment on each entry. */
function exportedClass(): string {
  const folder = mkdtempSync(join(tmpdir(), 'class-export-'));
  // A folder wrapping the project one level down, with macOS's and Windows's leftovers.
  writeSubmission(variant('complete'), join(folder, 'alice', 'assignment-11'));
  mkdirSync(join(folder, 'alice', '__MACOSX', 'assignment-11'), { recursive: true });
  writeFileSync(join(folder, 'alice', '__MACOSX', 'assignment-11', '._tensor.ts'), 'junk');
  writeFileSync(join(folder, 'alice', '.DS_Store'), 'junk');
  writeFileSync(join(folder, 'alice', 'Thumbs.db'), 'junk');
  // A zip of the student's folder, made by the Finder (a wrapping folder and __MACOSX).
  writeFileSync(
    join(folder, 'bob.zip'),
    craftZip([...entries(variant('add-broadcast-not-summed'), 'bob/'), { name: '__MACOSX/bob/src/._ops.ts', data: Buffer.from('junk') }]),
  );
  // A zip of the files themselves.
  writeFileSync(join(folder, 'carol.zip'), craftZip(entries(variant('matmul-transposes-swapped'), '')));
  // The usual folder.
  writeSubmission(variant('complete'), join(folder, 'gina'));
  // Nothing, notes only, a zip of notes, and a zip of two attempts.
  mkdirSync(join(folder, 'dave'));
  mkdirSync(join(folder, 'erin'));
  writeFileSync(join(folder, 'erin', 'notes.md'), '# My notes\nI will submit tomorrow.\n');
  writeFileSync(join(folder, 'erin', 'README.txt'), 'see notes\n');
  writeFileSync(join(folder, 'frank.zip'), craftZip([{ name: 'frank/readme.txt', data: Buffer.from('sorry\n') }]));
  writeFileSync(
    join(folder, 'henry.zip'),
    craftZip([...entries(variant('complete'), 'try-1/'), ...entries(variant('complete'), 'try-2/')]),
  );
  // What else an export holds.
  mkdirSync(join(folder, '__MACOSX'));
  writeFileSync(join(folder, '__MACOSX', '._bob.zip'), 'junk');
  writeFileSync(join(folder, 'roster.csv'), 'id,name\nalice,Alice\n');
  return folder;
}

/** What a shell gives for `folder/*`, sorted. */
function shellExpanded(folder: string): string[] {
  const names = ['__MACOSX', 'alice', 'bob.zip', 'carol.zip', 'dave', 'erin', 'frank.zip', 'gina', 'henry.zip', 'roster.csv'];
  return names.map((name) => join(folder, name));
}

describe('grade on a class exported from a learning-management system', () => {
  let folder: string;
  let cache: string;
  let run: GradeRun;
  const submission = (id: string): SubmissionResult => run.results().submissions.find((s) => s.id === id)!;
  const read = (name: string): string => readFileSync(join(run.out, name), 'utf8');

  beforeAll(async () => {
    folder = exportedClass();
    cache = mkdtempSync(join(tmpdir(), 'class-export-cache-'));
    run = await runGrade(['--cache', cache, '--format', ALL_FORMATS, '--json', ...shellExpanded(folder)]);
  }, 300_000);

  it('A class made of an LMS-style mix (wrapped folders, zips, an empty folder, a folder with only notes, __MACOSX, a stray file) is graded with the right statuses in one command', () => {
    expect(run.exitCode, run.stderr).toBe(0);
    const result = run.results();
    const statuses = Object.fromEntries(result.submissions.map((s) => [s.id, s.status]));
    expect(statuses).toEqual({
      alice: 'graded',
      bob: 'graded',
      carol: 'graded',
      dave: 'no-submission',
      erin: 'no-submission',
      frank: 'no-submission',
      gina: 'graded',
      henry: 'no-submission',
    });
    // Unwrapped, alice is graded as the same files in a plain folder are (gina).
    expect(pointsByPart(result, 'gina')).toEqual(fullMarks(result));
    expect(pointsByPart(result, 'alice')).toEqual(pointsByPart(result, 'gina'));
    expect(pointsByPart(result, 'bob')).toEqual({ ...fullMarks(result), ...variant('add-broadcast-not-summed').expectedPoints });
    for (const [part, points] of Object.entries({ ...fullMarks(result), ...variant('matmul-transposes-swapped').expectedPoints })) {
      if (points < 0) expect(pointsByPart(result, 'carol')[part], part).toBeLessThan(fullMarks(result)[part]);
      else expect(pointsByPart(result, 'carol')[part], part).toBe(points);
    }
    for (const id of ['alice', 'bob', 'carol', 'gina']) expect(submission(id).intake, id).toEqual([]);
    for (const id of ['dave', 'erin', 'frank']) {
      expect(submission(id)).toMatchObject({ total: 0, max: result.rubric.max, error: NO_FILES, parts: [] });
    }
    expect(submission('henry').error).toBe(
      "the assignment's files are in 2 folders (try-1/, try-2/), so none was graded: keep one of them",
    );
  });

  it('skips the stray file and __MACOSX with a warning naming each', () => {
    expect(run.stderr).toContain(
      `grade: warning: skipped ${join(folder, 'roster.csv')}: a file, not a submission (a submission is a folder or a .zip file)`,
    );
    expect(run.stderr).toContain(`grade: warning: skipped ${join(folder, '__MACOSX')}: macOS's metadata of a zip, not a submission`);
    expect(run.results().submissions.map((s) => s.id)).not.toContain('roster.csv');
    expect(run.results().submissions.map((s) => s.id)).not.toContain('__MACOSX');
  });

  it('shows "no submission" in every output: results.json, grades.csv, the class page and the student page', () => {
    const max = run.results().rubric.max;
    expect(submission('dave')).toEqual({
      id: 'dave',
      total: 0,
      max,
      status: 'no-submission',
      error: NO_FILES,
      intake: [],
      isolation: [],
      output: '',
      parts: [],
    });
    const csv = read('grades.csv').split('\r\n');
    const header = csv[0].split(',');
    const dave = csv.find((line) => line.startsWith('dave,'))!.split(',');
    expect([dave[header.indexOf('total')], dave[header.indexOf('status')]]).toEqual(['0', 'no-submission']);
    const index = read('index.html');
    expect(index).toContain('<dt>No submission</dt><dd>4</dd>');
    const row = index.slice(index.indexOf('<a href="dave.html">dave</a>'));
    expect(row.slice(0, row.indexOf('</tr>'))).toContain('<span class="badge badge--no-submission">no submission</span>');
    const page = read('dave.html');
    expect(page).toContain('<h2 id="no-submission-heading">Nothing to grade: no submission</h2>');
    expect(page).toContain(NO_FILES);
    expect(page).not.toContain('could not be graded');
  });

  it('shows "no submission" for Gradescope and GitHub Classroom, each valid by its schema', () => {
    const gradescope = gradescopeResultsSchema.parse(JSON.parse(read('gradescope/dave/results.json')));
    expect(gradescope).toMatchObject({ score: 0, extra_data: { status: 'no-submission' } });
    expect(gradescope.output).toContain(`No submission, 0 points: ${NO_FILES}.`);
    expect(gradescope.tests!.every((test) => test.score === 0 && test.extra_data?.status === 'no-submission')).toBe(true);
    const classroom = classroomResultSchema.parse(decodeClassroomResult(read('classroom/dave.b64')));
    expect(classroom.status).toBe('fail');
    expect(
      classroom.tests.every((test) => test.status === 'fail' && test.score === 0 && test.message === `no submission: ${NO_FILES}`),
    ).toBe(true);
  });

  it('shows "no submission" in JUnit (a failure of its own type), the Markdown summary and grade --json', () => {
    const xml = read('junit.xml');
    expect(XMLValidator.validate(xml)).toBe(true);
    const lists = ['testsuite', 'testcase', 'failure', 'error', 'property'];
    const isArray = (name: string): boolean => lists.includes(name);
    const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', parseAttributeValue: false, isArray });
    type Property = { name: string; value: string };
    type Case = { name: string; failure?: { type: string; message: string }[] };
    type Suite = { name: string; failures: string; errors: string; properties: { property: Property[] }; testcase: Case[] };
    const dave = (parser.parse(xml).testsuites.testsuite as Suite[]).find((suite) => suite.name === 'dave')!;
    expect(dave).toMatchObject({ failures: '1', errors: '0' });
    expect(dave.properties.property.find((p) => p.name === 'status')!.value).toBe('no-submission');
    const failure = { type: 'no-submission', message: `no submission: ${NO_FILES}`, '#text': `no submission: ${NO_FILES}` };
    expect(dave.testcase).toEqual([{ name: 'submission', classname: 'dave', failure: [failure] }]);

    const summary = read('summary.md');
    expect(summary.split('\n').find((line) => line.startsWith('| dave |'))).toMatch(/^\| dave \| – \|.*\| no submission \|$/);
    expect(summary).toContain(`- No submission (0 points): ${NO_FILES}`);

    const json = JSON.parse(run.stdout) as {
      counts: Record<string, number>;
      submissions: { id: string; status: string; error?: string }[];
    };
    expect(json.counts).toMatchObject({ submissions: 8, graded: 4, noSubmission: 4, errors: 0 });
    expect(json.submissions.find((s) => s.id === 'dave')).toMatchObject({ status: 'no-submission', error: NO_FILES });
  });

  it('refuses "grade DIR" where DIR holds submissions (exit 2): "did you mean DIR/*?", grading nothing', async () => {
    const refused = await runGrade(['--cache', cache, folder]);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain(`grade: error E_USAGE_CLASS_FOLDER: ${folder} holds submissions; did you mean ${folder}/*?`);
    expect(refused.stderr).not.toContain('grading');
    // A folder of zips alone is one too, and a trailing slash is not doubled.
    const zips = mkdtempSync(join(tmpdir(), 'class-export-zips-'));
    writeFileSync(join(zips, 'bob.zip'), readFileSync(join(folder, 'bob.zip')));
    const onlyZips = await runGrade(['--cache', cache, `${zips}/`]);
    expect(onlyZips.exitCode).toBe(2);
    expect(onlyZips.stderr).toContain(`did you mean ${zips}/*?`);
  });

  it('skips a plain file given by name with a warning, and refuses a run that names nothing else (exit 2)', async () => {
    const alone = await runGrade(['--cache', cache, join(folder, 'roster.csv')]);
    expect(alone.exitCode).toBe(2);
    expect(alone.stderr).toContain(`grade: warning: skipped ${join(folder, 'roster.csv')}: a file, not a submission`);
    expect(alone.stderr).toContain('is a folder or a .zip file; expected submission folders such as submissions/*');
  });

  it('takes a zip and a folder of the same name for one id, and refuses them both (exit 2)', async () => {
    const twice = mkdtempSync(join(tmpdir(), 'class-export-twice-'));
    writeSubmission(variant('complete'), join(twice, 'bob'));
    const clash = await runGrade(['--cache', cache, join(twice, 'bob'), join(folder, 'bob.zip')]);
    expect(clash.exitCode).toBe(2);
    expect(clash.stderr).toContain(`"bob": ${join(twice, 'bob')} and ${join(folder, 'bob.zip')}`);
  });
});
