import { z } from "zod";
import { memoryStateSchema } from "@/lib/memory/state";
import { chatResponse, errorSchema } from "../response-schemas";
import { chatBody, createChatBody, updateChatBody } from "@/lib/chats/schemas";
import { chatViewSchema, historyMessageSchema } from "@/lib/chats/views";
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

/** Component schemas, and whether they describe what clients send (input) or what they receive (output). */
export const components: Record<string, { schema: z.ZodType; io: "input" | "output" }> = {
  Error: { schema: errorSchema, io: "output" },
  Project: { schema: projectSchema, io: "output" },
  ProjectList: { schema: z.array(projectSchema), io: "output" },
  ProjectCreate: { schema: projectCreateSchema, io: "input" },
  ProjectUpdate: { schema: projectUpdateSchema, io: "input" },
  ModelInfoList: { schema: z.array(modelInfoSchema), io: "output" },
  SignupRequest: { schema: signupRequestSchema, io: "input" },
  LoginRequest: { schema: loginRequestSchema, io: "input" },
  RefreshRequest: { schema: refreshRequestSchema, io: "input" },
  ResetPasswordRequest: { schema: resetPasswordRequestSchema, io: "input" },
  ResetPasswordConfirm: { schema: resetPasswordConfirmSchema, io: "input" },
  AuthResponse: { schema: authResponseSchema, io: "output" },
  Token: { schema: tokenResponseSchema, io: "output" },
  Session: { schema: chatViewSchema, io: "output" },
  SessionList: { schema: z.array(chatViewSchema), io: "output" },
  SessionCreate: { schema: createChatBody, io: "input" },
  SessionUpdate: { schema: updateChatBody, io: "input" },
  ChatRequest: { schema: chatBody, io: "input" },
  ChatResponse: { schema: chatResponse, io: "output" },
  History: { schema: z.array(historyMessageSchema), io: "output" },
  MemoryState: { schema: memoryStateSchema, io: "output" },
};
