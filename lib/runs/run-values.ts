// Tags, params and metrics as MLflow's run messages carry them, with MLflow's limits
// (utils/validation.py: MAX_ENTITY_KEY_LENGTH 250, MAX_PARAM_VAL_LENGTH 6000, MAX_TAG_VAL_LENGTH 8000).
import { z } from "zod";
import { int64 } from "@/lib/mlflow/proto-json";

const key = z.string().trim().min(1, "must not be empty").max(250, "is longer than 250 characters");

export const TagInput = z.object({ key, value: z.string().max(8000, "is longer than 8000 characters").default("") });
export const TagList = z.array(TagInput);
export const ParamInput = z.object({ key, value: z.string().max(6000, "is longer than 6000 characters").default("") });

/** A metric value: a number, or the strings protobuf JSON uses for NaN and the infinities. */
const metricValue = z.union([z.number(), z.enum(["NaN", "Infinity", "-Infinity"]).transform(Number)]);
export const MetricInput = z.object({ key, value: metricValue, timestamp: int64, step: int64.default(0) });
export type MetricValue = z.output<typeof MetricInput>;

/** Which of two logged values of one metric is the latest: MLflow orders by (step, timestamp, value). */
export function isLater(a: { step: number; timestamp: number; value: number }, b: { step: number; timestamp: number; value: number }): boolean {
  if (a.step !== b.step) return a.step > b.step;
  if (a.timestamp !== b.timestamp) return a.timestamp > b.timestamp;
  return a.value > b.value;
}
