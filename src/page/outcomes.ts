import { lazyCrypto } from "../process/lazy-crypto.js";

/** How many outcomes are kept, and for how long: enough for the redirect after an action and a reload or two. */
const KEPT = 16;
const KEPT_MS = 10 * 60_000;

interface Kept {
  id: string;
  session: string;
  at: number;
  ok: boolean;
  summary: string;
}

/**
 * What the page's actions came to, for the page they redirect to: the redirect names a random id
 * (`/?outcome=ID`), never a message, so a link cannot make the page say anything; the summary is
 * shown, escaped, only to the session that acted. A few, for a few minutes, in memory.
 */
export interface Outcomes {
  add(session: string, outcome: { ok: boolean; summary: string }, now: number): string;
  find(id: string, session: string, now: number): { ok: boolean; summary: string } | null;
}

export function createOutcomes(): Outcomes {
  let kept: Kept[] = [];
  const forget = (now: number): void => {
    kept = kept.filter((entry) => now - entry.at < KEPT_MS).slice(-KEPT);
  };
  return {
    add: (session, outcome, now) => {
      const id = lazyCrypto().randomBytes(12).toString("base64url");
      kept.push({ id, session, at: now, ok: outcome.ok, summary: outcome.summary });
      forget(now);
      return id;
    },
    find: (id, session, now) => {
      forget(now);
      const entry = kept.find((candidate) => candidate.id === id && candidate.session === session);
      return entry === undefined ? null : { ok: entry.ok, summary: entry.summary };
    },
  };
}
