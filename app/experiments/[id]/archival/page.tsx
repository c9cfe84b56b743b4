import type { Metadata } from "next";
import { ArchivalPanel } from "@/components/archival/archival-panel";
import { Hydrate } from "@/components/hydrate";
import { getArchivalStatus } from "@/lib/archive";
import { getRequestCtx } from "@/lib/runtime/request-ctx";
import { orNotFound } from "@/app/_lib/page";
import { archivalStatusAction, setArchivalAction } from "./actions";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Archival" };

export default async function ArchivalPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const ctx = await getRequestCtx();
  const status = orNotFound(() => getArchivalStatus({ ctx, input: { experimentId: id } }).archival[0]!);
  const at = ctx.now();
  return (
    <>
      <h2 style={{ marginTop: 0 }}>Archival</h2>
      <p className="sub">
        Keep complete traces and their assessments beyond the hot store&apos;s retention, and export them for a lakehouse. Score trends are built from the
        archive.
      </p>
      <Hydrate entries={[{ key: ["archival", id], data: status, at }]}>
        <ArchivalPanel
          experimentId={id}
          initial={status}
          at={at}
          canEdit={ctx.actor.role === "admin"}
          actions={{ status: archivalStatusAction, set: setArchivalAction }}
        />
      </Hydrate>
    </>
  );
}
