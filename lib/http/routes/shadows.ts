// Vigil's shadow versions and agreement (/api/v1/scorers/{name}/...) and people's labels
// (/api/v1/traces/{trace_id}/labels). MLflow's scorer routes are untouched: a shadow is not a
// registered version until it is promoted. Thin: parse, one verb, answer.
import {
  candidateJson,
  compareVersions,
  comparisonJson,
  discardShadow,
  humanAgreement,
  humanAgreementJson,
  labelTrace,
  listShadows,
  needsLabels,
  promoteShadow,
  registerShadow,
  toShadowJson,
  toVigilScorer,
  type CompareVersionsInput,
  type HumanAgreementInput,
  type LabelTraceInput,
  type ListShadowsInput,
  type NeedsLabelsInput,
  type RegisterShadowInput,
  type ShadowRef,
} from "@/lib/monitoring";
import { readInput } from "../body";
import type { ApiRequest, Route } from "../types";

const VIGIL = "/api/v1/scorers";

function input<T>(req: ApiRequest, params: Record<string, string> = {}): T {
  return { ...readInput(req), ...params } as T;
}
const ok = (json: unknown) => ({ status: 200, json });
const named = (req: ApiRequest) => ({ name: req.params.name! });
const versioned = (req: ApiRequest) => ({ name: req.params.name!, version: req.params.version! });

export const shadowRoutes: Route[] = [
  {
    method: "GET",
    path: `${VIGIL}/:name/shadows`,
    handler: (req, ctx) => ok({ shadows: listShadows({ ctx, input: input<ListShadowsInput>(req, named(req)) }).map(toShadowJson) }),
  },
  {
    method: "POST",
    path: `${VIGIL}/:name/shadows`,
    handler: (req, ctx) => ok({ shadow: toShadowJson(registerShadow({ ctx, input: input<RegisterShadowInput>(req, named(req)) })) }),
  },
  {
    method: "POST",
    path: `${VIGIL}/:name/shadows/:version/promote`,
    handler: (req, ctx) => ok({ scorer: toVigilScorer(promoteShadow({ ctx, input: input<ShadowRef>(req, versioned(req)) })) }),
  },
  {
    method: "POST",
    path: `${VIGIL}/:name/shadows/:version/discard`,
    handler: (req, ctx) => ok({ shadow: toShadowJson(discardShadow({ ctx, input: input<ShadowRef>(req, versioned(req)) })) }),
  },
  {
    method: "GET",
    path: `${VIGIL}/:name/agreement`,
    handler: (req, ctx) => ok({ comparison: comparisonJson(compareVersions({ ctx, input: input<CompareVersionsInput>(req, named(req)) })) }),
  },
  {
    method: "GET",
    path: `${VIGIL}/:name/human-agreement`,
    handler: (req, ctx) => ok({ human_agreement: humanAgreementJson(humanAgreement({ ctx, input: input<HumanAgreementInput>(req, named(req)) })) }),
  },
  {
    method: "GET",
    path: `${VIGIL}/:name/needs-labels`,
    handler: (req, ctx) => ok({ traces: needsLabels({ ctx, input: input<NeedsLabelsInput>(req, named(req)) }).map(candidateJson) }),
  },
  {
    method: "POST",
    path: "/api/v1/traces/:trace_id/labels",
    handler: (req, ctx) => ok(labelTrace({ ctx, input: input<LabelTraceInput>(req, { trace_id: req.params.trace_id! }) })),
  },
];
