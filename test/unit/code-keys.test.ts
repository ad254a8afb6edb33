import { describe, expect, it } from 'vitest';
import { highestTopKey, keysAfterMove, missingKeys, nextChildKey } from '../../server/codebooks/keys.js';
import { codeTree, descendantsOf, siblingsOf, treeOrder } from '../../server/codebooks/tree.js';

const code = (codeId: string, order: number, parentId?: string, key?: string) => ({ codeId, order, parentId, key });

describe('the code tree', () => {
  const codes = [code('b', 0), code('b-child', 1, 'b'), code('a', 2), code('a-child', 3, 'a'), code('c', 4)];

  it('lists each parent followed by its children, a child listed before its parent included', () => {
    const shuffled = [codes[3]!, codes[1]!, codes[4]!, codes[0]!, codes[2]!];
    expect(treeOrder(shuffled).map((c) => c.codeId)).toEqual(['b', 'b-child', 'a', 'a-child', 'c']);
    expect(
      codeTree(shuffled).map((node) => [node.code.codeId, node.children.map((child) => child.code.codeId)]),
    ).toEqual([
      ['b', ['b-child']],
      ['a', ['a-child']],
      ['c', []],
    ]);
  });

  it('lists a loop of parents (never made by the app) at the end rather than losing it', () => {
    const loop = [code('x', 0, 'y'), code('y', 1, 'x'), code('top', 2), code('self', 3, 'self')];
    expect(treeOrder(loop).map((c) => c.codeId)).toEqual(['top', 'self', 'x', 'y']);
  });

  it('finds siblings and descendants', () => {
    expect(siblingsOf(codes, codes[1]!).map((c) => c.codeId)).toEqual(['b-child']);
    expect(siblingsOf(codes, codes[2]!).map((c) => c.codeId)).toEqual(['b', 'a', 'c']);
    const deep = [...codes, code('grandchild', 5, 'a-child')];
    expect(descendantsOf(deep, 'a').map((c) => c.codeId)).toEqual(['a-child', 'grandchild']);
  });
});

describe('stable code numbers', () => {
  it('numbers top-level codes after the highest ever used, and sub-codes under their parent', () => {
    const codes = [
      code('a', 0),
      code('a-sub', 1, 'a'),
      code('a-sub-2', 2, 'a'),
      code('b', 3),
      code('deep', 4, 'a-sub'),
    ];
    const { keys, topKey } = missingKeys(codes);
    expect(Object.fromEntries(keys)).toEqual({ a: '1', 'a-sub': '1.1', deep: '1.1.1', 'a-sub-2': '1.2', b: '2' });
    expect(topKey).toBe(2);
    // Numbers already given are kept; new ones follow the highest ever used (9 here, though 3 to 8 are free).
    const later = missingKeys(
      [code('a', 0, undefined, '1'), code('a-sub', 1, 'a', '1.4'), code('new', 2), code('new-sub', 3, 'a')],
      9,
    );
    expect(Object.fromEntries(later.keys)).toEqual({ 'new-sub': '1.5', new: '10' });
    expect(later.topKey).toBe(10);
  });

  it('takes the next free number under a parent, and the highest top-level number', () => {
    const keys = [{ key: '3' }, { key: '3.1' }, { key: '3.4' }, { key: '3.4.1' }, { key: '13.9' }, { key: '12' }];
    expect(nextChildKey('3', keys)).toBe('3.5');
    expect(nextChildKey('3.4', keys)).toBe('3.4.2');
    expect(nextChildKey('7', keys)).toBe('7.1');
    expect(highestTopKey(keys)).toBe(12);
  });

  it('renumbers a moved code and everything under it, keeping their places relative to it', () => {
    const codes = [
      code('a', 0, undefined, '3'),
      code('b', 1, 'a', '3.2'),
      code('c', 2, 'b', '3.2.1'),
      code('d', 3, 'b', '3.2.7'),
    ];
    const moved = keysAfterMove(codes, 'b', '5.1', descendantsOf(codes, 'b'));
    expect(Object.fromEntries(moved)).toEqual({ b: '5.1', c: '5.1.1', d: '5.1.7' });
  });
});
