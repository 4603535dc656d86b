/** Types of scripts/layers.js (plain JS: eslint.config.js loads it without a TypeScript loader). */
export declare const SRC_FILES: "*.ts";
export interface Layer {
  folder: string;
  allowed: string[];
}
export declare function readLayers(root?: string): Layer[];
export declare function layerPath(folder: string): string;
export declare function layerZones(root?: string): Array<{ target: string; from: string; message: string }>;
