// MLflow's protocol: JSON shapes, row conversion, protobuf-JSON helpers, and the search grammar.
export type * from "./types";
export * from "./proto-json";
export * from "./convert";
export * from "./filter";
