/**
 * The `source` of a quick-mode config, where a file's path would be. A module of its own, so that
 * the daemon can tell quick mode without loading the config pipeline (zod stays out of it).
 */
export const QUICK_SOURCE = "<command line>";
