// The agreement answers in the REST API's snake_case JSON.
import type { KappaResult } from "./kappa";
import type { NumericAgreement } from "./numeric";
import type { VersionComparison, VersionSide } from "./compare-versions";
import type { HumanAgreement } from "./human-agreement";
import type { LabelCandidate } from "./needs-labels";
import type { Agreement, Rating } from "./values";

const ratingJson = (r: Rating | null) => (r === null ? null : r.kind === "numeric" ? r.value : r.key);

const kappaJson = (k: KappaResult) => ({
  n: k.n,
  agreement: k.agreement,
  expected_agreement: k.expected,
  kappa: k.kappa,
  kappa_se: k.se,
  kappa_ci95: k.ci95,
  ...(k.degenerate ? { degenerate: k.degenerate } : {}),
  confusion_matrix: k.matrix,
});

const numericJson = (m: NumericAgreement) => ({
  n: m.n,
  exact_agreement: m.exact,
  mean_a: m.meanA,
  mean_b: m.meanB,
  mean_difference: m.meanDifference,
  mean_difference_ci95: m.meanDifferenceCi95,
  correlation: m.correlation,
});

export function agreementJson(a: Agreement) {
  if (a.type === "categorical") return { type: a.type, ...kappaJson(a.kappa) };
  if (a.type === "numeric") return { type: a.type, ...numericJson(a.numeric) };
  return { type: a.type, n: 0, reason: a.reason };
}

const sideJson = (s: VersionSide) => ({
  version: s.version,
  role: s.role,
  assessments: s.assessments,
  errors: s.errors,
  cost_per_assessment_usd: s.costPerAssessmentUsd,
  unpriced: s.unpriced,
});

export function comparisonJson(c: VersionComparison) {
  return {
    experiment_id: c.experimentId,
    name: c.name,
    a: sideJson(c.a),
    b: sideJson(c.b),
    overlap: c.overlap,
    agreement: agreementJson(c.agreement),
    disagreements: c.disagreements.map((d) => ({ trace_id: d.traceId, a: ratingJson(d.a), b: ratingJson(d.b) })),
  };
}

export function humanAgreementJson(h: HumanAgreement) {
  return {
    experiment_id: h.experimentId,
    name: h.name,
    labelled_traces: h.labelledTraces,
    align_minimum: h.alignMinimum,
    missing_for_align: h.missingForAlign,
    versions: h.versions.map((v) => ({
      version: v.version,
      role: v.role,
      labelled: v.labelled,
      agreement: agreementJson(v.agreement),
      over_time: v.overTime,
    })),
  };
}

export const candidateJson = (c: LabelCandidate) => ({
  trace_id: c.traceId,
  reason: c.reason,
  live: ratingJson(c.live),
  shadow: ratingJson(c.shadow),
  scored_at: c.scoredAt,
});
