// RLIKE on Postgres. RLIKE means RE2 (match.ts); Postgres' ~ is Spencer's ARE, which differs in
// places (`.` matches a newline, \d \s \w follow the locale, {n} stops at 255, a stray { is an
// error, flags and classes are spelled differently). This translates the subset of RE2 whose
// meaning can be written exactly in ARE, and answers null for anything else, which the compiler
// then leaves to JS (compileFilter's residual). Accepted: literals, `.`, ^ $, \d \D \s \S \w \W,
// \n \t \r \f, escaped punctuation, [classes] with ASCII ranges, groups ( ) (?: ), |, and the
// quantifiers * + ? {n} {n,} {n,m} (n, m <= 255), each optionally lazy.

const META = new Set([..."\\.[](){}*+?|^$"]);
const PUNCT = /^[!-/:-@[-`{-~]$/; // ASCII punctuation: escaped, it stands for itself in both
const CLASS: Record<string, string> = { d: "0-9", s: "\\t\\n\\f\\r ", w: "0-9A-Za-z_" };
const CONTROL: Record<string, string> = { n: "\\n", t: "\\t", r: "\\r", f: "\\f" };
const MAX_BOUND = 255;

/** The ARE with the same matches as RE2 pattern `re`, or null when it is outside the subset. */
export function re2ToPostgres(re: string): string | null {
  const chars = [...re];
  let i = 0;
  let out = "";
  let depth = 0;
  // Whether a quantifier may follow: only right after an atom.
  let atom = false;
  // Whether the current branch is empty so far (an empty branch or group is not accepted).
  let empty = true;

  const bound = (): string | null => {
    const m = /^\{(\d{1,3})(,(\d{0,3}))?\}/.exec(chars.slice(i).join(""));
    if (!m) return null;
    const lo = Number(m[1]);
    const hi = m[3] === undefined || m[3] === "" ? null : Number(m[3]);
    if (lo > MAX_BOUND || (hi !== null && (hi > MAX_BOUND || hi < lo))) return null;
    i += [...m[0]].length;
    return m[0];
  };

  while (i < chars.length) {
    const ch = chars[i]!;
    if (ch === "*" || ch === "+" || ch === "?" || ch === "{") {
      if (!atom) return null;
      let q: string | null = ch;
      if (ch === "{") q = bound();
      else i++;
      if (q === null) return null;
      if (chars[i] === "?") {
        q += "?";
        i++;
      }
      out += q;
      atom = false;
      continue;
    }
    i++;
    if (ch === "(") {
      if (chars[i] === "?") {
        if (chars[i + 1] !== ":") return null;
        i += 2;
        out += "(?:";
      } else out += "(";
      depth++;
      atom = false;
      empty = true;
      continue;
    } else if (ch === ")") {
      if (depth === 0 || empty) return null;
      depth--;
      out += ")";
      atom = true;
    } else if (ch === "|") {
      if (empty) return null;
      out += "|";
      atom = false;
      empty = true;
      continue;
    } else if (ch === "^" || ch === "$") {
      out += ch;
      atom = false;
    } else if (ch === ".") {
      // RE2's . leaves out \n (no s flag); ARE's takes it.
      out += "[^\\n]";
      atom = true;
    } else if (ch === "[") {
      const cls = bracket();
      if (cls === null) return null;
      out += cls;
      atom = true;
    } else if (ch === "\\") {
      const e = escape(chars[i++], false);
      if (e === null) return null;
      out += e;
      atom = true;
    } else if (ch === "]" || ch === "}") {
      return null;
    } else {
      out += ch;
      atom = true;
    }
    empty = false;
  }
  if (depth !== 0 || (empty && out.endsWith("|"))) return null;
  return out;

  /** An escape outside or inside [ ]: null when not in the subset. */
  function escape(e: string | undefined, inClass: boolean): string | null {
    if (e === undefined) return null;
    const lower = e.toLowerCase();
    if (CLASS[lower] !== undefined) {
      if (inClass) return e === lower ? CLASS[lower]! : null;
      return e === lower ? `[${CLASS[lower]}]` : `[^${CLASS[lower]}]`;
    }
    if (CONTROL[e] !== undefined) return CONTROL[e]!;
    if (PUNCT.test(e)) return `\\${e}`;
    return null;
  }

  function bracket(): string | null {
    let body = "";
    let negated = false;
    if (chars[i] === "^") {
      negated = true;
      i++;
    }
    let items = 0;
    while (i < chars.length && chars[i] !== "]") {
      const c = chars[i++]!;
      if (c === "[") return null;
      if (c === "\\") {
        const e = escape(chars[i++], true);
        if (e === null) return null;
        body += e;
      } else if (c === "-") {
        // Only as the first or last item, where both read it as itself.
        if (items !== 0 && chars[i] !== "]") return null;
        body += "\\-";
      } else if (chars[i] === "-" && chars[i + 1] !== undefined && chars[i + 1] !== "]") {
        const hi = chars[i + 1]!;
        const alnum = /^[0-9A-Za-z]$/;
        if (!alnum.test(c) || !alnum.test(hi) || c > hi) return null;
        // Digits with digits, lower with lower, upper with upper: the same code points in both.
        const kind = (x: string) => (/\d/.test(x) ? 0 : /[a-z]/.test(x) ? 1 : 2);
        if (kind(c) !== kind(hi)) return null;
        body += `${c}-${hi}`;
        i += 2;
      } else if (c === "^") {
        body += "\\^";
      } else {
        body += META.has(c) ? `\\${c}` : c;
      }
      items++;
    }
    if (chars[i] !== "]" || items === 0) return null;
    i++;
    return `[${negated ? "^" : ""}${body}]`;
  }
}
