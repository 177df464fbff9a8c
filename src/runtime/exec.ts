// Run an external command with a deadline; optionally stream its output line by line.
import { spawn } from 'node:child_process';

export interface ExecResult { code: number; stdout: string; stderr: string }
export interface ExecOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  /** Written to the command's stdin, which is then closed. */
  input?: string;
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
}

export function exec(cmd: string, args: string[], opts: ExecOptions = {}): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    // Stdin is the input, then end of file (at once when there is none). A command that exits
    // without reading it closes the pipe: its exit code says what happened.
    child.stdin.on('error', () => undefined);
    child.stdin.end(opts.input ?? '');
    const out: Record<'stdout' | 'stderr', string[]> = { stdout: [], stderr: [] };
    const pending: Record<'stdout' | 'stderr', string> = { stdout: '', stderr: '' };
    const take = (stream: 'stdout' | 'stderr') => (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      out[stream].push(text);
      if (!opts.onLine) return;
      const lines = (pending[stream] + text).split(/\r?\n|\r/);
      pending[stream] = lines.pop() ?? '';
      for (const l of lines) if (l.trim()) opts.onLine(l, stream);
    };
    child.stdout.on('data', take('stdout'));
    child.stderr.on('data', take('stderr'));
    const timer = opts.timeoutMs ? setTimeout(() => child.kill('SIGTERM'), opts.timeoutMs) : undefined;
    child.on('error', (err) => { clearTimeout(timer); reject(err); });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      for (const s of ['stdout', 'stderr'] as const) if (pending[s].trim()) opts.onLine?.(pending[s], s);
      resolve({ code: code ?? (signal ? 128 : 1), stdout: out.stdout.join(''), stderr: out.stderr.join('') });
    });
  });
}
