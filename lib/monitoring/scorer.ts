// MLflow-SDK-style objects over the verbs: `s2 = await s1.start({ ctx, sampling })` returns a new
// object and `s1` still describes the old state, as in MLflow's Python SDK. Each object is a
// frozen snapshot (a Scorer value with methods); only the database changes.
import { NotFoundError, type Ctx } from "@/lib/core";
import { deleteScorer } from "./delete-scorer";
import { getScorer } from "./get-scorer";
import { listScorerVersions } from "./list-scorer-versions";
import { listScorers } from "./list-scorers";
import { pauseScorer } from "./pause-scorer";
import { registerScorer } from "./register-scorer";
import { resumeScorer } from "./resume-scorer";
import type { ScorerStatus } from "./lifecycle";
import { unregisteredValue, type Scorer } from "./scorer-value";
import { startScorer } from "./start-scorer";
import { stopScorer } from "./stop-scorer";
import { updateScorer } from "./update-scorer";

/** MLflow's ScorerSamplingConfig. */
export interface ScorerSamplingConfig {
  sample_rate?: number;
  filter_string?: string | null;
}

export class ScorerObject implements Scorer {
  declare readonly experimentId: string;
  declare readonly name: string;
  declare readonly version: number | null;
  declare readonly scorerId: string | null;
  declare readonly serializedScorer: string;
  declare readonly kind: Scorer["kind"];
  declare readonly runnable: boolean;
  declare readonly notRunnableReason?: string;
  declare readonly sampleRate: number;
  declare readonly filterString: string | null;
  declare readonly status: ScorerStatus;
  declare readonly pausedReason?: string;
  declare readonly pausedAt?: number;
  declare readonly pausedBy?: string;
  declare readonly onlineScoringConfigId?: string;
  declare readonly creationTime: number | null;

  private constructor(value: Scorer) {
    Object.assign(this, value);
    Object.freeze(this);
  }

  static from(value: Scorer): ScorerObject {
    return value instanceof ScorerObject ? value : new ScorerObject(value);
  }

  /** A scorer described in code but not registered yet (status UNREGISTERED). */
  static define(d: { experimentId: string | number; name: string; serializedScorer: string }): ScorerObject {
    return new ScorerObject(unregisteredValue(d.experimentId, d.name, d.serializedScorer));
  }

  static async get(a: { ctx: Ctx; experimentId: string | number; name: string; version?: number }): Promise<ScorerObject> {
    return ScorerObject.from(getScorer({ ctx: a.ctx, input: { experiment_id: String(a.experimentId), name: a.name, version: a.version } }));
  }

  static async list(a: { ctx: Ctx; experimentId: string | number }): Promise<ScorerObject[]> {
    return listScorers({ ctx: a.ctx, input: { experiment_id: String(a.experimentId) } }).map((v) => ScorerObject.from(v));
  }

  async versions({ ctx }: { ctx: Ctx }): Promise<ScorerObject[]> {
    return listScorerVersions({ ctx, input: { experiment_id: this.experimentId, name: this.name } }).map((v) => ScorerObject.from(v));
  }

  /** Registers this definition (a new version when the name exists), optionally under another name. */
  async register({ ctx, name }: { ctx: Ctx; name?: string }): Promise<ScorerObject> {
    return ScorerObject.from(
      registerScorer({ ctx, input: { experiment_id: this.experimentId, name: name ?? this.name, serialized_scorer: this.serializedScorer } }),
    );
  }

  async start({ ctx, sampling }: { ctx: Ctx; sampling: ScorerSamplingConfig }): Promise<ScorerObject> {
    this.requireRegistered("start");
    return ScorerObject.from(
      startScorer({
        ctx,
        input: { experiment_id: this.experimentId, name: this.name, sample_rate: sampling.sample_rate, filter_string: sampling.filter_string },
      }),
    );
  }

  async update({ ctx, sampling }: { ctx: Ctx; sampling: ScorerSamplingConfig }): Promise<ScorerObject> {
    this.requireRegistered("update");
    return ScorerObject.from(updateScorer({ ctx, input: { experiment_id: this.experimentId, name: this.name, ...sampling } }));
  }

  async stop({ ctx }: { ctx: Ctx }): Promise<ScorerObject> {
    this.requireRegistered("stop");
    return ScorerObject.from(stopScorer({ ctx, input: { experiment_id: this.experimentId, name: this.name } }));
  }

  async pause({ ctx, reason }: { ctx: Ctx; reason?: string }): Promise<ScorerObject> {
    this.requireRegistered("pause");
    return ScorerObject.from(pauseScorer({ ctx, input: { experiment_id: this.experimentId, name: this.name, reason } }));
  }

  async resume({ ctx }: { ctx: Ctx }): Promise<ScorerObject> {
    this.requireRegistered("resume");
    return ScorerObject.from(resumeScorer({ ctx, input: { experiment_id: this.experimentId, name: this.name } }));
  }

  /** Deletes one version, or every version when `version` is "all" (MLflow's delete_scorer). */
  async delete({ ctx, version }: { ctx: Ctx; version: number | "all" }): Promise<ScorerObject> {
    this.requireRegistered("delete");
    return ScorerObject.from(deleteScorer({ ctx, input: { experiment_id: this.experimentId, name: this.name, ...(version === "all" ? {} : { version }) } }));
  }

  /** Like MLflow: an object that was never registered cannot be started or updated. */
  private requireRegistered(action: string): void {
    if (this.status === "UNREGISTERED") {
      throw new NotFoundError(`Scorer '${this.name}' is not registered; call register() before ${action}().`);
    }
  }
}
