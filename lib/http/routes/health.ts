import type { Route } from "../types";

export const healthRoutes: Route[] = [{ method: "GET", path: "/api/v1/health", public: true, handler: () => ({ status: 200, json: { status: "ok" } }) }];
