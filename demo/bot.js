#!/usr/bin/env node
// Lifeguard's demo bot: a stand-in for a trading bot. It prints a line of "work" every half
// second, and now and then it freezes (alive, silent: the hung broker connection) or crashes.
// `npm start` runs Lifeguard on it (demo/lifeguard.yaml) to show both being caught.
//   DEMO_FREEZE_AFTER_MS  freeze after this long (default: 6 to 12 s after start)
//   DEMO_CRASH_CHANCE     chance per line to crash after the first freeze (default 0.01)
const freezeAfterMs = Number(process.env.DEMO_FREEZE_AFTER_MS ?? 6000 + Math.random() * 6000);
const crashChance = Number(process.env.DEMO_CRASH_CHANCE ?? 0.01);
const started = Date.now();
let tick = 0;

const timer = setInterval(() => {
  tick += 1;
  const vix = (15 + Math.sin(tick / 10) * 3).toFixed(2);
  console.log(`${new Date().toISOString()} INFO tick ${tick} VIX ${vix} Position ok Update`);
  if (Date.now() - started > freezeAfterMs) {
    console.log(`${new Date().toISOString()} WARN waiting for the broker... (frozen: no more lines)`);
    clearInterval(timer);
    setInterval(() => undefined, 60_000); // alive, doing nothing
  } else if (tick > 3 && Math.random() < crashChance) {
    console.error(`${new Date().toISOString()} ERROR Traceback: connection reset by peer`);
    process.exit(1);
  }
}, 500);
