// Tokenizer for the filter grammar. Every token keeps its 0-based source position so each
// error can point at the exact character a user has to fix.
import { InvalidParameterError } from "@/lib/core/errors";

/** One piece of a dotted identifier; backticked pieces keep dots and other characters verbatim. */
export interface Segment {
  text: string;
  quoted: boolean;
  pos: number;
}

export type Token =
  | { type: "ident"; segments: Segment[]; pos: number; raw: string }
  | { type: "string"; value: string; pos: number; raw: string }
  | { type: "number"; value: number; pos: number; raw: string }
  | { type: "op"; value: "=" | "!=" | "<" | ">" | "<=" | ">="; pos: number; raw: string }
  | { type: "punct"; value: "(" | ")" | ","; pos: number; raw: string }
  | { type: "end"; pos: number; raw: "" };

const MAX_NEAR = 40;

/** The single error shape of the grammar: where, near what, and what was expected. */
export function filterError(source: string, pos: number, near: string, message: string, what = "filter"): never {
  const shown = near.length > MAX_NEAR ? `${near.slice(0, MAX_NEAR)}...` : near;
  const at = near === "" ? "at end of input" : `near '${shown}'`;
  throw new InvalidParameterError(`Invalid ${what} at position ${pos} ${at}: ${message}`, {
    [what === "filter" ? "filter" : "order_by"]: source,
    position: pos,
    near,
  });
}

const WORD_START = /[A-Za-z_]/;
const WORD = /[A-Za-z0-9_]/;

/** Splits a filter into tokens; `what` only changes the wording of errors (filter or order_by). */
export function tokenize(src: string, what = "filter"): Token[] {
  const tokens: Token[] = [];
  const fail = (pos: number, near: string, msg: string): never => filterError(src, pos, near, msg, what);
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const start = i;
    if (c === "'" || c === '"') {
      let value = "";
      i++;
      for (;;) {
        if (i >= src.length) fail(start, src.slice(start), `unterminated string: missing closing ${c}`);
        const ch = src[i]!;
        // A backslash escapes only the quote and itself, so regex escapes like \d or \. pass through.
        if (ch === "\\" && (src[i + 1] === c || src[i + 1] === "\\")) {
          value += src[i + 1];
          i += 2;
        } else if (ch === c) {
          i++;
          break;
        } else {
          value += ch;
          i++;
        }
      }
      tokens.push({ type: "string", value, pos: start, raw: src.slice(start, i) });
    } else if (/[0-9]/.test(c) || (c === "-" && /[0-9.]/.test(src[i + 1] ?? ""))) {
      i++;
      while (i < src.length && /[A-Za-z0-9_.]/.test(src[i]!)) i++;
      const raw = src.slice(start, i);
      if (!/^-?\d+(\.\d+)?$/.test(raw)) fail(start, raw, `bad number '${raw}' (expected digits, optionally with a decimal part)`);
      tokens.push({ type: "number", value: Number(raw), pos: start, raw });
    } else if (WORD_START.test(c) || c === "`") {
      tokens.push(readIdent(src, start, fail));
      i = start + tokens[tokens.length - 1]!.raw.length;
    } else if ("=!<>".includes(c)) {
      const two = src.slice(i, i + 2);
      if (two === "!=" || two === "<=" || two === ">=") {
        tokens.push({ type: "op", value: two, pos: start, raw: two });
        i += 2;
      } else if (c === "!") {
        fail(start, c, "expected '!=' (a lone '!' is not an operator)");
      } else {
        tokens.push({ type: "op", value: c as "=" | "<" | ">", pos: start, raw: c });
        i++;
      }
    } else if (c === "(" || c === ")" || c === ",") {
      tokens.push({ type: "punct", value: c, pos: start, raw: c });
      i++;
    } else {
      const afterName = tokens[tokens.length - 1]?.type === "ident";
      const hint = afterName ? " (quote names with special characters in backticks, e.g. tag.`my-key`)" : "";
      fail(start, c, `unexpected character '${c}'${hint}`);
    }
  }
  tokens.push({ type: "end", pos: src.length, raw: "" });
  return tokens;
}

/** Reads `a.b.c`, `` a.`b.c` `` and similar: dot-separated words or backticked names, no spaces. */
function readIdent(src: string, start: number, fail: (pos: number, near: string, msg: string) => never): Token {
  const segments: Segment[] = [];
  let i = start;
  for (;;) {
    if (src[i] === "`") {
      const close = src.indexOf("`", i + 1);
      if (close < 0) fail(i, src.slice(i), "unterminated backtick: missing closing `");
      segments.push({ text: src.slice(i + 1, close), quoted: true, pos: i });
      i = close + 1;
    } else if (i < src.length && WORD.test(src[i]!)) {
      const s = i;
      while (i < src.length && WORD.test(src[i]!)) i++;
      segments.push({ text: src.slice(s, i), quoted: false, pos: s });
    } else {
      // Only reachable after a dot: `tag.` followed by nothing usable.
      segments.push({ text: "", quoted: false, pos: i });
    }
    if (src[i] !== ".") break;
    i++;
  }
  return { type: "ident", segments, pos: start, raw: src.slice(start, i) };
}

/** True when the token is the bare (unquoted, undotted) keyword, compared case-insensitively. */
export function isKeyword(t: Token, word: string): boolean {
  return t.type === "ident" && t.segments.length === 1 && !t.segments[0]!.quoted && t.segments[0]!.text.toUpperCase() === word;
}
