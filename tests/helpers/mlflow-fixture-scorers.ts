// The MLflow fixture's scorer registry and online-scoring configs, after handlers.py
// _register_scorer/_list_scorers/_list_scorer_versions/_get_scorer/_delete_scorer (proto
// messages, GET fields from the query, DELETE fields from the JSON body) and
// _get_online_scoring_configs/_upsert_online_scoring_config (plain JSON, to_dict), with
// sqlalchemy_store's checks: rates within [0, 1], a filter that parses, and a rate above 0 only
// for a scorer whose model is a gateway model (scorer_utils.is_gateway_model).
import { randomUUID } from "node:crypto";
import { FixtureError, invalid, parseTraceFilter } from "./mlflow-fixture-filter";
import type { makeRoutes, FxRequest } from "./mlflow-fixture-routes";

type Base = ReturnType<typeof makeRoutes>;

/** scorer_utils.extract_model_from_serialized_scorer */
function modelOf(serialized: string): string | null {
  const d = JSON.parse(serialized) as Record<string, { model?: string } | undefined>;
  return d.instructions_judge_pydantic_data?.model ?? d.builtin_scorer_pydantic_data?.model ?? d.third_party_scorer_data?.model ?? null;
}

const field = (r: FxRequest, name: string): string | undefined => {
  const v = r.method === "GET" ? r.query.get(name) : r.body[name];
  return v === undefined || v === null || v === "" ? undefined : String(v);
};
const need = (r: FxRequest, name: string): string => {
  const v = field(r, name);
  if (v === undefined) throw invalid(`Missing value for required parameter '${name}'. See the API docs for more information about request parameters.`);
  return v;
};

export function scorerRoutes(b: Base, state: import("./mlflow-fixture-store").FxState) {
  const P = "/api/3.0/mlflow/scorers";
  const list: { method: string; path: RegExp; handle(r: FxRequest, m: string[]): ReturnType<Base["ok"]> }[] = [
    {
      method: "POST",
      path: new RegExp(`^${P}/register$`),
      handle: (r) => {
        const exp = need(r, "experiment_id");
        const name = need(r, "name");
        const serialized = need(r, "serialized_scorer");
        let data: Record<string, unknown>;
        try {
          data = JSON.parse(serialized) as Record<string, unknown>;
        } catch {
          throw invalid("serialized_scorer must be valid JSON");
        }
        // The server refuses decorator scorers (their call_source would be exec'd).
        if (data.call_source != null) throw invalid("Registering decorator scorers (@scorer) is not supported by the MLflow server.");
        b.experiment(exp);
        let sc = state.scorers.find((x) => x.experiment_id === exp && x.name === name);
        if (!sc) state.scorers.push((sc = { scorer_id: randomUUID(), experiment_id: exp, name, versions: [], config: null }));
        const v = { version: (sc.versions.at(-1)?.version ?? 0) + 1, serialized, creation_time: state.now() };
        sc.versions.push(v);
        return b.ok({
          version: v.version,
          scorer_id: sc.scorer_id,
          experiment_id: Number(exp),
          name,
          serialized_scorer: serialized,
          creation_time: v.creation_time,
        });
      },
    },
    {
      method: "GET",
      path: new RegExp(`^${P}/list$`),
      handle: (r) => {
        const exp = need(r, "experiment_id");
        const scorers = state.scorers.filter((x) => x.experiment_id === exp).map((sc) => b.scorerJson(sc, sc.versions.at(-1)!));
        return b.ok(scorers.length ? { scorers } : {});
      },
    },
    {
      method: "GET",
      path: new RegExp(`^${P}/versions$`),
      handle: (r) => {
        const sc = b.scorerOf(need(r, "experiment_id"), need(r, "name"));
        return b.ok({ scorers: sc.versions.map((v) => b.scorerJson(sc, v)) });
      },
    },
    {
      method: "GET",
      path: new RegExp(`^${P}/get$`),
      handle: (r) => {
        const sc = b.scorerOf(need(r, "experiment_id"), need(r, "name"));
        const want = field(r, "version");
        const v = want === undefined ? sc.versions.at(-1) : sc.versions.find((x) => x.version === Number(want));
        if (!v)
          throw new FixtureError(
            404,
            "RESOURCE_DOES_NOT_EXIST",
            `Scorer with name '${sc.name}' and version ${want} not found for experiment ${sc.experiment_id}.`,
          );
        return b.ok({ scorer: b.scorerJson(sc, v) });
      },
    },
    {
      method: "DELETE",
      path: new RegExp(`^${P}/delete$`),
      handle: (r) => {
        const sc = b.scorerOf(need(r, "experiment_id"), need(r, "name"));
        const want = field(r, "version");
        if (want !== undefined) {
          if (!sc.versions.some((v) => v.version === Number(want)))
            throw new FixtureError(
              404,
              "RESOURCE_DOES_NOT_EXIST",
              `Scorer with name '${sc.name}' and version ${want} not found for experiment ${sc.experiment_id}.`,
            );
          sc.versions = sc.versions.filter((v) => v.version !== Number(want));
        } else sc.versions = [];
        if (sc.versions.length === 0) state.scorers = state.scorers.filter((x) => x !== sc);
        return b.ok({});
      },
    },
  ];
  if (!b.onlineRoutes) return list;
  list.push(
    {
      method: "GET",
      path: new RegExp(`^${P}/online-configs$`),
      handle: (r) => {
        const ids = r.query.getAll("scorer_ids");
        if (ids.length === 0) need(r, "scorer_ids");
        return b.ok({ configs: state.scorers.filter((sc) => ids.includes(sc.scorer_id) && sc.config).map(b.configJson) });
      },
    },
    {
      method: "PUT",
      path: new RegExp(`^${P}/online-config$`),
      handle: (r) => {
        const exp = need(r, "experiment_id");
        const name = need(r, "name");
        const rate = r.body.sample_rate;
        if (rate === undefined || rate === null) need(r, "sample_rate");
        if (typeof rate !== "number") throw invalid(`sample_rate must be a number, got ${typeof rate}`);
        if (rate < 0 || rate > 1) throw invalid(`sample_rate must be between 0.0 and 1.0, got ${rate}`);
        const filter = r.body.filter_string;
        if (filter !== undefined && filter !== null && typeof filter !== "string")
          throw invalid(`Invalid value ${JSON.stringify(filter)} for parameter 'filter_string' supplied.`);
        if (filter) parseTraceFilter(filter);
        b.experiment(exp);
        const sc = b.scorerOf(exp, name);
        const model = modelOf(sc.versions.at(-1)!.serialized);
        if (rate > 0 && !model?.startsWith("gateway:/")) {
          throw invalid(`Scorer '${name}' does not use a gateway model. Automatic evaluation is only supported for scorers that use gateway models.`);
        }
        sc.config = { online_scoring_config_id: randomUUID().replace(/-/g, ""), sample_rate: rate, filter_string: (filter as string | undefined) ?? null };
        return b.ok({ config: b.configJson(sc) });
      },
    },
  );
  return list;
}
