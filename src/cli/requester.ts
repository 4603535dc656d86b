import { userInfo } from "node:os";
import type { CliIo } from "./io.js";

/** Who asks, as the history records it: `root (cli)`, `jakub via sudo (cli)`. */
export function cliRequester(io: CliIo): string {
  let user: string;
  try {
    user = userInfo().username;
  } catch {
    user = `uid ${process.getuid?.() ?? "?"}`;
  }
  const sudo = io.env.SUDO_USER;
  return sudo !== undefined && sudo !== "" && sudo !== user ? `${sudo} via sudo (cli)` : `${user} (cli)`;
}
