/**
 * The layers the grader claims are the layers the child gets: each claimed layer is tried here on
 * a bare Node child wrapped as the sandbox wraps it (memory, CPU time, network, user, file system).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { constants } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { osIsolation, type OsIsolation } from '../../src/trusted/os-isolation.js';
import { makeScratchFolder, removeScratchFolder } from '../../src/trusted/scratch.js';

const isRoot = process.getuid?.() === 0;

/** How a probe child ended, and what it printed. */
interface ChildRun {
  status: number | null;
  signal: string | null;
  output: string;
  /** The test's own safety time limit stopped it (no layer did). */
  stoppedByTest: boolean;
}

/** The name of signal number `n`, e.g. SIGKILL for 9. */
const signalName = (n: number): string | null => Object.entries(constants.signals).find(([, number]) => number === n)?.[0] ?? null;

describe('the operating-system layers', () => {
  let isolation: OsIsolation;
  let scratch: string;

  beforeAll(() => {
    isolation = osIsolation();
    scratch = makeScratchFolder(isolation.dropsPrivileges);
  });
  afterAll(() => removeScratchFolder(scratch));

  /**
   * Runs `code` in a child wrapped in this machine's layers; its exit status, signal and output.
   * The test's own time limit only keeps a broken child from hanging the suite: a child it stops
   * is reported as such (`stoppedByTest`), never mistaken for one a layer stopped.
   */
  function inChild(code: string, limits = { cpuSeconds: 20, memoryMiB: 512 }): ChildRun {
    writeFileSync(join(scratch, 'probe.mjs'), code);
    const command = isolation.wrap([process.execPath, join(scratch, 'probe.mjs')], scratch, limits);
    const run = spawnSync(command[0], command.slice(1), { cwd: scratch, env: {}, encoding: 'utf8', timeout: 100_000 });
    const stoppedByTest = (run.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT';
    return { status: run.status, signal: run.signal, output: `${run.stdout}${run.stderr}`, stoppedByTest };
  }

  it('starts Node inside them', () => {
    expect(inChild('console.log("hello")')).toEqual({ status: 0, signal: null, output: 'hello\n', stoppedByTest: false });
  });

  it('memory-limit: a Buffer beyond the limit is refused, not granted', () => {
    const run = inChild('try { Buffer.alloc(700 * 2 ** 20, 1); console.log("granted"); } catch (e) { console.log(String(e)); }', {
      cpuSeconds: 20,
      memoryMiB: 256,
    });
    if (isolation.layers.includes('memory-limit')) expect(run.output).toMatch(/RangeError: Array buffer allocation failed/);
    else expect(run.output).toMatch(/granted/);
  });

  it('resource-limits: a busy loop dies when its CPU time is spent', () => {
    if (!isolation.layers.includes('resource-limits')) return;
    const run = inChild('for (;;) {}', { cpuSeconds: 1, memoryMiB: 256 });
    // Killed by the kernel at its CPU limit (SIGXCPU at the soft limit, SIGKILL at the hard one),
    // directly or, under bubblewrap, reported as exit status 128 + the signal's number.
    expect(run.stoppedByTest).toBe(false);
    const signal = run.signal ?? (run.status !== null && run.status > 128 ? signalName(run.status - 128) : null);
    expect(['SIGXCPU', 'SIGKILL']).toContain(signal);
  });

  it('network-namespace: no connection reaches a server on 127.0.0.1', async () => {
    let connections = 0;
    const server = createServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const code = `import { connect } from 'node:net'; connect(${port}, '127.0.0.1').on('connect', () => { console.log('connected'); process.exit(0); }).on('error', (e) => console.log(e.code));`;
    // Asynchronous: the server must be able to accept while the child runs.
    writeFileSync(join(scratch, 'probe.mjs'), code);
    const command = isolation.wrap([process.execPath, join(scratch, 'probe.mjs')], scratch, { cpuSeconds: 20, memoryMiB: 512 });
    const { execa } = await import('execa');
    const run = await execa(command[0], command.slice(1), { cwd: scratch, env: {}, extendEnv: false, reject: false, timeout: 100_000 });
    server.close();
    if (isolation.layers.includes('network-namespace')) {
      expect(run.stdout).toMatch(/ECONNREFUSED|ENETUNREACH/);
      expect(connections).toBe(0);
    } else {
      expect(run.stdout).toBe('connected');
    }
  });

  it('unprivileged-user: the child runs as nobody', () => {
    // No supplementary group but nobody's own (shown as 65534 inside a user namespace).
    const run = inChild('console.log(process.getuid(), process.getgid(), process.getgroups().filter((g) => g !== 65534).length)');
    const expected = isolation.layers.includes('unprivileged-user')
      ? '65534 65534 0'
      : `${process.getuid?.()} ${process.getgid?.()} ${process.getgroups?.().filter((g) => g !== 65534).length}`;
    expect(run.output.trim()).toBe(expected);
  });

  it('filesystem-namespace: the child sees /usr and its scratch folder, nothing else, and can write nowhere', () => {
    const run = inChild(`import fs from 'node:fs';
      console.log(fs.existsSync(${JSON.stringify(join(process.cwd(), 'package.json'))}), fs.existsSync('/etc/passwd'), fs.existsSync(${JSON.stringify(scratch)}));
      try { fs.writeFileSync('written', ''); console.log('wrote'); } catch (e) { console.log(e.code); }`);
    if (isolation.layers.includes('filesystem-namespace')) expect(run.output.trim().split('\n')).toEqual(['false false true', 'EROFS']);
    else expect(run.output).toMatch(/^true /);
  });

  it('pid-namespace: the child sees no process of the machine', () => {
    const run = inChild(
      `import fs from 'node:fs'; console.log(fs.readdirSync('/proc').filter((name) => /^\\d+$/.test(name)).length, process.pid)`,
    );
    if (isolation.layers.includes('pid-namespace')) {
      const [visible, pid] = run.output.trim().split(' ').map(Number);
      expect(visible).toBeLessThanOrEqual(3);
      expect(pid).toBeLessThanOrEqual(3);
    }
  });

  it.runIf(isRoot && existsSync('/usr/bin/bwrap') && Number(readFileSync('/proc/sys/user/max_user_namespaces', 'utf8')) > 0)(
    'uses every layer as root where bubblewrap is installed and user namespaces are allowed',
    () => {
      expect(isolation.layers).toEqual([
        'memory-limit',
        'resource-limits',
        'dies-with-grader',
        'unprivileged-user',
        'filesystem-namespace',
        'network-namespace',
        'pid-namespace',
        'ipc-namespace',
      ]);
    },
  );

  it('leaves the namespaces out, and does not claim them, under GRADE_NO_NAMESPACES', async () => {
    vi.resetModules();
    process.env.GRADE_NO_NAMESPACES = '1';
    try {
      const fresh = (await import('../../src/trusted/os-isolation.js')).osIsolation();
      expect(fresh.layers.filter((layer) => layer.endsWith('-namespace'))).toEqual([]);
      const command = fresh.wrap([process.execPath, '-e', '0'], scratch, { cpuSeconds: 5, memoryMiB: 256 });
      expect(command.some((word) => /bwrap|unshare/.test(word))).toBe(false);
    } finally {
      delete process.env.GRADE_NO_NAMESPACES;
      vi.resetModules();
    }
  });
});
