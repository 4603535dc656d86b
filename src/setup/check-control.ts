import { findProgram, pathDirs } from "../process/find-program.js";
import { polkitAbsence } from "../process/doctor/polkit-present.js";
import { SUDO_SECURE_PATH } from "../core/sudoers-rule.js";
import type { InstallPlan } from "./plan.js";

/**
 * Why the installed Lifeguard could not control its units as the plan has it, before anything
 * changes: a polkit rule needs polkit; `privilege: sudo` needs sudo, and its drop-in visudo.
 * Each problem says both ways out. None when it runs as root with polkit's way (root needs none).
 */
export async function controlProblems(plan: InstallPlan, source: string): Promise<string[]> {
  if (plan.units.length === 0) return [];
  const units = plan.units.join(", ");
  if (plan.control === "polkit") {
    const absence = await polkitAbsence();
    if (absence === null) return [];
    return [`${absence}: Lifeguard's user could not start, stop or kill ${units}, as systemd lets only root and whom polkit allows. ` +
      `Install polkit (apt-get install polkitd), or set \`privilege: sudo\` in ${source}: install then writes a sudoers drop-in instead (docs/deployment.md)`];
  }
  if (plan.control === "root") return [];
  const validators = plan.steps.flatMap((step) => (step.kind === "file" && step.validate !== undefined ? [step.validate[0] ?? ""] : []));
  const missing = [...new Set(["sudo", ...validators])].filter((program) => findProgram(program, [...pathDirs(), ...SUDO_SECURE_PATH]) === null);
  if (missing.length === 0) return [];
  return [`\`privilege: sudo\` in ${source}, but ${missing.join(" and ")} ${missing.length === 1 ? "is" : "are"} not installed: Lifeguard could not control ${units}. ` +
    "Install sudo (apt-get install sudo), or remove `privilege: sudo` and let polkit allow it"];
}
