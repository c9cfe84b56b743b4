export * from "./tokens";
export * from "./password";
export * from "./rate-limit";
export * from "./users";
export * from "./sessions";
export * from "./cookies";
export * from "./credentials";
export * from "./redirect";
