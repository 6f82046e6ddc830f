/**
 * Sorts a list of numbers in place, ascending. Rule and position lists per text usually hold a
 * handful of entries; at that size an insertion sort beats Array#sort and its comparator calls by
 * far, and longer lists still go to Array#sort.
 */
export function sortSmall(list: number[]): number[] {
  if (list.length > 32) return list.sort((a, b) => a - b);
  for (let k = 1; k < list.length; k++) {
    const v = list[k]!;
    let j = k - 1;
    while (j >= 0 && list[j]! > v) {
      list[j + 1] = list[j]!;
      j--;
    }
    list[j + 1] = v;
  }
  return list;
}
