// Shared by the scorer REST tests: serialized scorers and short calls to the scorer routes.
import { serializeBuiltin } from "@/scorers";
import type { TestServer } from "../helpers/server";
import { api, type ApiAnswer } from "./mlflow.helpers";

export const S = "/api/3.0/mlflow/scorers";
export const V = "/api/v1/scorers";

export const safety = serializeBuiltin({ name: "safety", className: "Safety" });
export const pii = (params: Record<string, unknown> = {}) => serializeBuiltin({ name: "pii", className: "PIILeak", params });
export const pythonScorer = JSON.stringify({
  name: "py_len",
  description: null,
  aggregations: null,
  is_session_level_scorer: false,
  mlflow_version: "3.5.0",
  serialization_version: 1,
  builtin_scorer_class: null,
  builtin_scorer_pydantic_data: null,
  call_source: "return len(outputs) < 400",
  call_signature: "(outputs)",
  original_func_name: "py_len",
  instructions_judge_pydantic_data: null,
});

const qs = (q: Record<string, string | number | string[]>) => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) for (const item of Array.isArray(v) ? v : [v]) p.append(k, String(item));
  return `?${p}`;
};

export const register = (s: TestServer, experiment_id: string, name: string, serialized_scorer: string, h?: Record<string, string>) =>
  api(s, "POST", `${S}/register`, { experiment_id, name, serialized_scorer }, h);
export const get = (s: TestServer, path: string, q: Record<string, string | number | string[]>, h?: Record<string, string>): Promise<ApiAnswer> =>
  api(s, "GET", `${path}${qs(q)}`, undefined, h);
export const putConfig = (s: TestServer, body: Record<string, unknown>, h?: Record<string, string>) => api(s, "PUT", `${S}/online-config`, body, h);
