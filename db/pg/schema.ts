// The Postgres tables: derived from db/schema (sqlite-core), the one definition per table. A table
// or column added there appears here by itself; `npm run db:generate:pg` then writes its migration.
import * as sqliteTables from "../schema";
// The scorer tables are outside the schema barrel (only lib/monitoring imports them, lint:deps).
import * as sqliteScorerTables from "../schema/scorers";
import { derivePgSchema } from "./derive";

export const pgTables = derivePgSchema({ ...sqliteTables, ...sqliteScorerTables });
export type PgTables = typeof pgTables;
