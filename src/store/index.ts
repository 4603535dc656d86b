/** The SQLite store: what the composition root and the CLI use. */
export { openStore, type Store, type StoreOptions } from "./store.js";
export { openResilientStore, type ResilientStore } from "./resilient-store.js";
export type { StoreNotice } from "./store-notices.js";
export { StoreError, type StoreErrorCode } from "./errors.js";
export { DB_FILE_NAME } from "./open-database.js";
export { SCHEMA_VERSION } from "./migrations.js";
export type { AcquireOptions, Lease } from "./lock.js";
export type { LeaseOwner } from "./lock-owner.js";
export type { AlertDelivery, AlertRecord, CommitResult, HistoryEntry, HistoryQuery, PruneResult, ServiceSummary, StoreStats } from "./types.js";
export { readTestAlerts, recordTestAlerts, sqliteProblem } from "./test-alerts.js";
export { openInstallRecords, type InstallRecord, type InstallRecords } from "./install-records.js";
export { readWatchersIn } from "./watchers.js";
