import { describeLogFileError } from "../checks/log-file-error.js";
import { describeReadFix } from "../checks/describe-read-fix.js";
import type { FollowNotice } from "../process/follow-file.js";

/**
 * What `logs -f` says on stderr when the followed file changes under it, as `tail -F` does
 * (`lifeguard: ` first, like every message of the CLI); an unreadable file gets the fix the checks
 * give. `what` names the file's role: "output file", "log file".
 */
export async function describeFollowNotice(notice: FollowNotice, what: string): Promise<string[]> {
  const file = `${capitalise(what)} "${notice.path}"`;
  switch (notice.kind) {
    case "waiting":
      return [`lifeguard: ${file} does not exist (yet): waiting for it`];
    case "appeared":
      return [`lifeguard: ${file} appeared: following it from its start`];
    case "replaced":
      return [`lifeguard: ${file} was rotated (a new file took its name): following the new file from its start`];
    case "removed":
      return [`lifeguard: ${file} was removed or renamed and no file took its name: waiting for one`];
    case "truncated":
      return notice.recoveredFrom === null
        ? [`lifeguard: ${file} was truncated: following it from its start; what was written to it between the last read and the truncation is not shown`]
        : [`lifeguard: ${file} was truncated: its lines not read before were read from its copy "${notice.recoveredFrom}", so only what the truncation itself took is missing; following it from its start`];
    case "unreadable": {
      const { summary } = describeLogFileError(notice.path, notice.error, what);
      const hint = await describeReadFix(notice.path, notice.error.code);
      return [`lifeguard: ${summary}: trying again while following`, ...(hint === undefined ? [] : [`hint: ${hint}`])];
    }
  }
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
