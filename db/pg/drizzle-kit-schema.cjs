// drizzle-kit collects the tables a schema module exports; the derived ones are built at load
// time, so this CommonJS entry exports each of them by name (drizzle-kit loads it with its own
// TypeScript loader).
module.exports = require("./schema.ts").pgTables;
