/** What a command may touch of the outside world; tests pass their own. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Record<string, string | undefined>;
  cwd: string;
  /** stdout as a stream, for a command that streams (`logs -f`): its backpressure, and its EPIPE once the reader is gone. */
  stdoutStream?: NodeJS.WritableStream & { fd?: number };
  /** stdout is a terminal: colours and a redrawn screen make sense (`status`, `status --watch`). */
  isTty?: boolean;
  /** Hears each key pressed, when stdin is a terminal (`status --watch`: q quits); returns the unsubscribe. Absent: none. */
  onKey?(listener: (key: string) => void): () => void;
}

// A reader that left (`lifeguard --help | head -1`) fails the next write with EPIPE: what is still
// written is dropped, and the command ends as it would have. Unheard, the error would end the
// process with a stack trace (and the daemon, whose stdout may be such a pipe, with it).
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code !== "EPIPE") process.stderr.write(`lifeguard: cannot write to standard output: ${error.message}\n`);
});

export const processIo: CliIo = {
  stdout: (text) => void process.stdout.write(text.endsWith("\n") ? text : `${text}\n`),
  stderr: (text) => void process.stderr.write(text.endsWith("\n") ? text : `${text}\n`),
  env: process.env,
  cwd: process.cwd(),
  stdoutStream: process.stdout,
  isTty: process.stdout.isTTY === true,
  onKey: process.stdin.isTTY === true ? listenForKeys : undefined,
};

/** Raw mode for as long as someone listens: a key arrives as pressed, not after Enter. */
function listenForKeys(listener: (key: string) => void): () => void {
  const onData = (data: Buffer): void => listener(data.toString("utf8"));
  process.stdin.setRawMode(true);
  process.stdin.on("data", onData).resume();
  return () => {
    process.stdin.off("data", onData).pause();
    process.stdin.setRawMode(false);
  };
}
