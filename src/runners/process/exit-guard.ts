/** What to do to a service's process group if Lifeguard exits first. */
const guards = new Set<() => void>();
let installed = false;

/**
 * Calls `kill` synchronously when Lifeguard's process exits (process.exit, the end of the event
 * loop, an uncaught error), so those exits leave no supervised process behind. It cannot help
 * against SIGKILL, nor a signal Lifeguard has no handler for: the daemon handles SIGTERM and
 * SIGINT by calling the runner's shutdown(). Returns the function that removes the guard.
 */
export function killOnExit(kill: () => void): () => void {
  if (!installed) {
    installed = true;
    process.on("exit", () => {
      for (const guard of guards) {
        try {
          guard();
        } catch {
          // one group that cannot be signalled must not spare the others
        }
      }
    });
  }
  const guard = (): void => kill();
  guards.add(guard);
  return () => void guards.delete(guard);
}
