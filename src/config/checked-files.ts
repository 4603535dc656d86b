import type { ServiceConfig } from "./types.js";

/** The files a service's checks read: any check option named `path` or `file` that holds one. */
export function checkedFiles(service: ServiceConfig): string[] {
  return service.checks.flatMap((check) => [("path" in check ? check.path : null), ("file" in check ? check.file : null)]).filter((path): path is string => typeof path === "string");
}

/** The units whose journal a service's checks read: any check option named `journal` that holds one. */
export function checkedJournals(service: ServiceConfig): string[] {
  return service.checks.flatMap((check) => ("journal" in check && typeof check.journal === "string" ? [check.journal] : []));
}
