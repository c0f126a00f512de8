import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type EdgeReadyMessage, isEdgeReadyMessage } from '../edge-ready';

const edgeDir = fileURLToPath(new URL('../..', import.meta.url));

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface EdgeProcess {
  child: ChildProcess;
  statusUrl: string;
  mqttUrl: string | null;
  exited: Promise<Exit>;
  /** stdout and stderr so far (pino JSON lines). */
  output(): string;
}

/** Only the variables a test sets reach the edge, so a developer's own EDGE_* settings cannot leak in. */
function childEnv(vars: Record<string, string>): Record<string, string> {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(
      (entry): entry is [string, string] =>
        entry[1] !== undefined && !entry[0].startsWith('EDGE_') && entry[0] !== 'LOG_LEVEL',
    ),
  );
  return { ...base, ...vars };
}

function spawnTs(script: string, args: string[], vars: Record<string, string>, ipc: boolean) {
  return spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: edgeDir,
    env: childEnv(vars),
    stdio: ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
  });
}

function collect(child: ChildProcess) {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<Exit>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal })),
  );
  return { exited, stdout: () => stdout, stderr: () => stderr };
}

/** Starts `src/main.ts` as a real process and resolves when it announces itself over IPC. */
export async function startEdgeProcess(
  vars: Record<string, string>,
  timeoutMs = 15_000,
): Promise<EdgeProcess> {
  const child = spawnTs('src/main.ts', [], vars, true);
  const io = collect(child);
  const output = () => io.stdout() + io.stderr();
  const ready = await new Promise<EdgeReadyMessage>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`edge not ready in ${timeoutMs} ms:\n${output()}`)),
      timeoutMs,
    );
    child.on('message', (message) => {
      if (!isEdgeReadyMessage(message)) return;
      clearTimeout(timer);
      resolve(message);
    });
    void io.exited.then((exit) => {
      clearTimeout(timer);
      reject(new Error(`edge exited before ready (${JSON.stringify(exit)}):\n${output()}`));
    });
  });
  return { child, statusUrl: ready.statusUrl, mqttUrl: ready.mqttUrl, exited: io.exited, output };
}

/** Runs an entry point to completion, e.g. the CLI or an edge that is expected to refuse to start. */
export async function runToExit(script: string, args: string[], vars: Record<string, string> = {}) {
  const child = spawnTs(script, args, vars, false);
  const io = collect(child);
  const exit = await io.exited;
  return { ...exit, stdout: io.stdout(), stderr: io.stderr() };
}

export async function stopEdgeProcess(edge: EdgeProcess): Promise<void> {
  if (edge.child.exitCode === null && edge.child.signalCode === null) edge.child.kill('SIGKILL');
  await edge.exited;
}
