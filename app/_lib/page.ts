// Helpers shared by server pages: a missing resource is Next's 404 page, anything else goes to error.tsx.
import { notFound } from "next/navigation";
import { NotFoundError } from "@/lib/core";

export function orNotFound<T>(load: () => T): T {
  try {
    return load();
  } catch (e) {
    if (e instanceof NotFoundError) notFound();
    throw e;
  }
}

export async function orNotFoundAsync<T>(load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (e) {
    if (e instanceof NotFoundError) notFound();
    throw e;
  }
}

export type SearchParams = Record<string, string | string[] | undefined>;

export function firstParam(params: SearchParams, key: string): string | undefined {
  const v = params[key];
  return Array.isArray(v) ? v[0] : v;
}
