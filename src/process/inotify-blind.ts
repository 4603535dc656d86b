import { statfs } from "node:fs/promises";

/**
 * File systems whose files change without inotify hearing of it: what another host writes over
 * the network, what a user-space (FUSE) daemon serves. Magic numbers of statfs(2)'s `f_type`
 * (linux/magic.h and the file systems' own headers).
 */
const BLIND: ReadonlyMap<number, string> = new Map([
  [0x6969, "nfs"],
  [0x517b, "smb"],
  [0xfe534d42, "smb2"],
  [0xff534d42, "cifs"],
  [0x65735546, "fuse"],
  [0x01021997, "9p"],
  [0x5346414f, "afs"],
  [0x00c36400, "ceph"],
  [0x73757245, "coda"],
  [0x0bd00bd0, "lustre"],
  [0x01161970, "gfs2"],
  [0x7461636f, "ocfs2"],
  [0x47504653, "gpfs"],
]);

/**
 * Whether inotify can be trusted in `dir`: `blind` names its file system when it cannot (a
 * network or FUSE file system); `error` is why statfs(2) could not tell (the directory is missing).
 */
export async function inotifyBlindness(dir: string): Promise<{ blind: string | null } | { error: string }> {
  try {
    const { type } = await statfs(dir);
    return { blind: BLIND.get(type) ?? null };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { error: typeof code === "string" ? code : String(error) };
  }
}
