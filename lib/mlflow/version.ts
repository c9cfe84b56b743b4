// The MLflow version Vigil answers on GET /version. MLflow's Python client sends spans to
// /v1/traces only when this parses as >= 3.4 (store/tracking/rest_store.py, log_spans); Vigil's
// surface was read from MLflow at 3.11.2.dev0, so it claims the 3.11 release line it implements.
export const MLFLOW_COMPAT_VERSION = "3.11.0";

/** A dotted version ("3.11.2.dev0", "2.22.1", "3.4.0rc1") as comparable numbers; null if not one. */
export function parseMlflowVersion(text: string): [number, number, number] | null {
  const m = /^\s*v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(text);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : null;
}

/** Whether version `v` is at least major.minor (pre-releases of a minor count as that minor). */
export function versionAtLeast(v: [number, number, number] | null, major: number, minor: number): boolean {
  if (!v) return false;
  return v[0] > major || (v[0] === major && v[1] >= minor);
}
