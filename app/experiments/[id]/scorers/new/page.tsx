import type { Metadata } from "next";
import Link from "next/link";
import { RegisterScorerForm } from "@/components/scorers/register-form";
import { listScorers } from "@/lib/monitoring";
import { listScorerCatalog, scorerPermissions } from "@/lib/read";
import { getRequestCtx } from "@/lib/runtime/request-ctx";
import { countFilterMatchesAction, validateFilterAction } from "../../actions";
import { registerCatalogScorerAction, startScorerAction } from "../actions";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Register a scorer" };

export default async function NewScorerPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const ctx = await getRequestCtx();
  const can = scorerPermissions(ctx.actor);
  const catalog = listScorerCatalog({ ctx, input: {} });
  const existing = listScorers({ ctx, input: { experiment_id: id } }).map((s) => s.name);
  return (
    <>
      <div className="crumbs">
        <Link href={`/experiments/${id}`}>Overview</Link> / Register a scorer
      </div>
      <h2 style={{ marginTop: 4 }}>Register a scorer</h2>
      {!can.register && <div className="alert warn">Registering scorers needs the admin role; you can look, but the server will refuse.</div>}
      <RegisterScorerForm
        experimentId={id}
        catalog={catalog}
        existing={existing}
        canStart={can.start}
        actions={{
          register: registerCatalogScorerAction,
          start: startScorerAction,
          validateFilter: validateFilterAction,
          countMatches: countFilterMatchesAction,
        }}
      />
    </>
  );
}
