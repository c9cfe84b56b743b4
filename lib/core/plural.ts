// A count with its noun in the right number: "1 pair is", "2 pairs are", "1,204 traces". Pure,
// free of Node, so pages, client components and read models share one spelling.

/**
 * `n` (grouped, en-US) followed by `one` when n is 1, else `many` (default: `one` + "s").
 * Pass whole phrases when a verb must agree: `countOf(n, "pair is", "pairs are")`.
 */
export function countOf(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;
}
