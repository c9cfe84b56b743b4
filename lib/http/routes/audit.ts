import { listAuditEntries } from "@/lib/audit";
import { readInput } from "../body";
import type { Route } from "../types";

export const auditRoutes: Route[] = [
  {
    method: "GET",
    path: "/api/v1/audit",
    handler: (req, ctx) => ({ status: 200, json: listAuditEntries({ ctx, input: readInput(req) }) }),
  },
];
