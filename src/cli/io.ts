/** What a command may touch of the outside world; tests pass their own. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Record<string, string | undefined>;
  cwd: string;
  /** stdout as a stream, for a command that streams (`logs -f`): its backpressure, and its EPIPE once the reader is gone. */
  stdoutStream?: NodeJS.WritableStream & { fd?: number };
}

export const processIo: CliIo = {
  stdout: (text) => void process.stdout.write(text.endsWith("\n") ? text : `${text}\n`),
  stderr: (text) => void process.stderr.write(text.endsWith("\n") ? text : `${text}\n`),
  env: process.env,
  cwd: process.cwd(),
  stdoutStream: process.stdout,
};
