export * from "./types";
export * from "./previews";
export * from "./store-spans";
export * from "./otlp";
