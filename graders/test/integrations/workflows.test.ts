/**
 * The GitHub Actions workflows, validated against the workflow schema with action-validator (its
 * core package's API, and once through its CLI as a developer would run it), plus what the schema
 * cannot know: the paths filter matches the submissions, no `${{ }}` expression is spliced into a
 * shell script, the pull request's code never provides the grader, and the scripts they call exist.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateWorkflow } from '@action-validator/core';
import { execa } from 'execa';
import { glob } from 'glob';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../cli/run-grade.js';

const WORKFLOWS = join(ROOT, '.github', 'workflows');
const read = (name: string) => readFileSync(join(WORKFLOWS, name), 'utf8');
const scripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;

/** The text of every `run:` script (one-line and block scalars). */
function runScripts(workflow: string): string[] {
  const lines = workflow.split('\n');
  const found: string[] = [];
  lines.forEach((line, i) => {
    const match = /^(\s*)(?:- )?run:\s*(.*)$/.exec(line);
    if (!match) return;
    if (match[2] !== '|' && match[2] !== '>') {
      found.push(match[2]);
      return;
    }
    const indent = match[1].length;
    const block: string[] = [];
    for (let j = i + 1; j < lines.length && (lines[j].trim() === '' || lines[j].search(/\S/) > indent); j++) block.push(lines[j]);
    found.push(block.join('\n'));
  });
  return found;
}

describe.each(['grade-pr.yml', 'test.yml'])('.github/workflows/%s', (name) => {
  it('validates against the workflow schema (action-validator)', () => {
    expect(validateWorkflow(read(name)).errors).toEqual([]);
  });

  it('gives shell scripts no ${{ }} expressions (values reach them through env)', () => {
    const runs = runScripts(read(name));
    expect(runs.length).toBeGreaterThan(1);
    for (const script of runs) expect(script).not.toContain('${{');
  });

  it('asks for a read-only token and checks out without keeping credentials', () => {
    const workflow = read(name);
    expect(workflow).toMatch(/^permissions:\n {2}contents: read$/m);
    const checkouts = workflow.match(/uses: actions\/checkout@v4/g) ?? [];
    expect(checkouts.length).toBeGreaterThan(0);
    expect(workflow.match(/persist-credentials: false/g)).toHaveLength(checkouts.length);
  });
});

describe('action-validator', () => {
  it('rejects a workflow with a mistake, so a pass means something', () => {
    const broken = read('grade-pr.yml').replace('runs-on: ubuntu-latest', 'runs_on: ubuntu-latest');
    expect(validateWorkflow(broken).errors.length).toBeGreaterThan(0);
    expect(validateWorkflow(read('test.yml').replace('steps:', 'step:')).errors.length).toBeGreaterThan(0);
  });

  it('passes both workflows through its command line (npx action-validator FILE)', async () => {
    for (const name of ['grade-pr.yml', 'test.yml']) {
      const run = await execa(join(ROOT, 'node_modules', '.bin', 'action-validator'), [join(WORKFLOWS, name)], { reject: false });
      expect(run.exitCode, `${name}: ${run.stderr}`).toBe(0);
    }
  });
});

describe('grade-pr.yml', () => {
  const workflow = read('grade-pr.yml');

  it('runs on pull requests that change submissions/**, a glob that matches the submissions', async () => {
    expect(workflow).toMatch(/^on:\n {2}pull_request:\n {4}paths:\n {6}- 'submissions\/\*\*'$/m);
    expect(workflow).not.toMatch(/^\s+pull_request_target:/m);
    // action-validator's library build does not check globs yet; the glob package does.
    expect((await glob('submissions/**', { cwd: ROOT, nodir: true })).length).toBeGreaterThan(10);
  });

  it('takes the grader from the base commit and only the submissions from the pull request', () => {
    expect(workflow).toContain('ref: ${{ github.event.pull_request.base.sha }}\n          path: harness');
    expect(workflow).toMatch(/path: pr\n {10}fetch-depth: 0/);
    expect(workflow).toMatch(/working-directory: harness\n {8}run: npm ci/);
  });

  it('grades with the fail-under threshold set in the workflow, and uploads the reports', () => {
    expect(workflow).toMatch(/FAIL_UNDER: '\d+'/);
    expect(workflow).toContain('run: npm run --silent grade:pr -- --repo ../pr --base "$BASE_SHA" --out ../pr-reports --fail-under "$FAIL_UNDER"');
    expect(workflow).toMatch(/uses: actions\/upload-artifact@v4\n {8}with:\n(.*\n)* {10}path: pr-reports\//);
    expect(workflow).toContain("if: ${{ always() && steps.grade.outputs.reports != '' }}");
  });

  it('calls npm scripts that exist', async () => {
    expect(scripts['grade:pr']).toBe('tsx graders/src/integrations/github-pr.ts');
    const help = await execa('npm', ['run', '--silent', 'grade:pr', '--', '--help'], { cwd: ROOT, reject: false });
    expect(help.exitCode).toBe(0);
    expect(help.stdout).toContain('--fail-under PCT');
  });
});

describe('the README\'s example workflows', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const integrations = readme.slice(readme.indexOf('## Integrations'), readme.indexOf('## Libraries, and why'));
  const examples = [...integrations.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]);

  it('are valid workflows (the Classroom one and the shard matrix)', () => {
    expect(examples).toHaveLength(2);
    for (const example of examples) expect(validateWorkflow(example).errors).toEqual([]);
    expect(examples[0]).toContain('GRADE_RESULTS: ${{ steps.grade.outputs.result }}');
    expect(examples[0]).toContain('runners: grade');
    expect(examples[1]).toContain('npx grade merge --out reports');
  });
});

describe('test.yml', () => {
  it('runs the project tests on every push as .ci/run does: Chromium from apt-get, npm ci, npm test', () => {
    const workflow = read('test.yml');
    expect(workflow).toMatch(/^on:\n {2}push:/m);
    const runs = runScripts(workflow).join('\n');
    expect(runs).toContain('apt-get install -y -qq chromium');
    expect(runs).toContain('npm ci');
    expect(runs).toContain('npm test');
    expect(scripts.test).toContain('vitest run');
  });
});
