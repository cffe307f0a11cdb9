/**
 * The GitHub Actions workflows, validated against the workflow schema with action-validator (its
 * core package's API, and once through its CLI as a developer would run it), plus what the schema
 * cannot know: the paths filter matches the submissions, no `${{ }}` expression is spliced into a
 * shell script, the pull request's code never provides the grader, the scripts they call exist,
 * and the class workflow's shards cover the class once, with its own shell steps run here.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { validateWorkflow } from '@action-validator/core';
import { execa } from 'execa';
import { glob } from 'glob';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../cli/run-grade.js';
import { parseWorkflowYaml, type YamlValue } from './workflow-yaml.js';

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

const WORKFLOW_FILES = ['grade-pr.yml', 'test.yml', 'grade-class.yml'];

describe.each(WORKFLOW_FILES)('.github/workflows/%s', (name) => {
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
    // No job asks for more than the workflow does.
    expect(workflow).not.toMatch(/:\s*write\b/);
  });

  it('reads as YAML (the tests below look workflows up by structure)', () => {
    const jobs = parseWorkflowYaml(read(name)).jobs as Record<string, { steps: { run?: string }[] }>;
    const runs = Object.values(jobs).flatMap((job) => job.steps.flatMap((step) => (step.run === undefined ? [] : [step.run])));
    const flush = (script: string) => script.replace(/^ +/gm, '').trimEnd();
    expect(runs.map(flush)).toEqual(runScripts(read(name)).map(flush));
  });
});

describe('action-validator', () => {
  it('rejects a workflow with a mistake, so a pass means something', () => {
    const broken = read('grade-pr.yml').replace('runs-on: ubuntu-latest', 'runs_on: ubuntu-latest');
    expect(validateWorkflow(broken).errors.length).toBeGreaterThan(0);
    expect(validateWorkflow(read('test.yml').replace('steps:', 'step:')).errors.length).toBeGreaterThan(0);
  });

  it('passes every workflow through its command line (npx action-validator FILE)', async () => {
    for (const name of WORKFLOW_FILES) {
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
    expect(workflow).toContain(
      'run: npm run --silent grade:pr -- --repo ../pr --base "$BASE_SHA" --out ../pr-reports --fail-under "$FAIL_UNDER"',
    );
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

describe('the example workflows of docs/integrations.md', () => {
  const integrations = readFileSync(join(ROOT, 'docs', 'integrations.md'), 'utf8');
  const examples = [...integrations.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]);

  it('are valid workflows (the Classroom one; the shard matrix is a workflow of its own)', () => {
    expect(examples).toHaveLength(1);
    for (const example of examples) expect(validateWorkflow(example).errors).toEqual([]);
    expect(examples[0]).toContain('GRADE_RESULTS: ${{ steps.grade.outputs.result }}');
    expect(examples[0]).toContain('runners: grade');
    expect(integrations).toContain('`.github/workflows/grade-class.yml`');
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

interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  env?: Record<string, string>;
  with?: Record<string, YamlValue>;
}
interface Job {
  needs?: string | string[];
  outputs?: Record<string, string>;
  strategy?: { matrix: Record<string, YamlValue> };
  steps: Step[];
}

/** `text` with each `${{ expression }}` replaced by its value in `context`; an expression not there fails the test. */
function evaluate(text: string, context: Record<string, string | number>): string {
  return text.replace(/\$\{\{\s*(.*?)\s*\}\}/g, (_, expression: string) => {
    if (!(expression in context)) throw new Error(`the test has no value for \${{ ${expression} }}`);
    return String(context[expression]);
  });
}

/** Runs a step's script as the runner does (bash -e, pipefail), with the step's env evaluated in `context`. */
async function runStep(step: Step, cwd: string, context: Record<string, string | number>, extraEnv: Record<string, string> = {}) {
  const env = Object.fromEntries(Object.entries(step.env ?? {}).map(([name, value]) => [name, evaluate(value, context)]));
  return execa('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run!], {
    cwd,
    env: { ...env, ...extraEnv, NO_COLOR: '1' },
    reject: false,
  });
}

describe('grade-class.yml', () => {
  const workflow = parseWorkflowYaml(read('grade-class.yml'));
  const jobs = workflow.jobs as unknown as Record<string, Job>;
  const plan = jobs.plan;
  const planStep = plan.steps.find((step) => step.id === 'plan')!;
  const grade = jobs.grade;
  const gradeStep = grade.steps.find((step) => step.run?.includes('--shard'))!;
  const uploadShard = grade.steps.find((step) => step.uses?.startsWith('actions/upload-artifact@'))!;
  const merge = jobs.merge;
  const download = merge.steps.find((step) => step.uses?.startsWith('actions/download-artifact@'))!;
  const mergeStep = merge.steps.find((step) => step.run?.includes('grade merge'))!;
  const uploadReports = merge.steps.find((step) => step.uses?.startsWith('actions/upload-artifact@'))!;
  const needs = (job: Job): string[] => (job.needs === undefined ? [] : typeof job.needs === 'string' ? [job.needs] : job.needs);
  const oneToN = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);

  /** The matrix the plan job gives for an input of `shards`, read from its output as the runner does. */
  async function planFor(shards: string): Promise<{ exitCode: number; output: string }> {
    const folder = mkdtempSync(join(tmpdir(), 'grade-class-plan-'));
    const output = join(folder, 'output');
    writeFileSync(output, '');
    const run = await runStep(planStep, folder, { 'inputs.shards': shards }, { GITHUB_OUTPUT: output });
    return { exitCode: run.exitCode ?? -1, output: readFileSync(output, 'utf8') };
  }

  it('is started by hand, with the number of shards as a number input; the same action versions as the other workflows', () => {
    const on = workflow.on as { workflow_dispatch: { inputs: { shards: { type: string; default: number } } } };
    expect(Object.keys(on)).toEqual(['workflow_dispatch']);
    expect(on.workflow_dispatch.inputs.shards).toMatchObject({ type: 'number', default: 4 });
    const actions = (name: string) => new Set([...read(name).matchAll(/uses: (\S+)/g)].map((m) => m[1]));
    for (const action of actions('grade-class.yml'))
      expect(action).toMatch(/^actions\/(checkout|setup-node|upload-artifact|download-artifact)@v4$/);
    expect([...actions('grade-pr.yml')].filter((a) => a.startsWith('actions/checkout@') || a.startsWith('actions/setup-node@'))).toEqual([
      'actions/checkout@v4',
      'actions/setup-node@v4',
    ]);
  });

  it('lists the shards 1..N exactly, and refuses an N that is not a whole number from 1 to 32', async () => {
    expect(plan.outputs?.shards).toBe('${{ steps.plan.outputs.shards }}');
    for (const n of [1, 2, 5, 32]) {
      const { exitCode, output } = await planFor(String(n));
      expect(exitCode).toBe(0);
      const match = /^shards=(.*)\n$/.exec(output);
      expect(match, output).not.toBeNull();
      expect(JSON.parse(match![1])).toEqual(oneToN(n));
    }
    for (const bad of ['0', '33', '2.5', '-1', '', '3 ; echo shards=[9]']) {
      const { exitCode, output } = await planFor(bad);
      expect(exitCode, bad).not.toBe(0);
      expect(output, bad).toBe('');
    }
  });

  it('gives shard K of the matrix "--shard K/N", N the matrix\'s size, and uploads the folder it writes as its own artifact', () => {
    expect(needs(grade)).toEqual(['plan']);
    expect(grade.strategy?.matrix).toEqual({ shard: '${{ fromJSON(needs.plan.outputs.shards) }}' });
    expect(gradeStep.run).toBe('npx grade --shard "$SHARD/$SHARDS" --quiet --out "shard-$SHARD" submissions/*');
    const n = 3;
    const names = oneToN(n).map((k) => {
      const context = { 'matrix.shard': k, 'strategy.job-total': n };
      const env = Object.fromEntries(Object.entries(gradeStep.env ?? {}).map(([name, value]) => [name, evaluate(value, context)]));
      expect(env).toEqual({ SHARD: String(k), SHARDS: String(n) });
      expect(evaluate(String(uploadShard.with?.path), context)).toBe(`shard-${k}/`);
      return evaluate(String(uploadShard.with?.name), context);
    });
    expect(new Set(names).size).toBe(n);
    expect(uploadShard.with?.['if-no-files-found']).toBe('error');
  });

  it('merges after every shard, downloading all their artifacts into a folder each, into one artifact "reports"', () => {
    expect(needs(merge)).toEqual(['grade']);
    const pattern = String(download.with?.pattern);
    const matches = (name: string) => new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replaceAll('*', '.*')}$`).test(name);
    for (const k of oneToN(32)) expect(matches(evaluate(String(uploadShard.with?.name), { 'matrix.shard': k }))).toBe(true);
    expect(matches('reports')).toBe(false);
    // One artifact by name, or every one in a single folder, would lose shards.
    expect(download.with?.name).toBeUndefined();
    expect(download.with?.['merge-multiple']).toBeUndefined();
    expect(download.with?.path).toBe('shards');
    expect(mergeStep.run).toMatch(/^npx grade merge --out reports (--format \S+ )?shards\/\*$/);
    expect(uploadReports.with).toMatchObject({ name: 'reports', path: 'reports/', 'if-no-files-found': 'error' });
  });

  it('run here, its steps split the demo class into 3 shards and merge them into exactly what one run gives', async () => {
    // A checkout of the course's repository: the demo class, a manual grades file, the installed grader.
    const checkout = mkdtempSync(join(tmpdir(), 'grade-class-'));
    cpSync(join(ROOT, 'submissions'), join(checkout, 'submissions'), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules'), join(checkout, 'node_modules'));
    writeFileSync(
      join(checkout, 'manual-grades.csv'),
      'id,part,points,comment\ncomplete,Q1d,0.5,clear\ncomplete,Q2.derivation,2,both convolutions\nsigmoid-from-input,Q1d,,\n',
    );

    const { output } = await planFor('3');
    const shards = JSON.parse(output.replace(/^shards=/, '')) as number[];
    expect(shards).toEqual([1, 2, 3]);
    for (const k of shards) {
      const context = { 'matrix.shard': k, 'strategy.job-total': shards.length };
      const graded = await runStep(gradeStep, checkout, context);
      expect(graded.exitCode, graded.stderr).toBe(0);
      // upload-artifact leaves hidden files out (the cache); download-artifact gives each artifact its own folder.
      const artifact = join(checkout, String(download.with?.path), evaluate(String(uploadShard.with?.name), context));
      mkdirSync(artifact, { recursive: true });
      cpSync(join(checkout, evaluate(String(uploadShard.with?.path), context)), artifact, {
        recursive: true,
        filter: (source) => !basename(source).startsWith('.'),
      });
    }
    const merged = await runStep(mergeStep, checkout, {});
    expect(merged.exitCode, merged.stderr).toBe(0);

    const single = await execa('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', 'npx grade --quiet --out single submissions/*'], {
      cwd: checkout,
      reject: false,
    });
    expect(single.exitCode, single.stderr).toBe(0);
    const reports = join(checkout, String(uploadReports.with?.path));
    for (const name of ['results.json', 'grades.csv', 'manual-grades.pending.csv']) {
      expect(readFileSync(join(reports, name), 'utf8'), name).toBe(readFileSync(join(checkout, 'single', name), 'utf8'));
    }
    const result = JSON.parse(readFileSync(join(reports, 'results.json'), 'utf8')) as { submissions: { id: string; total: number }[] };
    expect(result.submissions.map((s) => s.id)).toEqual(
      readFileSync(join(reports, 'grades.csv'), 'utf8')
        .trim()
        .split('\r\n')
        .slice(1)
        .map((row) => row.split(',')[0]),
    );
    expect(result.submissions.find((s) => s.id === 'complete')?.total).toBe(20);
  }, 600_000);
});
