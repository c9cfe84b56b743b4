// String matching shared by the in-memory evaluator and the SQLite REGEXP function, written to
// behave exactly like SQLite with `PRAGMA case_sensitive_like = ON` so both executions agree.
import { RE2JS } from "re2js";
import { InvalidParameterError } from "@/lib/core/errors";
import type { StringMatch } from "./ast";
import { FILTER_LIMITS } from "./limits";

/**
 * One filter evaluation (a search request, one trace against a scorer's filter) may scan at most
 * this many characters with LIKE/RLIKE. RE2 is linear per match, but huge values or many rows
 * would still pin a CPU; past the budget the evaluation fails instead.
 */
export class FilterBudgetExceededError extends InvalidParameterError {
  constructor(readonly budget: number) {
    super(
      `The filter would scan more than ${budget.toLocaleString("en-US")} characters with LIKE/RLIKE; narrow it (a time range, fewer experiments, an exact match first).`,
      { scan_budget_chars: budget },
    );
  }
}

let active: { left: number; budget: number } | null = null;

/**
 * Runs fn as one evaluation with its own scan budget. Synchronous on purpose: SQLite calls the
 * REGEXP function inside the statement, so the budget covers the whole query. Nested calls share
 * the outer budget.
 */
export function withFilterBudget<T>(fn: () => T, budget: number = FILTER_LIMITS.maxScanChars): T {
  if (active) return fn();
  active = { left: budget, budget };
  try {
    return fn();
  } finally {
    active = null;
  }
}

/** Charges one scan; outside withFilterBudget, each match is its own evaluation. */
function charge(chars: number): void {
  if (!active) {
    if (chars > FILTER_LIMITS.maxScanChars) throw new FilterBudgetExceededError(FILTER_LIMITS.maxScanChars);
    return;
  }
  active.left -= chars;
  if (active.left < 0) throw new FilterBudgetExceededError(active.budget);
}

const CACHE_MAX = 500;
const regexCache = new Map<string, { re?: CompiledRegex; error?: string }>();
const likeCache = new Map<string, RE2JS>();

function remember<V>(cache: Map<string, V>, key: string, make: () => V): V {
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  // Patterns come from users; a crude full reset keeps memory bounded without an LRU.
  if (cache.size >= CACHE_MAX) cache.clear();
  const v = make();
  cache.set(key, v);
  return v;
}

/**
 * RLIKE runs on RE2 (re2js): matching is linear in the value's length whatever the pattern, so no
 * pattern can backtrack catastrophically. JavaScript spellings (\uXXXX, named groups) are
 * translated; what RE2 cannot express (backreferences, lookaround) does not compile.
 */
export interface CompiledRegex {
  test(value: string): boolean;
}

export function compileRegex(pattern: string): { re?: CompiledRegex; error?: string } {
  return remember(regexCache, pattern, () => {
    if (pattern.length > FILTER_LIMITS.maxPatternChars) {
      return { error: `pattern is longer than ${FILTER_LIMITS.maxPatternChars} characters` };
    }
    try {
      return { re: RE2JS.compile(RE2JS.translateRegExp(pattern)) };
    } catch (e) {
      return { error: e instanceof Error ? e.message.replace(/^error parsing regexp: /, "") : String(e) };
    }
  });
}

export function regexSearch(pattern: string, value: string): boolean {
  const { re, error } = compileRegex(pattern);
  if (!re) throw new Error(`invalid regular expression: ${error}`);
  charge(value.length);
  return re.test(value);
}

/**
 * SQL LIKE without an escape character: % is any run, _ is one character, the rest is literal.
 * Compiled to RE2 too: a backtracking regex with many % runs is polynomial (%a%a%a%a%b).
 */
export function like(value: string, pattern: string): boolean {
  charge(value.length);
  const re = remember(likeCache, pattern, () => {
    let src = "";
    for (const ch of pattern) {
      if (ch === "%") src += "(?s:.*)";
      else if (ch === "_") src += "(?s:.)";
      else src += RE2JS.quote(ch);
    }
    // RE2 matches code points, so _ is one character as in SQLite's LIKE.
    return RE2JS.compile(`^${src}$`);
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
