import type { Route } from "../types";
import { healthRoutes } from "./health";

// Each domain adds its routes file here.
export const allRoutes: Route[] = [...healthRoutes];
