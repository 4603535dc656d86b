import { isMap, isScalar, isSeq, type Pair, type Scalar, type YAMLMap } from "yaml";
import type { FieldPath } from "./format-path.js";

/** What `walkYaml` calls back with; paths are those of the parsed data (`services.trader.checks.0`). */
export interface YamlVisitor {
  map?(map: YAMLMap, path: FieldPath): void;
  /** A scalar in value position (keys are not visited). */
  scalar?(scalar: Scalar, path: FieldPath): void;
}

/** Visits a YAML node tree depth first. Aliases are skipped: their target is visited where it is defined. */
export function walkYaml(node: unknown, path: FieldPath, visitor: YamlVisitor): void {
  if (isMap(node)) {
    visitor.map?.(node, path);
    for (const pair of node.items) walkYaml(pair.value, [...path, keyText(pair)], visitor);
  } else if (isSeq(node)) {
    node.items.forEach((item, index) => walkYaml(item, [...path, index], visitor));
  } else if (isScalar(node)) {
    visitor.scalar?.(node, path);
  }
}

/** A pair's key as the parsed data has it. */
export function keyText(pair: Pair): string {
  return isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
}
