"use server";
// Users and API tokens, for admins: one lib verb each (the verbs check the admin role).
import { revalidatePath } from "next/cache";
import { createApiToken, createUser, revokeApiToken } from "@/lib/auth";
import { runAction, type ActionResult } from "@/lib/read";
import { getRequestCtx } from "@/lib/runtime/request-ctx";

export async function createUserAction(input: { username: string; password: string; role: string }): Promise<ActionResult<{ username: string }>> {
  const ctx = await getRequestCtx();
  const r = await runAction(async () => ({ username: (await createUser({ ctx, input })).username }));
  revalidatePath("/access");
  return r;
}

/** The secret comes back once, here; only its hash is stored. */
export async function createTokenAction(input: { name: string; role: string; experiment_id: string }): Promise<ActionResult<{ token: string }>> {
  const ctx = await getRequestCtx();
  const r = await runAction(() => ({
    token: createApiToken({ ctx, input: { name: input.name, role: input.role, experiment_id: input.experiment_id || null } }).token,
  }));
  revalidatePath("/access");
  return r;
}

export async function revokeTokenAction(tokenId: string): Promise<ActionResult<{ token_id: string }>> {
  const ctx = await getRequestCtx();
  const r = await runAction(() => ({ token_id: revokeApiToken({ ctx, input: { token_id: tokenId } }).token_id }));
  revalidatePath("/access");
  return r;
}
