export * from "./types";
export * from "./errors";
export * from "./body";
export * from "./server";
