/**
 * `npm run bench`: how long grading a class takes, where the time goes, and how fast the framework
 * itself is. Prints a table and writes BENCHMARKS.md. Options: --sizes 20,100,500 (class sizes).
 *
 * Everything runs through the real `grade` command on generated classes of distinct submissions.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { ClassResult } from '../../graders/src/trusted/result.js';
import { CLOCK_TICK_MS, processCpuMs } from '../../graders/src/trusted/process-tree.js';
import { writeReports } from '../../graders/src/trusted/reports/index.js';
import { assignment } from '../../graders/src/assignments/assignment-11/index.js';
import { loadRubric } from '../../graders/src/trusted/load-rubric.js';
import { childNodeOptions } from '../../graders/src/trusted/sandbox-layers.js';
import { measureFrameworkSpeed } from './framework-speed.js';
import { makeClass } from './make-class.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const GRADE = join(ROOT, 'graders', 'bin', 'grade.js');

const { values } = parseArgs({ options: { sizes: { type: 'string', default: '20,100,500' } } });
const sizes = values.sizes!.split(',').map(Number);
const cores = availableParallelism();
const work = mkdtempSync(join(tmpdir(), 'grade-bench-'));
const rubric = loadRubric(assignment);

interface GradeRun {
  wallMs: number;
  peakRssMiB: number;
  /** CPU time of the grader process itself (the trusted parent), from its last sample. */
  parentCpuMs: number;
  /** CPU time of the whole machine while it ran, and the machine's idle time. */
  machineCpuMs: number;
  machineIdleMs: number;
  /** Time the hypervisor gave this virtual machine's cores to others: a noisy neighbour, not us. */
  machineStealMs: number;
}

/** Busy and idle time of all cores so far, from /proc/stat. */
function machineTimes(): { busyMs: number; idleMs: number; stealMs: number } {
  const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  const [user, nice, system, idle, iowait, irq, softirq, steal] = fields.map(Number);
  return {
    busyMs: (user + nice + system + irq + softirq) * CLOCK_TICK_MS,
    idleMs: (idle + iowait) * CLOCK_TICK_MS,
    stealMs: (steal ?? 0) * CLOCK_TICK_MS,
  };
}

/** Runs `grade` and samples its peak resident memory (VmHWM) and its CPU time until it exits. */
function runGrade(folders: string[], out: string, extra: string[] = []): Promise<GradeRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const machineBefore = machineTimes();
    const child = spawn(process.execPath, [GRADE, '--quiet', '--out', out, ...extra, ...folders], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    let peakKiB = 0;
    let parentCpuMs = 0;
    const sample = setInterval(() => {
      try {
        const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (hwm) peakKiB = Math.max(peakKiB, Number(hwm[1]));
        parentCpuMs = processCpuMs(child.pid!);
      } catch {
        // The process has just exited.
      }
    }, 20);
    child.on('exit', (code) => {
      clearInterval(sample);
      const machineAfter = machineTimes();
      if (code !== 0) reject(new Error(`grade exited with ${code}: ${stderr}`));
      else
        resolve({
          wallMs: performance.now() - started,
          peakRssMiB: peakKiB / 1024,
          parentCpuMs,
          machineCpuMs: machineAfter.busyMs - machineBefore.busyMs,
          machineIdleMs: machineAfter.idleMs - machineBefore.idleMs,
          machineStealMs: machineAfter.stealMs - machineBefore.stealMs,
        });
    });
  });
}

/**
 * The floor: an empty child started and stopped `count` times, `cores` at a time, with the
 * sandbox's flags and its empty environment (an inherited NODE_EXTRA_CA_CERTS alone costs a
 * Node start about 100 ms on this machine; the sandbox's children never see it).
 */
async function childFloor(count: number): Promise<number> {
  const scratch = mkdtempSync(join(tmpdir(), 'grade-floor-'));
  writeFileSync(join(scratch, 'empty.mjs'), '');
  const args = [...childNodeOptions(scratch, rubric.limits), join(scratch, 'empty.mjs')];
  const started = performance.now();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next++ < count) {
      await new Promise<void>((resolve) => spawn(process.execPath, args, { stdio: 'ignore', env: {} }).on('exit', () => resolve()));
    }
  };
  await Promise.all(Array.from({ length: cores }, worker));
  rmSync(scratch, { recursive: true, force: true });
  return performance.now() - started;
}

interface Timings {
  intakeMs: number;
  bundleMs: number;
  childStartMs: number;
  partsMs: Record<string, number>;
  totalMs: number;
  childCpuMs?: { start?: number; total?: number };
}

function averages(
  out: string,
): { split: Record<string, number>; parts: Record<string, number>; childCpu: { start: number; total: number } | null } | null {
  let timings: Record<string, Timings>;
  try {
    timings = JSON.parse(readFileSync(join(out, 'timings.json'), 'utf8'));
  } catch {
    return null;
  }
  const all = Object.values(timings).filter((t) => t && typeof t.totalMs === 'number');
  if (all.length === 0) return null;
  const mean = (f: (t: Timings) => number) => all.reduce((s, t) => s + f(t), 0) / all.length;
  const parts: Record<string, number> = {};
  for (const t of all) for (const [part, ms] of Object.entries(t.partsMs ?? {})) parts[part] = (parts[part] ?? 0) + ms / all.length;
  const measured = all.filter((t) => typeof t.childCpuMs?.start === 'number' && typeof t.childCpuMs?.total === 'number');
  const childCpu =
    measured.length === 0
      ? null
      : {
          start: measured.reduce((s, t) => s + t.childCpuMs!.start!, 0) / measured.length,
          total: measured.reduce((s, t) => s + t.childCpuMs!.total!, 0) / measured.length,
        };
  return {
    split: {
      intake: mean((t) => t.intakeMs),
      bundling: mean((t) => t.bundleMs),
      'child start': mean((t) => t.childStartMs),
      total: mean((t) => t.totalMs),
    },
    parts,
    childCpu,
  };
}

const fmt = (ms: number) =>
  ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`;

const lines: string[] = [];
const log = (line = '') => {
  lines.push(line);
  process.stdout.write(`${line}\n`);
};

const cpu = cpus()[0]?.model ?? 'unknown CPU';
log('# Benchmarks');
log();
log(
  `Machine: ${cores} cores (${cpu}), Node.js ${process.version}. Command: \`npm run bench\` (classes of ${sizes.join(', ')} distinct submissions, default --jobs = ${cores + 1}).`,
);
log();
log('## Grading a class');
log();
log('| submissions | wall time | per submission | floor (empty children) | wall / floor | grader peak memory |');
log('| ---: | ---: | ---: | ---: | ---: | ---: |');
let splitFor100: ReturnType<typeof averages> = null;
let classFor100: { folders: string[]; out: string } | null = null;
const cpuRows: string[] = [];
for (const n of sizes) {
  const folders = makeClass(join(work, `class-${n}`), n);
  const out = join(work, `out-${n}`);
  const run = await runGrade(folders, out);
  const floor = await childFloor(n);
  log(
    `| ${n} | ${fmt(run.wallMs)} | ${fmt(run.wallMs / n)} | ${fmt(floor)} | ${(run.wallMs / floor).toFixed(1)}x | ${run.peakRssMiB.toFixed(0)} MiB |`,
  );
  const children = run.machineCpuMs - run.parentCpuMs;
  cpuRows.push(
    `| ${n} | ${fmt(run.machineCpuMs)} | ${fmt(run.parentCpuMs)} (${fmt(run.parentCpuMs / n)}) | ${fmt(children)} (${fmt(children / n)}) | ${fmt(run.machineIdleMs)} | ${fmt(run.machineStealMs)} | ${fmt(run.machineCpuMs / cores)} |`,
  );
  if (n === 100 || (splitFor100 === null && n === sizes[sizes.length - 1])) {
    splitFor100 = averages(out);
    classFor100 = { folders, out };
  }
}

log();
log(`## Where the CPU goes (all ${cores} cores, from /proc while each class was graded)`);
log();
log('Grading is CPU-bound: the wall time cannot go below all the CPU time spent divided by the cores.');
log('"Children" is everything else the machine did meanwhile: the isolated children with their');
log('isolation wrappers, the kernel work of starting them, and any other load on the machine.');
log();
log('"Stolen" is time the hypervisor gave these cores to other machines: when it is large, so is the noise.');
log();
log('| submissions | CPU time, all processes | grader (per submission) | children (per submission) | idle | stolen | CPU time / cores |');
log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const row of cpuRows) log(row);

if (classFor100) {
  const n = classFor100.folders.length;
  log();
  log(`## Where the time goes (${n} submissions, mean per submission, wall time inside the grader)`);
  log();
  log('| step | time |');
  log('| --- | ---: |');
  if (splitFor100) {
    for (const [step, ms] of Object.entries(splitFor100.split)) if (step !== 'total') log(`| ${step} | ${fmt(ms)} |`);
    for (const [part, ms] of Object.entries(splitFor100.parts)) log(`| checks ${part} | ${fmt(ms)} |`);
  }
  const result = JSON.parse(readFileSync(join(classFor100.out, 'results.json'), 'utf8')) as ClassResult;
  const reportsOut = join(work, 'reports-only');
  mkdirSync(reportsOut);
  const started = performance.now();
  await writeReports(reportsOut, result);
  log(`| report writing (all ${n} pages, CSV, JSON; once per class) | ${fmt(performance.now() - started)} |`);
  if (splitFor100) log(`| total per submission (parts overlap across jobs) | ${fmt(splitFor100.split.total)} |`);
  log();
  if (splitFor100?.childCpu) {
    const { start, total } = splitFor100.childCpu;
    log(
      `CPU time of one submission's child, read from /proc by the grader: ${fmt(total)} in all, of which ${fmt(start)} to start and be ready (Node, the isolation wrappers, the child's entry) and ${fmt(total - start)} to run every part's checks.`,
    );
    log();
  }
  const regrade = await runGrade(classFor100.folders, classFor100.out);
  log(`Unchanged regrade of ${n} submissions (same --out, so the result cache applies where it exists): ${fmt(regrade.wallMs)}.`);
  log();
  // How the time depends on the number of random cases: the same class with fewer runs per property,
  // the rubric's own runs graded again beside them so that all three rows meet the same machine load.
  log("How the time depends on the number of random cases (the rubric's `runs`): the same class graded again with fewer.");
  log('With one case per property, what is left is what a submission costs whatever the cases: in the grader, intake,');
  log('bundling, starting the child and the reports; in the child, starting, loading the parts, warming up the JIT and');
  log("Q1(d)'s training of 200 epochs.");
  log();
  log('| cases per property | wall time | CPU time, all processes |');
  log('| --- | ---: | ---: |');
  for (const [label, runsOf] of [
    ["the rubric's", (runs: number) => runs],
    ["half the rubric's", (runs: number) => Math.max(1, Math.round(runs / 2))],
    ['one', () => 1],
  ] as const) {
    const name = label.replace(/\W+/g, '-');
    const file = join(work, `rubric-${name}.json`);
    writeFileSync(file, JSON.stringify({ ...rubric, parts: rubric.parts.map((p) => (p.runs ? { ...p, runs: runsOf(p.runs) } : p)) }));
    const run = await runGrade(classFor100.folders, join(work, `out-${name}`), ['--rubric', file]);
    log(`| ${label} | ${fmt(run.wallMs)} | ${fmt(run.machineCpuMs)} |`);
  }
}

log();
log('## The framework itself');
log();
const speed = await measureFrameworkSpeed();
log('| work | ours | TensorFlow.js CPU backend | ratio (ours / tfjs) |');
log('| --- | ---: | ---: | ---: |');
log(`| linear regression training (100 points, 200 epochs) | ${fmt(speed.regressionMs)} | | |`);
log(
  `| one MLP training step, 256 -> 64 -> 1 on 1,000 rows | ${fmt(speed.mlpStepMs)} | ${fmt(speed.tfjsStepMs)} | ${(speed.mlpStepMs / speed.tfjsStepMs).toFixed(2)} |`,
);
log();
log('Median of repeated runs in one process. Ours computes in float64, TensorFlow.js in float32.');

writeFileSync(join(ROOT, 'BENCHMARKS.md'), `${lines.join('\n')}\n`);
rmSync(work, { recursive: true, force: true });
