// The one way Vigil reads rows by a list of ids: SQLite caps the bound parameters of a statement,
// so a long list goes in pages of IN_CHUNK, each page's statement prepared once per connection and
// page size (the engine reads tens of thousands of rows a second; preparing cost more than reading).
import type Database from "better-sqlite3";

export const IN_CHUNK = 500;

/** The token a template puts where the page's `(?, ?, ...)` goes. */
export const IDS = ":ids";

/** The distinct ids in first-seen order, in pages of at most `size`: a repeated id is read once. */
export function idChunks<T>(ids: readonly T[], size = IN_CHUNK): T[][] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`chunk size must be a positive integer, got ${size}`);
  const unique = [...new Set(ids)];
  const out: T[][] = [];
  for (let i = 0; i < unique.length; i += size) out.push(unique.slice(i, i + size));
  return out;
}

const cache = new WeakMap<Database.Database, Map<string, Map<number, Database.Statement>>>();

function statementFor(db: Database.Database, template: string, count: number, raw: boolean): Database.Statement {
  let byTemplate = cache.get(db);
  if (!byTemplate) cache.set(db, (byTemplate = new Map()));
  const key = raw ? `raw:${template}` : template;
  let byCount = byTemplate.get(key);
  if (!byCount) byTemplate.set(key, (byCount = new Map()));
  let st = byCount.get(count);
  if (!st) {
    st = db.prepare(template.replace(IDS, `(${Array(count).fill("?").join(",")})`));
    if (raw) st.raw();
    byCount.set(count, st);
  }
  return st;
}

export interface SelectInOptions {
  /** Positional values bound before the ids (for `?` that precede the IN list in the template). */
  before?: readonly unknown[];
  /** Rows as arrays of column values (better-sqlite3's raw mode). */
  raw?: boolean;
  size?: number;
}

/**
 * All rows of `template` (SQL with `IN :ids` where the list goes) over the distinct `ids`, page
 * by page. Rows of different pages are concatenated: an ORDER BY holds within a page only.
 */
export function selectIn<T>(db: Database.Database, template: string, ids: readonly unknown[], options: SelectInOptions = {}): T[] {
  if (!template.includes(IDS)) throw new Error(`selectIn: the SQL has no ${IDS} placeholder`);
  const pages = idChunks(ids, options.size);
  const read = (page: unknown[]): T[] => {
    const st = statementFor(db, template, page.length, options.raw === true);
    return (options.before ? st.all(...options.before, ...page) : st.all(...page)) as T[];
  };
  // One page (the engine's batches of up to 500): its rows as they come, without a copy.
  if (pages.length === 1) return read(pages[0]!);
  const out: T[] = [];
  for (const page of pages) for (const r of read(page)) out.push(r);
  return out;
}
