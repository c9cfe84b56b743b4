export * from "./actor";
export * from "./config";
export * from "./ctx";
export * from "./errors";
export * from "./ids";
export * from "./time";
