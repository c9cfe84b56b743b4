"use client";
import { useQuery } from "@tanstack/react-query";
import { useId } from "react";
import type { ActionResult } from "@/lib/read/action-result";
import { useDebounced } from "./use-debounced";

export type FilterValidator = (filter: string) => Promise<ActionResult<{ clauses: number }>>;

/**
 * A filter string input checked by the server's parser as the user types; the parser's own
 * message (with its position) is shown under the field. `onValidity` tells the form whether
 * it may submit.
 */
export function FilterField({
  value,
  onChange,
  validate,
  label = "Filter",
  placeholder,
  name = "filter",
  hint,
  autoFocus,
}: {
  value: string;
  onChange: (v: string) => void;
  validate: FilterValidator;
  label?: string;
  placeholder?: string;
  name?: string;
  hint?: React.ReactNode;
  autoFocus?: boolean;
}) {
  const id = useId();
  const debounced = useDebounced(value.trim(), 250);
  const check = useQuery({
    queryKey: ["validate-filter", debounced],
    queryFn: () => validate(debounced),
    enabled: debounced !== "",
    staleTime: Infinity,
    placeholderData: (prev) => prev,
  });
  const settled = debounced === value.trim();
  const error = debounced !== "" && settled && check.data && !check.data.ok ? check.data.error.message : null;
  // The hint speaks of a blank field; once something is typed, say whether it parses instead.
  const valid = debounced !== "" && settled && check.data?.ok ? check.data.data.clauses : null;
  const note =
    value.trim() === ""
      ? (hint ?? "MLflow search syntax: clauses joined by AND.")
      : valid !== null
        ? `Valid filter: ${valid} clause${valid === 1 ? "" : "s"}.`
        : "MLflow search syntax: clauses joined by AND.";
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        name={name}
        type="text"
        className="filter-input"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        placeholder={placeholder ?? "e.g. trace.status = 'ERROR' AND span.type = 'TOOL'"}
        aria-invalid={error ? true : undefined}
        aria-describedby={`${id}-msg`}
        spellCheck={false}
        autoComplete="off"
        autoFocus={autoFocus}
      />
      <div id={`${id}-msg`} className={error ? "error" : "hint"} aria-live="polite">
        {error ?? note}
      </div>
    </div>
  );
}

/** Whether a filter is known valid right now (blank counts as valid). Forms use it to enable submit. */
export function useFilterValid(value: string, validate: FilterValidator): boolean | undefined {
  const debounced = useDebounced(value.trim(), 250);
  const check = useQuery({
    queryKey: ["validate-filter", debounced],
    queryFn: () => validate(debounced),
    enabled: debounced !== "",
    staleTime: Infinity,
  });
  if (value.trim() === "") return true;
  if (debounced !== value.trim() || !check.data) return undefined;
  return check.data.ok;
}
