// String matching shared by the in-memory evaluator and the SQLite REGEXP function, written to
// behave exactly like SQLite with `PRAGMA case_sensitive_like = ON` so both executions agree.
import type { StringMatch } from "./ast";

const CACHE_MAX = 500;
const regexCache = new Map<string, { re?: RegExp; error?: string }>();
const likeCache = new Map<string, RegExp>();

function remember<V>(cache: Map<string, V>, key: string, make: () => V): V {
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  // Patterns come from users; a crude full reset keeps memory bounded without an LRU.
  if (cache.size >= CACHE_MAX) cache.clear();
  const v = make();
  cache.set(key, v);
  return v;
}

/** RLIKE patterns are JavaScript regular expressions, searched anywhere in the value. */
export function compileRegex(pattern: string): { re?: RegExp; error?: string } {
  return remember(regexCache, pattern, () => {
    try {
      return { re: new RegExp(pattern) };
    } catch (e) {
      return { error: e instanceof Error ? e.message : String(e) };
    }
  });
}

export function regexSearch(pattern: string, value: string): boolean {
  const { re, error } = compileRegex(pattern);
  if (!re) throw new Error(`invalid regular expression: ${error}`);
  return re.test(value);
}

/** SQL LIKE without an escape character: % is any run, _ is one character, the rest is literal. */
export function like(value: string, pattern: string): boolean {
  const re = remember(likeCache, pattern, () => {
    let src = "";
    for (const ch of pattern) {
      if (ch === "%") src += "[\\s\\S]*";
      else if (ch === "_") src += "[\\s\\S]";
      else src += ch.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
    }
    // The u flag makes _ match one code point, as SQLite's LIKE matches one character.
    return new RegExp(`^${src}$`, "u");
  });
  return re.test(value);
}

/** SQLite's lower() folds only ASCII letters; ILIKE compiles to lower(x) LIKE lower(y). */
export function asciiLower(s: string): string {
  return s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}

/** Applies a string comparison; a missing value (null) never matches, as NULL does in SQL. */
export function matchString(m: StringMatch, value: string | null | undefined): boolean {
  if (value == null) return false;
  switch (m.op) {
    case "=":
      return value === m.value;
    case "!=":
      return value !== m.value;
    case "LIKE":
      return like(value, m.value);
    case "ILIKE":
      return like(asciiLower(value), asciiLower(m.value));
    case "RLIKE":
      return regexSearch(m.value, value);
    case "IN":
      return m.value.includes(value);
    case "NOT IN":
      return !m.value.includes(value);
  }
}

/**
 * The string form of a JSON value that filters compare: strings as they are, everything else as
 * compact JSON (true, 0.7, {"a":1}); null and absent are missing. MLflow matches `'true'` and
 * `'5'` against boolean and numeric feedback the same way.
 */
export function jsonValueText(v: unknown): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v === "string") return v;
  return JSON.stringify(v) ?? null;
}
