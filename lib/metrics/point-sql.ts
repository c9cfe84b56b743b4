// How a feedback assessment becomes a metric point, as SQL expressions shared by the hot-store
// refresh and the rebuild from the archive, so both classify a value the same way. Set-based
// SQL rather than JS: a rebuild over millions of assessments stays a single statement.

/** Bin edges of the small histogram kept per rollup: scores in [0, 1] get tenths, ratings
 * (1-5, 1-10) get their own bins. Bin 0 is below the first edge, the last bin at or above the last. */
export const HISTOGRAM_EDGES = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1, 2, 3, 4, 5, 6, 10] as const;
export const HISTOGRAM_BINS = HISTOGRAM_EDGES.length + 1;

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
/** Stored in place of a missing scorer version (human or REST feedback): key columns are not null. */
export const NO_VERSION = 0;

/**
 * True for a score a shadow version made before its promotion (or at all, if it was discarded or
 * is still a shadow): those stay out of points, rollups, trends, reports and alerts.
 */
export function shadowScoreSql(scorerId: string, version: string, time: string): string {
  return `EXISTS (SELECT 1 FROM scorer_shadows sh WHERE sh.scorer_id = ${scorerId} AND sh.version = ${version}
    AND (sh.state <> 'promoted' OR ${time} < sh.decided_at))`;
}

/** The histogram bin of a numeric SQL expression (NULL stays NULL). */
export function binSql(num: string): string {
  const whens = HISTOGRAM_EDGES.map((e, i) => `WHEN ${num} < ${e} THEN ${i}`).join(" ");
  return `CASE WHEN ${num} IS NULL THEN NULL ${whens} ELSE ${HISTOGRAM_EDGES.length} END`;
}

/**
 * A feedback value as point columns. `type` is the SQL json_type() of the value (NULL when
 * absent), `scalar` its json_extract() result, `hasError` true when feedback.error is set.
 * An error wins over a value; numbers feed mean statistics; booleans and "yes"/"no" (any case)
 * feed the pass rate; anything else ("unknown", lists, maps) only counts.
 */
export function pointColumnsSql(type: string, scalar: string, hasError: string): { isError: string; num: string; pass: string } {
  return {
    isError: `CASE WHEN ${hasError} THEN 1 ELSE 0 END`,
    num: `CASE WHEN ${hasError} THEN NULL WHEN ${type} IN ('integer', 'real') THEN CAST(${scalar} AS REAL) END`,
    pass: `CASE WHEN ${hasError} THEN NULL WHEN ${type} = 'true' THEN 1 WHEN ${type} = 'false' THEN 0
      WHEN ${type} = 'text' THEN CASE lower(trim(${scalar})) WHEN 'yes' THEN 1 WHEN 'no' THEN 0 END END`,
  };
}

const POINT_COLUMNS = "assessment_id, trace_id, experiment_id, scorer_name, scorer_version, bucket_start, is_error, num, pass, bin";

function insertPoints(inner: string): string {
  return `INSERT INTO metric_points (${POINT_COLUMNS})
    SELECT assessment_id, trace_id, experiment_id, scorer_name, scorer_version, bucket_start, is_error, num, pass, ${binSql("num")}
    FROM (${inner}) WHERE true
    ON CONFLICT (assessment_id) DO UPDATE SET trace_id = excluded.trace_id, experiment_id = excluded.experiment_id,
      scorer_name = excluded.scorer_name, scorer_version = excluded.scorer_version, bucket_start = excluded.bucket_start,
      is_error = excluded.is_error, num = excluded.num, pass = excluded.pass, bin = excluded.bin`;
}

// Hot store: the value column holds JSON text; a malformed one counts as "other", never fails.
export const HOT_POINT_COLUMNS = pointColumnsSql(
  "(CASE WHEN json_valid(a.value) THEN json_type(a.value) END)",
  "(CASE WHEN json_valid(a.value) THEN json_extract(a.value, '$') END)",
  "a.error IS NOT NULL",
);
const HOT_SELECT = `SELECT a.assessment_id, a.trace_id, a.experiment_id, a.name AS scorer_name,
    coalesce(a.scorer_version, ${NO_VERSION}) AS scorer_version, (t.request_time / ${HOUR_MS}) * ${HOUR_MS} AS bucket_start,
    ${HOT_POINT_COLUMNS.isError} AS is_error, ${HOT_POINT_COLUMNS.num} AS num, ${HOT_POINT_COLUMNS.pass} AS pass
  FROM assessments a JOIN traces t ON t.trace_id = a.trace_id
  WHERE a.kind = 'feedback' AND a.valid = 1
    AND NOT ${shadowScoreSql("a.scorer_id", "a.scorer_version", "a.create_time")}`;

/** Points of one hot trace (parameter: trace_id). */
export const INSERT_TRACE_POINTS_SQL = insertPoints(`${HOT_SELECT} AND a.trace_id = ?`);
/** Points of every hot trace of an experiment (parameter: experiment_id). */
export const INSERT_EXPERIMENT_POINTS_SQL = insertPoints(`${HOT_SELECT} AND a.experiment_id = ?`);

// Archive: each element of archived_traces.assessments is an Assessment record (JSON).
const arch = pointColumnsSql(
  "json_type(j.value, '$.feedback.value')",
  "json_extract(j.value, '$.feedback.value')",
  "json_type(j.value, '$.feedback.error') IS NOT NULL",
);
/** Points of archived traces no longer in the hot store (parameter: experiment_id). */
export const INSERT_ARCHIVED_POINTS_SQL = insertPoints(`SELECT json_extract(j.value, '$.assessment_id') AS assessment_id, x.trace_id,
    x.experiment_id, json_extract(j.value, '$.assessment_name') AS scorer_name,
    coalesce(json_extract(j.value, '$.scorer_version'), ${NO_VERSION}) AS scorer_version,
    (x.request_time / ${HOUR_MS}) * ${HOUR_MS} AS bucket_start,
    ${arch.isError} AS is_error, ${arch.num} AS num, ${arch.pass} AS pass
  FROM archived_traces x, json_each(x.assessments) j
  WHERE x.experiment_id = ? AND NOT EXISTS (SELECT 1 FROM traces t WHERE t.trace_id = x.trace_id)
    AND json_type(j.value, '$.feedback') = 'object' AND json_extract(j.value, '$.valid') = 1
    AND NOT ${shadowScoreSql("json_extract(j.value, '$.scorer_id')", "json_extract(j.value, '$.scorer_version')", "((julianday(json_extract(j.value, '$.create_time')) - 2440587.5) * 86400000.0)")}`);

const histogramSql = `json_array(${Array.from({ length: HISTOGRAM_BINS }, (_, k) => `coalesce(sum(bin = ${k}), 0)`).join(", ")})`;

/** Rollup rows recomputed from points; `where` selects the points (and so the keys). */
export function insertRollupsSql(where: string): string {
  return `INSERT INTO metric_rollups (experiment_id, scorer_name, scorer_version, bucket_start, count, errors, num_count,
      num_sum, num_sum_sq, num_min, num_max, histogram, bool_count, pass_count, updated_at)
    SELECT experiment_id, scorer_name, scorer_version, bucket_start, count(*), sum(is_error), count(num),
      total(num), total(num * num), min(num), max(num), ${histogramSql}, count(pass), coalesce(sum(pass), 0), @now
    FROM metric_points WHERE ${where}
    GROUP BY experiment_id, scorer_name, scorer_version, bucket_start`;
}
