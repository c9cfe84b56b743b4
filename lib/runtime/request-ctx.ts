import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { actorFromSession, SESSION_COOKIE } from "@/lib/auth";
import { getConfig, type Actor, type Ctx } from "@/lib/core";
import { getDb } from "./server-ctx";

/**
 * The ctx for a dashboard request: the signed-in person, or the configured anonymous role.
 * With no way in (anonymous role "none" and no session) pages are sent to the sign-in form.
 */
export async function getRequestCtx(opts: { redirectToSignIn?: boolean } = { redirectToSignIn: true }): Promise<Ctx> {
  const config = getConfig();
  const db = getDb(config);
  const secret = (await cookies()).get(SESSION_COOKIE)?.value;
  let actor: Actor | null = secret ? actorFromSession(db, secret, Date.now()) : null;
  if (!actor && config.VIGIL_ANONYMOUS_ROLE !== "none") actor = { id: "anonymous", role: config.VIGIL_ANONYMOUS_ROLE };
  if (!actor) {
    if (opts.redirectToSignIn) {
      const path = (await headers()).get("x-vigil-path") ?? "/";
      redirect(`/signin?next=${encodeURIComponent(path)}`);
    }
    actor = { id: "anonymous", role: "viewer" };
  }
  return { db, config, actor, now: Date.now, fetch };
}
