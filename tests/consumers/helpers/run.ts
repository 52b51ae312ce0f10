/**
 * Child processes for the consumer fixtures, in an environment a consumer would have: none of
 * the npm/vitest variables of the run that started them (`npm_config_*` would carry this repo's
 * .npmrc and prefix into the fixture's install, NODE_ENV=test would change what Next.js builds),
 * and none of this repo's node_modules/.bin on PATH.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { delimiter } from 'node:path';
import { repoRoot } from './paths.js';

export interface RunResult {
  code: number | null;
  /** stdout alone, for commands that print JSON. */
  stdout: string;
  /** stdout and stderr as they came. */
  output: string;
  ms: number;
}

const dropped =
  /^(npm_|INIT_CWD$|NODE_ENV$|NODE_OPTIONS$|VITEST|TEST$|MODE$|DEV$|PROD$|SSR$|BASE_URL$)/i;

export function consumerEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env))
    if (!dropped.test(key) && value !== undefined) env[key] = value;
  env.PATH = (process.env.PATH ?? '')
    .split(delimiter)
    .filter((entry) => !entry.startsWith(repoRoot))
    .join(delimiter);
  return { ...env, NEXT_TELEMETRY_DISABLED: '1', NO_COLOR: '1', ...extra };
}

/** Runs a command to its end; never throws: the caller asserts on `code` and shows `output`. */
export function run(
  command: string,
  args: readonly string[],
  options: { cwd: string; env?: Record<string, string>; timeoutMs?: number },
): Promise<RunResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: consumerEnv(options.env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const timer = setTimeout(() => {
      output += `\n[killed after ${options.timeoutMs} ms]`;
      child.kill('SIGKILL');
    }, options.timeoutMs ?? 300_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, output, ms: Math.round(performance.now() - started) });
    });
  });
}

/** Throws with the command's output when it failed. */
export async function runOk(
  command: string,
  args: readonly string[],
  options: Parameters<typeof run>[2],
): Promise<RunResult> {
  const result = await run(command, args, options);
  if (result.code !== 0)
    throw new Error(`${command} ${args.join(' ')} exited ${result.code}:\n${result.output}`);
  return result;
}

export interface Service {
  child: ChildProcess;
  output: () => string;
  stop: () => Promise<void>;
}

/** Starts a long-running command in a process group of its own and waits for `ready` in its output. */
export function startService(
  command: string,
  args: readonly string[],
  options: { cwd: string; env?: Record<string, string>; ready: RegExp; timeoutMs?: number },
): Promise<Service> {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: consumerEnv(options.env),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
      // The group of the child we started (next start forks workers), by its id.
      process.kill(-child.pid, 'SIGTERM');
      const killed = setTimeout(() => {
        if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
      }, 5_000);
      await exited;
      clearTimeout(killed);
    }
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`${command} was not ready after ${options.timeoutMs} ms:\n${output}`));
    }, options.timeoutMs ?? 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (options.ready.test(output)) {
        clearTimeout(timer);
        resolve({ child, output: () => output, stop });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('close', (code) => {
      clearTimeout(timer);
      reject(new Error(`${command} exited ${code} before it was ready:\n${output}`));
    });
  });
}
