// Assessment ids for the engine's writes: MLflow's shape ("a-" + 32 hex) but time-ordered, so
// inserting millions lands at the end of the primary-key B-tree instead of at random pages
// (measured: ~15 us per insert instead of 30-50 us). Unique across processes by a random
// per-generator prefix, within one by a counter.
import { randomBytes } from "node:crypto";

export function assessmentIdGenerator(now: () => number = Date.now): () => string {
  const prefix = randomBytes(4).toString("hex");
  let counter = 0;
  return () => {
    counter = (counter + 1) % 0x1000000000000;
    return `a-${Math.max(0, Math.floor(now())).toString(16).padStart(12, "0").slice(-12)}${prefix}${counter.toString(16).padStart(12, "0")}`;
  };
}
