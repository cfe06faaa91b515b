import { z } from "zod";
import { memoryStateSchema } from "@/lib/memory/state";
import { chatgptExportSchema } from "@/lib/transfer/chatgpt";
import { parleyExportSchema } from "@/lib/transfer/format";
import { importResultSchema } from "@/lib/transfer/schemas";
import { chatResponse, errorSchema } from "../response-schemas";
import { activeLeafBody, chatBody, createChatBody, updateChatBody } from "@/lib/chats/schemas";
import { chatViewSchema, historyMessageSchema } from "@/lib/chats/views";
import { searchResultSchema } from "@/lib/search/views";
import { usageReportSchema } from "@/lib/usage/views";
import { saveUserKeyBody, userKeyStatusSchema } from "@/lib/user-keys/schemas";
import { adminSettingsPatch, adminUserCreate, adminUserPatch } from "@/lib/admin/schemas";
import { adminAuditListSchema, adminSettingsSchema, adminUserListSchema, adminUserSchema } from "@/lib/admin/views";
import { modelInfoSchema, projectCreateSchema, projectSchema, projectUpdateSchema } from "@/lib/projects/schemas";
import {
  authResponseSchema,
  loginRequestSchema,
  refreshRequestSchema,
  resetPasswordConfirmSchema,
  resetPasswordRequestSchema,
  signupRequestSchema,
  tokenResponseSchema,
} from "@/lib/auth/schemas";

type Component = { schema: z.ZodType; io: "input" | "output" };
const input = (schema: z.ZodType): Component => ({ schema, io: "input" });
const output = (schema: z.ZodType): Component => ({ schema, io: "output" });

/** Component schemas, and whether they describe what clients send (input) or what they receive (output). */
export const components: Record<string, Component> = {
  Error: output(errorSchema),
  Project: output(projectSchema),
  ProjectList: output(z.array(projectSchema)),
  ProjectCreate: input(projectCreateSchema),
  ProjectUpdate: input(projectUpdateSchema),
  ModelInfoList: output(z.array(modelInfoSchema)),
  SignupRequest: input(signupRequestSchema),
  LoginRequest: input(loginRequestSchema),
  RefreshRequest: input(refreshRequestSchema),
  ResetPasswordRequest: input(resetPasswordRequestSchema),
  ResetPasswordConfirm: input(resetPasswordConfirmSchema),
  AuthResponse: output(authResponseSchema),
  Token: output(tokenResponseSchema),
  Session: output(chatViewSchema),
  SessionList: output(z.array(chatViewSchema)),
  SessionCreate: input(createChatBody),
  SessionUpdate: input(updateChatBody),
  ChatRequest: input(chatBody),
  ChatResponse: output(chatResponse),
  History: output(z.array(historyMessageSchema)),
  ActiveLeafRequest: input(activeLeafBody),
  ActiveLeaf: output(z.object({ active_leaf_id: z.uuid().describe("The chat's new active leaf") })),
  MemoryState: output(memoryStateSchema),
  SearchResultList: output(z.array(searchResultSchema)),
  UsageReport: output(usageReportSchema),
  UserKeySave: input(saveUserKeyBody),
  UserKeyStatus: output(userKeyStatusSchema),
  ParleyExport: output(parleyExportSchema),
  Import: input(z.union([parleyExportSchema, chatgptExportSchema]).describe("A Parley export, or ChatGPT's conversations.json")),
  ImportResult: output(importResultSchema),
  AdminUser: output(adminUserSchema),
  AdminUserList: output(adminUserListSchema),
  AdminUserCreate: input(adminUserCreate),
  AdminUserUpdate: input(adminUserPatch),
  AdminSettings: output(adminSettingsSchema),
  AdminSettingsUpdate: input(adminSettingsPatch),
  AdminAuditList: output(adminAuditListSchema),
};
