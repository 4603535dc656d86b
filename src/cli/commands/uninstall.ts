import { existsSync } from "node:fs";
import { join } from "node:path";
import { EXIT } from "../../core/errors.js";
import { DB_FILE_NAME } from "../../store/open-database.js";
import { openInstallRecords } from "../../store/install-records.js";
import { uninstall } from "../../setup/uninstall.js";
import type { CliIo } from "../io.js";
import { openConfig } from "../open-config.js";

export interface UninstallCommandOptions {
  config?: string;
  purge?: boolean;
  force?: boolean;
  dryRun?: boolean;
}

/** `lifeguard uninstall`: undoes exactly what `lifeguard install` recorded in the config's store. */
export async function runUninstall(options: UninstallCommandOptions, io: CliIo): Promise<number> {
  const config = await openConfig(options, io);
  if (!existsSync(join(config.state, DB_FILE_NAME))) {
    io.stdout(`Nothing to uninstall: ${config.state} holds no store, so lifeguard install never ran for this config.`);
    return EXIT.healthy;
  }
  if (options.dryRun !== true && process.getuid?.() !== 0) {
    io.stderr("lifeguard: uninstall changes system files: run it as root (sudo), or see what it would do with --dry-run");
    return EXIT.usage;
  }
  const records = openInstallRecords(config.state);
  try {
    return await uninstall(records, { force: options.force === true, purge: options.purge === true, dryRun: options.dryRun === true, say: io.stdout });
  } finally {
    records.close();
  }
}
