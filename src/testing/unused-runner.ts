import type { Runner } from "../core/runner.js";

/** A Runner for checks that never touch one (the log checks): every call rejects. */
export const unusedRunner: Runner = {
  target: "unused.service",
  status: () => Promise.reject(new Error("not used")),
  stop: () => Promise.reject(new Error("not used")),
  kill: () => Promise.reject(new Error("not used")),
  start: () => Promise.reject(new Error("not used")),
};
