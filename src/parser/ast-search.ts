// Searches of an AST subtree (a node, an array of nodes, or anything holding them) for nodes that
// pass a test. Every object-valued property but a span is a child, so new node kinds need no change.

/** What a test sees of a node: its kind, and its name when it has one (identifiers, calls, maps). */
export interface SearchedNode {
  readonly kind: string;
  readonly name?: unknown;
}

/** Whether any node in `tree` passes `test` (stops at the first). */
export function someNode(tree: unknown, test: (node: SearchedNode) => boolean): boolean {
  if (tree === null || typeof tree !== 'object') return false;
  if (Array.isArray(tree)) return tree.some((child) => someNode(child, test));
  const record = tree as Partial<SearchedNode>;
  if (typeof record.kind === 'string' && test(record as SearchedNode)) return true;
  return Object.entries(tree).some(([key, value]) => key !== 'span' && typeof value === 'object' && someNode(value, test));
}

/** Every node in `tree` that passes `test`, outer before inner, in source order. */
export function collectNodes(tree: unknown, test: (node: SearchedNode) => boolean): SearchedNode[] {
  const found: SearchedNode[] = [];
  someNode(tree, (node) => {
    if (test(node)) found.push(node);
    return false;
  });
  return found;
}
