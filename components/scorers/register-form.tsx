"use client";
import { useRouter } from "next/navigation";
import { useQuery } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import type { Scorer } from "@/lib/monitoring/scorer-value";
import type { ActionResult } from "@/lib/read/action-result";
import { initialValues, paramsFromValues, type ParamField, type ParamValues } from "@/lib/read/scorers/param-fields";
import type { CatalogEntry } from "@/lib/read/scorers/scorer-catalog";
import { FilterField, useFilterValid, type FilterValidator } from "../filter-field";
import { useDebounced } from "../use-debounced";
import { percentToRate, RatePercentInput } from "./rate-input";

export interface RegisterActions {
  register: (experimentId: string, name: string, entry: string, params: Record<string, unknown>, description?: string) => Promise<ActionResult<Scorer>>;
  start: (experimentId: string, name: string, sampleRate: number, filterString: string | null) => Promise<ActionResult<Scorer>>;
  validateFilter: FilterValidator;
  countMatches?: (experimentId: string, filter: string) => Promise<ActionResult<{ matched: number; total: number; windowMs: number } | null>>;
}

const GROUPS: { label: string; test: (e: CatalogEntry) => boolean }[] = [
  { label: "Code checks (free, fast)", test: (e) => e.source === "builtin" && e.kind === "code" },
  { label: "LLM judges (MLflow built-ins)", test: (e) => e.source === "builtin" && e.kind === "judge" },
  { label: "Team scorers (scorers/custom/)", test: (e) => e.source === "module" },
  { label: "Your own judge", test: (e) => e.source === "instructions" },
];

/** Register a scorer: pick what it is, set its params and name, and optionally start it at once. */
export function RegisterScorerForm({
  experimentId,
  catalog,
  existing,
  actions,
  canStart,
}: {
  experimentId: string;
  catalog: CatalogEntry[];
  existing: string[];
  actions: RegisterActions;
  canStart: boolean;
}) {
  const router = useRouter();
  const [entryId, setEntryId] = useState(catalog[0]?.id ?? "");
  const entry = catalog.find((e) => e.id === entryId);
  const [name, setName] = useState("");
  const [values, setValues] = useState<ParamValues>(() => initialValues(entry?.fields ?? []));
  const [description, setDescription] = useState("");
  const [startNow, setStartNow] = useState(canStart);
  const [rate, setRate] = useState("10");
  const [filter, setFilter] = useState("");
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [serverError, setServerError] = useState<{ message: string; field?: string } | null>(null);
  const filterValid = useFilterValid(filter, actions.validateFilter);

  const converted = useMemo(() => paramsFromValues(entry?.fields ?? [], values), [entry, values]);
  const nameError = name.trim() === "" ? "Give the scorer a name." : name.includes(".") ? "Names cannot contain '.' (MLflow assessment names)." : null;
  const startRate = percentToRate(rate, false);
  const blocked = !entry || !!nameError || Object.keys(converted.errors).length > 0 || (startNow && (startRate === null || filterValid === false));

  const pick = (id: string) => {
    setEntryId(id);
    setValues(initialValues(catalog.find((e) => e.id === id)?.fields ?? []));
    setServerError(null);
  };

  const submit = async () => {
    setSubmitted(true);
    if (blocked || !entry) return;
    setBusy(true);
    setServerError(null);
    const r = await actions.register(experimentId, name.trim(), entry.id, converted.params, description.trim() || undefined);
    if (!r.ok) {
      setBusy(false);
      setServerError(r.error);
      return;
    }
    if (startNow) {
      const s = await actions.start(experimentId, r.data.name, startRate!, filter.trim() || null);
      if (!s.ok) {
        setBusy(false);
        setServerError({ message: `Registered, but starting failed: ${s.error.message}` });
        return;
      }
    }
    router.push(`/experiments/${experimentId}/scorers/${encodeURIComponent(r.data.name)}`);
    router.refresh();
  };

  return (
    <form
      className="panel"
      style={{ maxWidth: 760 }}
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
      aria-label="Register a scorer"
    >
      <div className="field">
        <label htmlFor="scorer-entry">Scorer</label>
        <select id="scorer-entry" value={entryId} onChange={(e) => pick(e.target.value)}>
          {GROUPS.map((g) => (
            <optgroup key={g.label} label={g.label}>
              {catalog.filter(g.test).map((e) => (
                <option key={e.id} value={e.id}>
                  {e.label}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
        {entry && (
          <div className="hint">
            {entry.description}
            {entry.kind === "judge" ? " Calls an LLM: costs money per trace scored." : ""}
          </div>
        )}
      </div>

      <div className="field">
        <label htmlFor="scorer-name">Name</label>
        <input
          id="scorer-name"
          type="text"
          value={name}
          onChange={(e) => setName(e.target.value)}
          autoComplete="off"
          spellCheck={false}
          aria-invalid={submitted && nameError ? true : undefined}
          aria-describedby="scorer-name-msg"
          placeholder="e.g. answer_length"
        />
        <div id="scorer-name-msg" className={submitted && nameError ? "error" : "hint"}>
          {submitted && nameError
            ? nameError
            : existing.includes(name.trim())
              ? `'${name.trim()}' exists: this registers a new version of it.`
              : "Also the name of the assessments it writes."}
        </div>
      </div>

      {entry && entry.fields.length > 0 && (
        <fieldset style={{ border: "1px solid var(--border)", borderRadius: 8, padding: "8px 12px 0", marginBottom: 12 }}>
          <legend className="small muted">Parameters</legend>
          {entry.fields.map((f) => (
            <ParamInput
              key={`${entry.id}:${f.name}`}
              field={f}
              value={values[f.name]}
              error={submitted ? converted.errors[f.name] : undefined}
              onChange={(v) => setValues((old) => ({ ...old, [f.name]: v }))}
            />
          ))}
        </fieldset>
      )}

      <div className="field">
        <label htmlFor="scorer-description">Description (optional)</label>
        <input id="scorer-description" type="text" value={description} onChange={(e) => setDescription(e.target.value)} maxLength={2000} />
      </div>

      <fieldset style={{ border: "1px solid var(--border)", borderRadius: 8, padding: "8px 12px 0", marginBottom: 12 }}>
        <legend className="small muted">Online scoring</legend>
        <label style={{ display: "flex", gap: 8, alignItems: "center", marginBottom: 8 }}>
          <input type="checkbox" checked={startNow} onChange={(e) => setStartNow(e.target.checked)} disabled={!canStart} />
          Start scoring live traffic now{!canStart && " (your role may not start scorers)"}
        </label>
        {startNow && (
          <>
            <RatePercentInput value={rate} onChange={setRate} min={0.0001} />
            <FilterField value={filter} onChange={setFilter} validate={actions.validateFilter} label="Filter (optional)" hint="Blank: every trace." />
            {actions.countMatches && filterValid && (
              <FilterMatches experimentId={experimentId} filter={filter} rate={percentToRate(rate, false)} count={actions.countMatches} />
            )}
          </>
        )}
      </fieldset>

      {serverError && (
        <div className="alert bad" role="alert">
          {serverError.field ? `${serverError.field}: ` : ""}
          {serverError.message}
        </div>
      )}
      <div style={{ display: "flex", gap: 8 }}>
        <button type="submit" className="btn primary" disabled={busy || (submitted && blocked)}>
          {busy ? "Registering…" : startNow ? "Register and start" : "Register"}
        </button>
        <button type="button" className="btn" onClick={() => router.back()}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function ParamInput({
  field: f,
  value,
  error,
  onChange,
}: {
  field: ParamField;
  value: string | boolean | undefined;
  error?: string;
  onChange: (v: string | boolean) => void;
}) {
  const id = `param-${f.name}`;
  const label = `${f.name}${f.required ? "" : " (optional)"}`;
  const msg = error ?? f.hint;
  const described = msg ? `${id}-msg` : undefined;
  if (f.type === "boolean") {
    return (
      <div className="field">
        <label style={{ display: "flex", gap: 8, alignItems: "center", fontWeight: 400, color: "var(--text)", fontSize: 13 }}>
          <input id={id} type="checkbox" checked={value === true} onChange={(e) => onChange(e.target.checked)} /> {f.name}
        </label>
      </div>
    );
  }
  const common = { id, "aria-invalid": error ? true : undefined, "aria-describedby": described } as const;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {f.type === "select" ? (
        <select {...common} value={String(value ?? "")} onChange={(e) => onChange(e.target.value)}>
          {!f.required && <option value="">(default)</option>}
          {f.options?.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      ) : f.type === "list" || f.type === "json" || f.name === "instructions" ? (
        <textarea {...common} rows={f.name === "instructions" ? 5 : 3} value={String(value ?? "")} onChange={(e) => onChange(e.target.value)} />
      ) : (
        <input
          {...common}
          type={f.type === "number" || f.type === "integer" ? "number" : "text"}
          step={f.type === "integer" ? 1 : "any"}
          value={String(value ?? "")}
          onChange={(e) => onChange(e.target.value)}
        />
      )}
      {msg && (
        <div id={described} className={error ? "error" : "hint"}>
          {msg}
        </div>
      )}
    </div>
  );
}

/** "Matches 120 of 480 traces of the last 24 h (about 12 scored a day at 10%)", as the filter settles. */
function FilterMatches({
  experimentId,
  filter,
  rate,
  count,
}: {
  experimentId: string;
  filter: string;
  rate: number | null;
  count: NonNullable<RegisterActions["countMatches"]>;
}) {
  const debounced = useDebounced(filter.trim(), 300);
  const q = useQuery({
    queryKey: ["filter-matches", experimentId, debounced],
    queryFn: async () => count(experimentId, debounced),
    staleTime: 30_000,
    placeholderData: (prev) => prev,
  });
  const r = q.data?.ok ? q.data.data : null;
  if (!r) return null;
  const perDay = rate !== null ? Math.round(r.matched * rate) : null;
  return (
    <p className="small muted" role="status" data-testid="filter-matches" style={{ margin: "-4px 0 10px" }}>
      {r.total === 0
        ? "No traces in the last 24 hours to try the filter on."
        : `Matches ${r.matched.toLocaleString("en-US")} of ${r.total.toLocaleString("en-US")} traces of the last 24 hours${perDay !== null ? ` (about ${perDay.toLocaleString("en-US")} scored a day at this rate)` : ""}.`}
    </p>
  );
}
