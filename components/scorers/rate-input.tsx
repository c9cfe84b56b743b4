"use client";
import { useId } from "react";

/** A sample rate typed as a percentage (what people think in), kept as a fraction. */
export function RatePercentInput({
  value,
  onChange,
  label = "Sample rate",
  min = 0,
}: {
  value: string;
  onChange: (v: string) => void;
  label?: string;
  min?: number;
}) {
  const id = useId();
  const n = Number(value);
  const invalid = value.trim() === "" || !Number.isFinite(n) || n < min || n > 100 || (min > 0 && n === 0);
  return (
    <div className="field">
      <label htmlFor={id}>{label} (%)</label>
      <input
        id={id}
        type="number"
        inputMode="decimal"
        min={min}
        max={100}
        step="any"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={invalid || undefined}
        aria-describedby={`${id}-msg`}
        style={{ width: 140 }}
      />
      <div id={`${id}-msg`} className={invalid ? "error" : "hint"}>
        {invalid ? `Enter a percentage ${min > 0 ? "above 0" : "from 0"} up to 100.` : "Share of matching traces to score."}
      </div>
    </div>
  );
}

/** The fraction for a valid percentage string, else null. */
export function percentToRate(value: string, allowZero: boolean): number | null {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n < 0 || n > 100 || (!allowZero && n === 0)) return null;
  return Math.round(n * 1e6) / 1e8;
}
