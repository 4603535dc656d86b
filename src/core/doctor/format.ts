import type { Finding, FindingLevel } from "./finding.js";

/** The label that starts a finding's line: failures in capitals, to be seen first. */
const LABEL: Record<FindingLevel, string> = { ok: "ok", warn: "warn", fail: "FAIL" };
/** Labels and the lines under them (a fix, a config's further issues) start at this column. */
const INDENT = 6;

/**
 * The findings as `doctor` prints them: `ok    config ... is valid`, `FAIL  log ...` with
 * `      fix: COMMAND` under it. `style` sets off a label (colours on a terminal); plain by default.
 */
export function formatFindings(findings: readonly Finding[], style: (label: string, level: FindingLevel) => string = (label) => label): string {
  return findings.flatMap((finding) => formatFinding(finding, style)).join("\n");
}

function formatFinding(finding: Finding, style: (label: string, level: FindingLevel) => string): string[] {
  const label = LABEL[finding.level];
  const pad = " ".repeat(INDENT - label.length);
  const [first = "", ...rest] = finding.message.split("\n");
  const lines = [`${style(label, finding.level)}${pad}${finding.topic} ${first}`, ...rest.map((line) => `${" ".repeat(INDENT)}${line.trimStart()}`)];
  if (finding.fix !== undefined && finding.level !== "ok") lines.push(`${" ".repeat(INDENT)}fix: ${finding.fix}`);
  return lines;
}

/** A summary line under the findings: `2 problems, 1 warning`. */
export function summarise(findings: readonly Finding[]): string {
  const count = (level: FindingLevel): number => findings.filter((finding) => finding.level === level).length;
  const fails = count("fail");
  const warns = count("warn");
  const parts = [`${fails} problem${fails === 1 ? "" : "s"}`, `${warns} warning${warns === 1 ? "" : "s"}`];
  return fails === 0 ? `Nothing stops Lifeguard from protecting the services (${parts[1]}).` : `${parts.join(", ")}: fix the FAIL lines, then run doctor again.`;
}
