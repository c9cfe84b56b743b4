import type { Db } from "@/db/client";
import { experiments } from "@/db/schema";

/** MLflow always has experiment "0", named "Default". */
export function ensureDefaultExperiment(db: Db, now = Date.now()): void {
  db.insert(experiments).values({ experimentId: 0, name: "Default", artifactLocation: "", creationTime: now, lastUpdateTime: now }).onConflictDoNothing().run();
}
