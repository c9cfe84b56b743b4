"use server";

import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { safeNextPath, SESSION_COOKIE, SESSION_TTL_MS, signIn, signOut } from "@/lib/auth";
import { isVigilError } from "@/lib/core";
import { getRequestCtx } from "@/lib/runtime/request-ctx";

export interface SignInState {
  error?: string;
  /** What was typed, given back: React resets a form after its action, and the name should stay. */
  username?: string;
}

// Set by Vigil's server from the socket (and trusted proxies only), never by the client.
const CLIENT_ADDRESS_HEADER = "x-vigil-client-address";

export async function signInAction(_prev: SignInState, form: FormData): Promise<SignInState> {
  const ctx = await getRequestCtx({ redirectToSignIn: false });
  const h = await headers();
  try {
    const g = await signIn({
      ctx,
      input: {
        username: String(form.get("username") ?? ""),
        password: String(form.get("password") ?? ""),
        clientAddress: h.get(CLIENT_ADDRESS_HEADER) ?? "unknown",
      },
    });
    (await cookies()).set(SESSION_COOKIE, g.secret, {
      httpOnly: true,
      sameSite: "lax",
      path: "/",
      maxAge: SESSION_TTL_MS / 1000,
      secure: h.get("x-forwarded-proto") === "https",
    });
  } catch (e) {
    return { error: isVigilError(e) ? e.message : "Sign-in failed; try again.", username: String(form.get("username") ?? "") };
  }
  redirect(safeNextPath(form.get("next")));
}

export async function signOutAction(): Promise<void> {
  const jar = await cookies();
  const secret = jar.get(SESSION_COOKIE)?.value;
  if (secret) signOut({ ctx: await getRequestCtx({ redirectToSignIn: false }), input: { secret } });
  jar.delete(SESSION_COOKIE);
  redirect("/signin");
}
