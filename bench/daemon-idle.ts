import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { Cleanups } from "./cleanups.js";
import { startBareNode, startFloor } from "./companions.js";
import { withDaemonLab, withDaemonLabs, type DaemonLab } from "./daemon-lab.js";
import { describeIdle, type Companions, type IdleBenchOptions, type IdleScenario } from "./idle-report.js";
import { startIdleDaemon, type IdleDaemon, type IdleRun } from "./idle-daemon.js";
import { ensureMonit, startMonit, type MonitStop } from "./monit.js";
import { ensurePm2, launchPm2, type Pm2Stop } from "./pm2.js";
import { sampleTogether, type Sample, type Watched } from "./sampling.js";
import type { Section } from "./report.js";

export type { IdleBenchOptions, IdleScenario } from "./idle-report.js";

/** The daemon's own CPU and memory while nothing happens, beside the floor, bare Node and PM2's daemon in the same window. */
export async function benchIdle(options: IdleBenchOptions): Promise<Section> {
  const shared = await sharedWindow(options);
  const alone: IdleRun<IdleScenario>[] = [];
  for (const scenario of options.alone) alone.push(await withDaemonLab("idle", (lab) => measure(lab, scenario, options)));
  return describeIdle([...shared.runs, ...alone], shared.companions, options);
}

async function measure(lab: DaemonLab, scenario: IdleScenario, options: IdleBenchOptions): Promise<IdleRun<IdleScenario>> {
  const monit = scenario.peer === "monit" ? await ensureMonit() : null;
  const idle = await startIdleDaemon(lab, scenario);
  const cleanups = new Cleanups();
  try {
    cleanups.defer(idle.quiet);
    // monit watches the daemon's own bots and logs, with a timestamp limit as long as log-fresh's max-age (1 h).
    const peer = monit?.ok === true ? await startMonit(monit.path, join(lab.dir, "monit"), idle.services, 60) : null;
    let peerStop: MonitStop | undefined;
    if (peer !== null) cleanups.defer(async () => void (peerStop ??= await peer.stop()));
    await delay(options.settleMs);
    const watched = [{ name: "The daemon", pid: idle.daemon.pid }, ...(peer === null ? [] : [{ name: "monit", pid: peer.pid }])];
    const [samples, peerSamples] = await sampleTogether(watched, options);
    if (peer !== null) peerStop = await peer.stop();
    const outcome = await idle.finish();
    const peerRun = monit === null ? {} : { monit: monit.ok && peerSamples !== undefined && peerStop !== undefined ? { version: monit.version, samples: peerSamples, stop: peerStop } : { reason: monit.ok ? "it did not run" : monit.reason } };
    return { scenario, samples: samples as Sample[], ...outcome, ...peerRun };
  } finally {
    await cleanups.run();
  }
}

/** Every `together` daemon, the floor, bare Node and PM2's daemon, started one after the other and sampled at the same ticks. */
async function sharedWindow(options: IdleBenchOptions): Promise<{ runs: IdleRun<IdleScenario>[]; companions: Companions }> {
  const pm2Cli = await ensurePm2();
  return withDaemonLabs([...options.together.map(() => "idle"), "floor"], async (labs) => {
    const cleanups = new Cleanups();
    try {
      const daemons: IdleDaemon[] = [];
      for (const [i, scenario] of options.together.entries()) {
        const idle = await startIdleDaemon(labs[i] as DaemonLab, scenario);
        cleanups.defer(idle.quiet);
        daemons.push(idle);
      }
      const floor = await startFloor(labs.at(-1) as DaemonLab, options.v8Flags);
      cleanups.defer(floor.stop);
      const bare = startBareNode();
      cleanups.defer(bare.stop);
      const watched: Watched[] = [...daemons.map((idle) => ({ name: "A daemon", pid: idle.daemon.pid })), { name: "The floor program", pid: floor.pid }, { name: "Bare Node", pid: bare.pid }];
      let pm2Stop: Pm2Stop | undefined;
      if (pm2Cli.ok) {
        const pm2 = launchPm2(pm2Cli.cli, ["/bin/sleep", "100000"]);
        cleanups.defer(async () => void (pm2Stop = await pm2.stop()));
        watched.push({ name: "PM2's daemon", pid: (await pm2.ready).pid });
      }
      await delay(options.settleMs);
      const samples = await sampleTogether(watched, options);
      const runs: IdleRun<IdleScenario>[] = [];
      for (const [i, idle] of daemons.entries()) runs.push({ scenario: options.together[i] as IdleScenario, samples: samples[i] as Sample[], ...(await idle.finish()) });
      await cleanups.run();
      const [floorSamples, bareSamples, pm2Samples] = samples.slice(daemons.length) as [Sample[], Sample[], Sample[] | undefined];
      const pm2 = pm2Cli.ok ? { samples: pm2Samples as Sample[], stop: pm2Stop as Pm2Stop } : { reason: pm2Cli.reason };
      return { runs, companions: { floor: floorSamples, bare: bareSamples, pm2 } };
    } finally {
      await cleanups.run();
    }
  });
}
