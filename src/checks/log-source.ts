/** A log check's config once its source is known: a file (`path`) or a unit's journal (`journal`); the config gives exactly one. */
export type OnFile<Config extends { path: string | null }> = Config & { path: string };
export type OnJournal<Config extends { journal: string | null }> = Config & { journal: string };
