/**
 * Cycles between whole folders, which dependency-cruiser's own folder scope does not see: it draws an edge
 * from a folder to the folder that *holds* the imported file, so `events/append-events -> replay` and
 * `replay -> events/read-log` make no cycle there, although the `events` and `replay` folders depend on each
 * other. Here a folder stands for every file beneath it, and two folders that share a parent may depend on
 * each other one way only. A file importing from its own folder's subfolders (a module file wiring its
 * handlers) or from its parent (a handler using the module's shared file) is not a folder cycle.
 */
import { dirname } from 'node:path/posix';

export const RULE_NAME = 'no-folder-cycle-whole';

/** `a/b/c/x.ts` -> ['a', 'a/b', 'a/b/c'] */
function foldersOf(file) {
  const parts = dirname(file).split('/');
  if (parts[0] === '.') return [];
  return parts.map((_, i) => parts.slice(0, i + 1).join('/'));
}

/**
 * The edge one import draws between two sibling folders: the first folders where the two paths part, when
 * both files sit below them (not when one of the files is directly in the shared parent).
 */
function siblingEdge(from, to) {
  const a = foldersOf(from);
  const b = foldersOf(to);
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (i >= a.length || i >= b.length) return null;
  return [a[i], b[i]];
}

const isLocal = (dependency) =>
  !dependency.couldNotResolve &&
  !dependency.coreModule &&
  !dependency.resolved.includes('node_modules/') &&
  !dependency.dependencyTypes?.some((type) => type.startsWith('npm') || type === 'core');

/**
 * A spec is a leaf: nothing imports it, so it cannot close a loop in what the product depends on. A unit
 * spec kept beside its code may still use the package's test support (`src/x.unit.spec.ts -> test/...`)
 * while that support imports `src/`.
 */
const isSpec = (file) => /\.spec\.[cm]?[jt]sx?$/.test(file);

/** Folder graph: folder -> (folder -> the first import seen that draws that edge). */
export function siblingFolderGraph(modules) {
  const graph = new Map();
  for (const module of modules) {
    if (isSpec(module.source)) continue;
    for (const dependency of module.dependencies ?? []) {
      if (!isLocal(dependency)) continue;
      const edge = siblingEdge(module.source, dependency.resolved);
      if (!edge) continue;
      const [from, to] = edge;
      if (!graph.has(from)) graph.set(from, new Map());
      const targets = graph.get(from);
      if (!targets.has(to)) targets.set(to, { from: module.source, to: dependency.resolved });
    }
  }
  return graph;
}

/** Tarjan's strongly connected components; only components of two or more folders are cycles. */
function stronglyConnected(graph) {
  const index = new Map();
  const low = new Map();
  const onStack = new Set();
  const stack = [];
  const components = [];
  let next = 0;
  const visit = (node) => {
    index.set(node, next);
    low.set(node, next);
    next++;
    stack.push(node);
    onStack.add(node);
    for (const target of graph.get(node)?.keys() ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(node, Math.min(low.get(node), low.get(target)));
      } else if (onStack.has(target)) {
        low.set(node, Math.min(low.get(node), index.get(target)));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component = [];
      let member;
      do {
        member = stack.pop();
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) components.push(component);
    }
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node);
  return components;
}

/** The shortest way back to `start` inside one component, as a list of folders ending where it began. */
function shortestCycle(graph, start, members) {
  const cameFrom = new Map([[start, null]]);
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift();
    for (const target of [...(graph.get(node)?.keys() ?? [])].sort()) {
      if (!members.has(target)) continue;
      if (target === start) {
        const path = [];
        for (let at = node; at !== null; at = cameFrom.get(at)) path.unshift(at);
        return [...path, start];
      }
      if (!cameFrom.has(target)) {
        cameFrom.set(target, node);
        queue.push(target);
      }
    }
  }
  throw new Error(`${start} is in a cycle but has no way back to itself`);
}

/**
 * Every cycle between sibling folders, one per group of folders that reach each other, each with the imports
 * that draw its edges: [{ folders: ['a', 'b', 'a'], imports: [{ from, to }, ...] }].
 */
export function findFolderCycles(modules) {
  const graph = siblingFolderGraph(modules);
  return stronglyConnected(graph)
    .map((component) => {
      const members = new Set(component);
      const start = [...component].sort()[0];
      const folders = shortestCycle(graph, start, members);
      const imports = folders.slice(1).map((to, i) => graph.get(folders[i]).get(to));
      return { folders, imports };
    })
    .sort((x, y) => x.folders[0].localeCompare(y.folders[0]));
}

export function formatFolderCycles(cycles) {
  return cycles
    .map(
      ({ folders, imports }) =>
        `  error ${RULE_NAME}: ${folders.join(' → ')}\n` +
        imports.map(({ from, to }) => `      ${from} → ${to}\n`).join(''),
    )
    .join('');
}
