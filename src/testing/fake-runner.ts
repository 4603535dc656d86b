import type { Outcome } from "../core/outcome.js";
import type { Runner, RunnerStatus } from "../core/runner.js";

/**
 * A scripted Runner for the engine's unit tests (the real runners are proven against real
 * systemd by the runner contract). It records every call; `state` is what status() reports.
 */
export function createFakeRunner(options: { state?: string; failStep?: "stop" | "kill" | "start" } = {}) {
  const calls: string[] = [];
  let state = options.state ?? "active";
  const outcome = (step: string, ok: boolean): Outcome => ({ ok, summary: ok ? `${step} done` : `${step} failed`, evidence: {}, durationMs: 1, timedOut: false });
  const runner: Runner & { calls: string[]; setState(next: string): void } = {
    target: "fake.service",
    calls,
    setState: (next) => void (state = next),
    async status(): Promise<RunnerStatus> {
      calls.push("status");
      return { ...outcome("status", state === "active"), state, summary: `Unit is "${state}"` };
    },
    async stop() {
      calls.push("stop");
      if (options.failStep === "stop") return { ...outcome("stop", false), timedOut: true };
      state = "inactive";
      return outcome("stop", true);
    },
    async kill() {
      calls.push("kill");
      return outcome("kill", options.failStep !== "kill");
    },
    async start() {
      calls.push("start");
      if (options.failStep === "start") return outcome("start", false);
      state = "active";
      return outcome("start", true);
    },
  };
  return runner;
}
