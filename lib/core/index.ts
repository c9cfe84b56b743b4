export * from "./actor";
export * from "./backoff";
export * from "./config";
export * from "./ctx";
export * from "./errors";
export * from "./ids";
export * from "./time";
export * from "./plural";
