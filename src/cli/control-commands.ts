import { Option, type Command } from "commander";
import type { ControlAction } from "../engine/control-service.js";
import { runControl, runReload } from "./commands/control.js";
import type { CliIo } from "./io.js";
import type { Act } from "./program.js";
import { addTargetOptions } from "./target-options.js";

// `acknowledge` is Telegram's `/ack`: the CLI has no such command.
const DESCRIPTIONS: Record<Exclude<ControlAction, "reset" | "pause" | "acknowledge">, string> = {
  restart: "restart a service now, by the same safe sequence as an automatic restart (not counted against its limit)",
  stop: "stop a service and keep it stopped: not judged, restarted or alerted on until `lifeguard start`",
  start: "start a service (ending a stop); it is judged again from its startup grace",
  resume: "end a pause: the service is judged and restarted again from its next round",
};

/** Declares the commands that act on one service (`restart`, `stop`, `start`, `pause`, `resume`) and `reload`. */
export function addControlCommands(program: Command, act: Act, io: CliIo): void {
  for (const [action, description] of Object.entries(DESCRIPTIONS) as Array<[ControlAction, string]>) {
    addTargetOptions(program.command(action)
      .description(description)
      .argument("<name>", "service name (in quick mode also the quick-mode Lifeguard's name)"))
      .action(act((name: string, options) => runControl(action, name, options, io)));
  }
  addTargetOptions(program.command("pause")
    .description("pause a service: its checks go on, nothing is restarted, until `lifeguard resume` or the end of --for (which alerts)")
    .argument("<name>", "service name (in quick mode also the quick-mode Lifeguard's name)"))
    .addOption(new Option("--for <duration>", "end the pause by itself after DURATION, e.g. 30m or 2h (default: until resumed)"))
    .addOption(new Option("--reason <text>", "why, for the history and whoever looks at the status"))
    .action(act((name: string, options) => runControl("pause", name, options, io)));
  addTargetOptions(program.command("reload")
    .description("make the running daemon read its configuration again (as SIGHUP does), and say how that went"))
    .action(act((options) => runReload(options, io)));
}
