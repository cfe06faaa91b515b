/**
 * The response header that names the chat a send went to. The first message of a new chat (`newChat` instead of
 * `sessionId`) learns its chat's id from it: the id is made on the server from the caller and the client's id.
 * A module of its own, without zod: the chat screen reads the header, and importing it from ui-contract.ts put
 * that module's request schemas in the page's JavaScript, built while the page hydrates (#16).
 */
export const CHAT_ID_HEADER = "x-chat-id";
