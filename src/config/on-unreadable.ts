import { z } from "zod";

/** The `on-unreadable` option of the checks that read a file. */
export const onUnreadable = () =>
  z
    .enum(["alert", "restart"])
    .default("alert")
    .describe(
      "When Lifeguard cannot read the file (permission denied on it or its directory, an I/O error, a stale mount; not a missing file, which fails): " +
        "`alert` (the default) says so once, with the command that fixes it, and never restarts because of it, the service is then `unobserved` by this check; " +
        "`restart` counts it as a failure like any other.",
    );

/** What a check that reads a file does when Lifeguard cannot read it (permission denied, an I/O error). */
export type UnreadableAction = z.output<ReturnType<typeof onUnreadable>>;

/** The normalised setting: present only when the check opts in to restarts, absent for the default `alert`. */
export function unreadableSetting(action: UnreadableAction): {
  /** A file Lifeguard cannot read: absent (`alert`) the check is unobserved, never a restart; `restart` counts it as a failure. */
  onUnreadable?: "restart";
} {
  return action === "restart" ? { onUnreadable: "restart" } : {};
}
