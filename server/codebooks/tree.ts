import type { CodeRecord } from './model.js';

/** What the tree needs of a code. */
export type TreeCode = Pick<CodeRecord, 'codeId' | 'parentId' | 'order'>;

/** The parent a code is shown under: none when its parent is missing or is itself. */
function parentOf(code: TreeCode, ids: Set<string>): string {
  return code.parentId && code.parentId !== code.codeId && ids.has(code.parentId) ? code.parentId : '';
}

/** Each code's children, keyed by parent id ('' for the top level), each list in sibling order. */
export function childrenByParent<T extends TreeCode>(codes: T[]): Map<string, T[]> {
  const ids = new Set(codes.map((code) => code.codeId));
  const children = new Map<string, T[]>();
  for (const code of codes) {
    const parent = parentOf(code, ids);
    const list = children.get(parent) ?? [];
    list.push(code);
    children.set(parent, list);
  }
  for (const list of children.values())
    list.sort((a, b) => a.order - b.order || (a.codeId < b.codeId ? -1 : a.codeId > b.codeId ? 1 : 0));
  return children;
}

/** The codes as the tree lists them: each parent followed by its children, siblings in order. */
export function treeOrder<T extends TreeCode>(codes: T[]): T[] {
  const children = childrenByParent(codes);
  const ordered: T[] = [];
  const seen = new Set<string>();
  const visit = (parent: string) => {
    for (const child of children.get(parent) ?? []) {
      if (seen.has(child.codeId)) continue;
      seen.add(child.codeId);
      ordered.push(child);
      visit(child.codeId);
    }
  };
  visit('');
  // A loop of parents (never made by the app, which refuses them) is listed at the end rather than lost.
  for (const code of codes) if (!seen.has(code.codeId)) ordered.push(code);
  return ordered;
}

/** Every code below `codeId`, nearest first. */
export function descendantsOf<T extends TreeCode>(codes: T[], codeId: string): T[] {
  const children = childrenByParent(codes);
  const found: T[] = [];
  const seen = new Set([codeId]);
  const queue = [codeId];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift()!) ?? []) {
      if (seen.has(child.codeId)) continue;
      seen.add(child.codeId);
      found.push(child);
      queue.push(child.codeId);
    }
  }
  return found;
}

/** The codes sharing `code`'s parent, in order, itself included. */
export function siblingsOf<T extends TreeCode>(codes: T[], code: TreeCode): T[] {
  const ids = new Set(codes.map((candidate) => candidate.codeId));
  return childrenByParent(codes).get(parentOf(code, ids)) ?? [];
}

/** A code with its children, for the codebook page. */
export interface TreeNode<T> {
  code: T;
  depth: number;
  children: TreeNode<T>[];
}

export function codeTree<T extends TreeCode>(codes: T[]): TreeNode<T>[] {
  const children = childrenByParent(codes);
  const seen = new Set<string>();
  const build = (parent: string, depth: number): TreeNode<T>[] =>
    (children.get(parent) ?? []).flatMap((code) => {
      if (seen.has(code.codeId)) return [];
      seen.add(code.codeId);
      return [{ code, depth, children: build(code.codeId, depth + 1) }];
    });
  return build('', 0);
}
