#!/usr/bin/env node
// Refuses import cycles among the project's TypeScript files, type-only imports included (ESLint's
// import-x/no-cycle skips those, and a cycle of types is still two modules that cannot be read, moved
// or tested apart). Part of `npm run lint`. Usage: node scripts/check-cycles.js [DIR...] (default:
// src test bench). Exit 1 and one line per cycle when there is any.
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

/** Every cycle among the .ts files under `dirs`, each as its files (relative to `base`), in import order. */
export function findCycles(dirs, base = process.cwd()) {
  const files = dirs.flatMap((dir) => listTs(resolve(base, dir)));
  const known = new Set(files);
  const graph = new Map(files.map((file) => [file, importsOf(file).filter((target) => known.has(target))]));
  return stronglyConnected(graph).map((component) => orderAsCycle(component, graph).map((file) => relative(base, file)));
}

function listTs(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts"))
    .map((entry) => join(entry.parentPath ?? entry.path, entry.name));
}

/** The relative imports and re-exports of `file` (static, dynamic, type-only), as source paths. */
function importsOf(file) {
  const { importedFiles } = ts.preProcessFile(readFileSync(file, "utf8"), true, true);
  return importedFiles
    .map((entry) => entry.fileName)
    .filter((name) => name.startsWith("./") || name.startsWith("../"))
    .map((name) => resolve(dirname(file), name.replace(/\.js$/, ".ts")));
}

/** Tarjan's algorithm, iterative (no recursion limit): the components of more than one file, or a file importing itself. */
function stronglyConnected(graph) {
  const index = new Map();
  const low = new Map();
  const onStack = new Set();
  const stack = [];
  const components = [];
  let next = 0;
  for (const root of graph.keys()) {
    if (index.has(root)) continue;
    const work = [{ node: root, edge: 0 }];
    index.set(root, next);
    low.set(root, next++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      const edges = graph.get(frame.node);
      if (frame.edge < edges.length) {
        const target = edges[frame.edge++];
        if (!index.has(target)) {
          index.set(target, next);
          low.set(target, next++);
          stack.push(target);
          onStack.add(target);
          work.push({ node: target, edge: 0 });
        } else if (onStack.has(target)) low.set(frame.node, Math.min(low.get(frame.node), index.get(target)));
        continue;
      }
      work.pop();
      if (work.length > 0) low.set(work[work.length - 1].node, Math.min(low.get(work[work.length - 1].node), low.get(frame.node)));
      if (low.get(frame.node) !== index.get(frame.node)) continue;
      const component = [];
      let member;
      do {
        member = stack.pop();
        onStack.delete(member);
        component.push(member);
      } while (member !== frame.node);
      if (component.length > 1 || graph.get(frame.node).includes(frame.node)) components.push(component);
    }
  }
  return components;
}

/** The shortest cycle through the component's first file (by name), back to it: what to read to break it. */
function orderAsCycle(component, graph) {
  const members = new Set(component);
  const start = [...component].sort()[0];
  if (graph.get(start).includes(start)) return [start];
  const parent = new Map([[start, null]]);
  for (const queue = [start]; queue.length > 0;) {
    const at = queue.shift();
    for (const target of graph.get(at)) {
      if (target === start) {
        const path = [];
        for (let step = at; step !== null; step = parent.get(step)) path.unshift(step);
        return path;
      }
      if (!members.has(target) || parent.has(target)) continue;
      parent.set(target, at);
      queue.push(target);
    }
  }
  return [...component]; // unreachable: a component's files all lead back to each other
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dirs = process.argv.length > 2 ? process.argv.slice(2) : ["src", "test", "bench"];
  const cycles = findCycles(dirs);
  for (const cycle of cycles) console.error(`Import cycle: ${[...cycle, cycle[0]].join(" → ")}`);
  if (cycles.length > 0) {
    console.error(`${cycles.length} import cycle${cycles.length === 1 ? "" : "s"}: move what both sides need into a module of its own, or into the lower layer.`);
    process.exit(1);
  }
}
