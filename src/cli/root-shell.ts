import type { CliIo } from "./io.js";

/**
 * The advice a command prints is typed in a root shell: it runs as root, and not under sudo
 * (`sudo lifeguard ...` was typed in a user's shell, where a command that needs root needs `sudo` too).
 */
export function isRootShell(io: Pick<CliIo, "env">): boolean {
  return (process.getuid?.() ?? 0) === 0 && (io.env.SUDO_USER ?? "") === "";
}
