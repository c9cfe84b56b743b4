// The scorer page's shadow and agreement sections: reads the verbs once (server side) and hands
// the panels plain JSON.
import {
  compareVersions,
  comparisonJson,
  candidateJson,
  humanAgreement,
  humanAgreementJson,
  listShadows,
  needsLabels,
  toShadowJson,
  type Scorer,
} from "@/lib/monitoring";
import { getRequestCtx } from "@/lib/runtime/request-ctx";
import { discardShadowAction, promoteShadowAction, registerShadowAction } from "@/app/experiments/[id]/scorers/shadow-actions";
import { HumanPanel } from "./human-panel";
import { ShadowPanel } from "./shadow-panel";

const RANK = { ingest: 0, viewer: 1, operator: 2, admin: 3 } as const;

export async function ScorerAgreement({ experimentId, name, live }: { experimentId: string; name: string; live: Scorer }) {
  const ctx = await getRequestCtx();
  const input = { experiment_id: experimentId, name };
  const shadows = listShadows({ ctx, input });
  const running = shadows.find((s) => s.state === "shadow") ?? null;
  const comparison = shadows.length ? comparisonJson(compareVersions({ ctx, input })) : null;
  const human = humanAgreementJson(humanAgreement({ ctx, input }));
  const queue = needsLabels({ ctx, input: { ...input, max_results: 15 } }).map(candidateJson);
  const rank = RANK[ctx.actor.role];
  return (
    <div className="grid-2" style={{ marginTop: 16 }}>
      <ShadowPanel
        experimentId={experimentId}
        name={name}
        liveVersion={live.version!}
        liveSerialized={live.serializedScorer}
        started={live.status === "STARTED" || live.status === "PAUSED"}
        running={running ? toShadowJson(running) : null}
        comparison={comparison}
        can={{ register: rank >= RANK.admin, promote: rank >= RANK.admin, discard: rank >= RANK.operator }}
        actions={{ register: registerShadowAction, promote: promoteShadowAction, discard: discardShadowAction }}
      />
      <HumanPanel experimentId={experimentId} name={name} human={human} queue={queue} />
    </div>
  );
}
