import { defineConfig } from "drizzle-kit";

// Postgres migrations, from the tables derived from db/schema (db/pg/schema.ts).
export default defineConfig({
  dialect: "postgresql",
  schema: "./db/pg/drizzle-kit-schema.cjs",
  out: "./db/migrations-pg",
});
