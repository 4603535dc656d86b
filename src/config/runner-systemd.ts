import { duration } from "./fields.js";
import { installUnit, normaliseInstallUnit } from "./install-unit.js";
import { defineRunnerKind } from "./runner-kind.js";
import { toUnitName, unitName } from "./unit-name.js";

/** `systemd: UNIT`: Lifeguard watches and restarts a systemd unit through systemctl. */
export const systemdRunner = defineRunnerKind({
  kind: "systemd",
  key: "systemd",
  example: "systemd: gemini-trader.service",
  shape: {
    systemd: unitName()
      .optional()
      .describe("The systemd unit to watch and restart; `.service` is added when the name has no unit suffix. A service has either `systemd` or `command`."),
    "systemctl-timeout": duration({ min: 1 }).prefault("10s").describe("Bound on each `systemctl` call, and on each call to systemd's manager over the system bus (a start's job may take up to `verify-timeout`). Only with `systemd`."),
    "install-unit": installUnit.optional(),
  },
  normalise: (service, context) => {
    if (service.systemd === undefined) throw new Error("A systemd runner without a unit");
    const unit = toUnitName(service.systemd);
    return {
      runner: {
        /** Full unit name, `.service` added when no suffix was given. */
        unit,
        /** Bound on every systemctl call that has no step timeout of its own. */
        commandTimeoutMs: service["systemctl-timeout"],
        /** The unit `lifeguard install` writes for it; null: the unit is the user's. */
        installUnit: service["install-unit"] === undefined ? null : normaliseInstallUnit(service["install-unit"], context.resolvePath),
      },
      target: unit,
    };
  },
});
